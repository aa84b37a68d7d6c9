/*
 * user/drvctl.c: the driver manager's command line (drivers/drvmgr/).
 *   drvctl [-n SCHEME] list           the devices: node, driver, pid,
 *                                     state, restarts (drvmgr:'s table
 *                                     under a header)
 *   drvctl [-n SCHEME] restart NAME   restart the devices whose node path
 *                                     or driver name is NAME
 * -n names another drvmgr instance's scheme (tests run their own). Errors
 * go to stderr and exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_SCHEME "drvmgr"
#define PATH_MAX_LEN 64
#define CMD_MAX 256
#define TABLE_MAX 32768

static const char *scheme = DEFAULT_SCHEME;

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "drvctl: %s: %s\n", what, why);
	return 1;
}

static int open_scheme(const char *name, int flags)
{
	char path[PATH_MAX_LEN];

	snprintf(path, sizeof(path), "%s:%s", scheme, name);
	return open(path, flags);
}

static int list(void)
{
	static char table[TABLE_MAX];
	size_t len = 0;
	ssize_t n;
	int fd = open_scheme("list", O_RDONLY);

	if (fd < 0)
		return fail(scheme, strerror(errno));
	while (len < sizeof(table) - 1 && (n = read(fd, table + len, sizeof(table) - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0)
		return fail(scheme, strerror(errno));
	close(fd);
	table[len] = '\0';
	printf("%-24s %-12s %6s %-8s %s\n", "DEVICE", "DRIVER", "PID", "STATE", "RESTARTS");
	for (char *line = strtok(table, "\n"); line; line = strtok(NULL, "\n")) {
		char dev[128], drv[64], pid[16], state[16];
		unsigned restarts;

		if (sscanf(line, "%127s %63s %15s %15s %u", dev, drv, pid, state, &restarts) != 5)
			return fail(scheme, "unexpected line in the table");
		printf("%-24s %-12s %6s %-8s %u\n", dev, drv, pid, state, restarts);
	}
	return 0;
}

static int restart(const char *name)
{
	char cmd[CMD_MAX];
	int fd = open_scheme("", O_WRONLY), n = snprintf(cmd, sizeof(cmd), "restart %s\n", name);

	if (n < 0 || (size_t)n >= sizeof(cmd))
		return fail(name, strerror(ENAMETOOLONG));
	if (fd < 0)
		return fail(scheme, strerror(errno));
	if (write(fd, cmd, (size_t)n) != n)
		return fail(name, errno == ENOENT ? "no such device or driver" : strerror(errno));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		scheme = argv[2];
		i = 3;
	}
	if (argc == i + 1 && !strcmp(argv[i], "list"))
		return list();
	if (argc == i + 2 && !strcmp(argv[i], "restart"))
		return restart(argv[i + 1]);
	fprintf(stderr, "usage: drvctl [-n SCHEME] list | restart NAME\n");
	return 1;
}
