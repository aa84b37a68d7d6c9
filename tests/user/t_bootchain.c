/*
 * t_bootchain: the boot chain as a program started by init sees it.
 * sys:schemes lists initfs and file served by one daemon (pid > 0) and
 * not boot, which this process cannot open (ENOENT: init dropped it from
 * every namespace but initfsd's; sys:namespace is "*"). Then initfsd is
 * killed with SIGKILL while this process holds a file open: a new initfsd
 * serves file: within a second (the time is printed), the held
 * descriptor's read fails with EIO rather than hanging, and both a fresh
 * open and a program started after the restart work. Last, in a child:
 * anode_setns("*") keeps every public name (32, NAMESET_MAX) and a list
 * naming boot does not give it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "schemeinfo.h"
#include "anode.h"

#define HELD_FILE "/etc/motd"
#define RESTART_LIMIT_NS 1000000000LL /* the bound: restarted within a second */
#define POLL_NS 1000000L              /* between two looks at sys:schemes */
#define TEXT_MAX 4096

#define FAIL(...) do { printf("FAIL: t_bootchain: " __VA_ARGS__); printf("\n"); exit(1); } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char *slurp(const char *path)
{
	static char text[TEXT_MAX];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	CHECK(n >= 0, "read %s: %s", path, strerror(errno));
	close(fd);
	text[n] = '\0';
	return text;
}

static int check_schemes(void)
{
	char *text = slurp("sys:schemes");
	int initfs = scheme_server_in(text, "initfs"), file = scheme_server_in(text, "file");

	CHECK(initfs > 0 && file == initfs, "initfs and file not served by one daemon:\n%s", text);
	CHECK(scheme_server_in(text, "boot") == 0 && !strstr(text, "\nboot "), "boot is visible:\n%s", text);
	errno = 0;
	CHECK(open("boot:initfs", O_RDONLY) == -1 && errno == ENOENT, "boot:initfs: errno %d", errno);
	CHECK(strcmp(slurp("sys:namespace"), "*\n") == 0, "namespace: %s", slurp("sys:namespace"));
	printf("t_bootchain: initfs and file served by pid %d, boot hidden\n", file);
	return file;
}

/* Kills initfsd and waits (bounded) for another to serve file:. */
static void restart(int old)
{
	const struct timespec poll = { 0, POLL_NS };
	long long t0, waited;
	int now = 0;
	char buf[16];
	int fd = open(HELD_FILE, O_RDONLY);

	CHECK(fd >= 0 && read(fd, buf, 1) == 1, "%s: %s", HELD_FILE, strerror(errno));
	t0 = now_ns();
	CHECK(kill(old, SIGKILL) == 0, "kill %d: %s", old, strerror(errno));
	for (;;) {
		now = scheme_server("file");
		waited = now_ns() - t0;
		if (now > 0 && now != old)
			break;
		CHECK(waited < RESTART_LIMIT_NS, "file: not served again within a second");
		nanosleep(&poll, NULL);
	}
	printf("t_bootchain: initfsd %d -> %d in %lld us\n", old, now, waited / 1000);
	errno = 0;
	CHECK(read(fd, buf, sizeof(buf)) == -1 && errno == EIO, "held descriptor: errno %d", errno);
	close(fd);
	fd = open(HELD_FILE, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 1) == 1, "reopening %s: %s", HELD_FILE, strerror(errno));
	close(fd);
	printf("t_bootchain: held descriptor EIO, fresh open ok\n");
}

static void run_true(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "/bin/true: status %#x", status);
	printf("t_bootchain: a program started after the restart ran\n");
}

#define NS_EVERY_PUBLIC 32 /* anode_setns("*")'s answer: NAMESET_MAX */

static void narrowing(void)
{
	static const char wildcard[] = "*", boot_null[] = "boot\0null\0";
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (anode_setns(wildcard, sizeof(wildcard)) != NS_EVERY_PUBLIC ||
		    strcmp(slurp("sys:namespace"), "*\n") != 0)
			_exit(1);
		/* The list without the literal's own NUL. */
		if (anode_setns(boot_null, sizeof(boot_null) - 1) != 1 ||
		    open("boot:initfs", O_RDONLY) != -1 || errno != ENOENT)
			_exit(2);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "narrowing: \"*\" changed the namespace (1) or boot came back (2): %#x", status);
	printf("t_bootchain: \"*\" keeps every public name, boot cannot be asked back\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	restart(check_schemes());
	check_schemes();
	run_true();
	narrowing();
	printf("PASS: t_bootchain\n");
	return 0;
}
