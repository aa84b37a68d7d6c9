/*
 * demo: a short demonstration of Anode's user space, the main program of
 * the shipped /etc/init.rc (user/init.rc): runs a few of /bin's programs,
 * each after a header line, then says what to try next.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Exit status as a shell reports it: the code, or 128 + the signal. */
static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Fork and exec argv[0] with argv; returns the child's pid or -1. */
static pid_t spawn(char *const argv[])
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, environ);
		fprintf(stderr, "demo: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "demo: fork: %s\n", strerror(errno));
	return pid;
}

/* Wait until `child` exits. */
static int wait_for(pid_t child)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(child, &status, 0);
		if (pid == child)
			return status_code(status);
		if (pid < 0 && errno != EINTR) {
			fprintf(stderr, "demo: wait: %s\n", strerror(errno));
			return 255;
		}
	}
}

/* Run argv (NULL-terminated) to completion; returns its exit status. */
static int run(char *const argv[])
{
	pid_t pid = spawn(argv);
	return pid < 0 ? 127 : wait_for(pid);
}

/* Demonstration step: a header naming the command, then the command. */
static int step(char *const argv[])
{
	printf("\n$");
	for (int i = 0; argv[i]; i++)
		printf(" %s", i == 0 && strrchr(argv[i], '/') ?
		       strrchr(argv[i], '/') + 1 : argv[i]);
	printf("\n");
	return run(argv);
}

#define STEP(...) step((char *const[]){ __VA_ARGS__, NULL })

static void demo(void)
{
	printf("\n=== Anode: a microkernel for AArch64 ===\n");
	printf("This is /bin/demo (make run APPEND=init=/bin/demo). It runs a few others:\n");

	STEP("/bin/uname", "-a");
	STEP("/bin/echo", "Hello", "from", "user", "space!");
	STEP("/bin/ls", "-l", "/bin");
	STEP("/bin/cat", "/etc/motd");
	STEP("/bin/ps");
	STEP("/bin/threads");
	STEP("/bin/free");
	STEP("/bin/sleep", "1");
	printf("(slept one second)\n");
	int t = STEP("/bin/true");
	printf("exit status %d\n", t);
	int f = STEP("/bin/false");
	printf("exit status %d\n", f);
	STEP("/bin/dmesg");

	printf("\nWhat next:\n"
	       "  Run your own program:  make run APPEND='init=/bin/ls -- -l /bin'\n"
	       "  Add files under /extra: make run EXTRA_DIR=dir\n");
	fflush(stdout);
}

int main(void)
{
	demo();
	return 0;
}
