/*
 * schemes: list the schemes this process can open, and who serves each,
 * from sys:schemes (kernel/scheme/scheme_sys.c: "NAME PID" lines, PID 0 for the
 * kernel's own), naming a daemon by its process name from sys:context.
 *
 *   schemes      SCHEME  PID  SERVER   one row a scheme
 */
#include <stdio.h>
#include <string.h>

#define LINE_MAX_LEN 256
#define NAME_LEN 32 /* a scheme or process name, with its NUL */
#define KERNEL_PID 0

/* The name sys:context gives pid, into name; "?" if it has none (the
 * daemon exited, or sys: is outside this namespace). */
static void server_name(int pid, char *name, size_t size)
{
	FILE *f = fopen("sys:context", "r");
	char line[LINE_MAX_LEN], comm[NAME_LEN];
	int p, ppid;

	snprintf(name, size, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %d %31s", &p, &ppid, comm) == 3 && p == pid) {
			snprintf(name, size, "%s", comm);
			break;
		}
	fclose(f);
}

int main(void)
{
	FILE *f = fopen("sys:schemes", "r");
	char line[LINE_MAX_LEN], scheme[NAME_LEN], server[NAME_LEN];
	int pid;

	if (!f) {
		perror("schemes: sys:schemes");
		return 1;
	}
	printf("%-16s %6s  %s\n", "SCHEME", "PID", "SERVER");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %d", scheme, &pid) != 2) {
			fprintf(stderr, "schemes: bad line in sys:schemes: %s", line);
			fclose(f);
			return 1;
		}
		if (pid == KERNEL_PID)
			snprintf(server, sizeof(server), "kernel");
		else
			server_name(pid, server, sizeof(server));
		printf("%-16s %6d  %s\n", scheme, pid, server);
	}
	fclose(f);
	return fflush(stdout) == 0 ? 0 : 1;
}
