/*
 * user/init/supervise.c: init's children (see supervise.h). init is
 * single-threaded: the table below is touched only by its main flow.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "supervise.h"
#include "drivers/initfsd/initfsd.h"

extern char **environ;

#define EXEC_FAILED 127                 /* a child's status when exec fails (sh's) */
#define SIGNAL_STATUS_BASE 128          /* a shell's status for death by signal N */

/* A `start` daemon that dies sooner than this after its start waits out
 * the rest before it is started again: a daemon that cannot start at all
 * costs a line a second, not a loop. */
#define DAEMON_MIN_RUN_NS 1000000000LL

struct child {
	pid_t pid;                      /* 0: a free slot */
	enum child_kind kind;
	char *const *argv;
	long long started_ns;           /* CLOCK_MONOTONIC at the fork */
};

static struct child children[SUPERVISE_MAX];
/* The console (`console` line), reopened by the main program's child as
 * its controlling terminal; "" while the kernel's. */
static char console_path[SUPERVISE_CONSOLE_MAX];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void supervise_set_console(const char *path)
{
	snprintf(console_path, sizeof(console_path), "%s", path);
}

/* init's own descriptors again: a console daemon that died (and was
 * restarted) leaves the old ones answering EIO. */
static void reopen_console(void)
{
	int fd;

	if (!console_path[0] || (fd = open(console_path, O_RDWR | O_NOCTTY)) < 0)
		return;
	for (int i = 0; i <= STDERR_FILENO; i++)
		dup2(fd, i);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* The main program leads a session of its own with the console as its
 * controlling terminal (opened without O_NOCTTY by a session leader), so
 * a shell there has job control and ^C reaches its foreground group. */
static void main_session(void)
{
	int fd;

	if (!console_path[0] || setsid() < 0)
		return;
	fd = open(console_path, O_RDWR);
	if (fd < 0)
		return; /* keeps init's descriptors, without a terminal */
	for (int i = 0; i <= STDERR_FILENO; i++)
		dup2(fd, i);
	if (fd > STDERR_FILENO)
		close(fd);
}

int supervise_status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return SIGNAL_STATUS_BASE + WTERMSIG(status);
	return 255;
}

/* The login session holds no device rights: memory:, irq: and the clock
 * stay grant rights (kernel/scheme/grant.h), never uid 0's, so neither a
 * user nor root at the console gets them. Writing the device tree's root
 * node, which has no registers or interrupts and names no right, narrows
 * the grant to nothing. Failing that, the login does not start. */
#define GRANT_NOTHING "/"
static void drop_device_rights(void)
{
	int fd = open("grant:", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, GRANT_NOTHING, strlen(GRANT_NOTHING)) < 0) {
		fprintf(stderr, "init: cannot drop the login's device rights: %s\n", strerror(errno));
		_exit(EXEC_FAILED);
	}
	close(fd);
}

/* In the child: initfsd, or its program, whose exec drops the private
 * names (boot:) from its namespace (kernel/exec.c). */
static __attribute__((noreturn)) void child_main(enum child_kind kind, char *const argv[])
{
	if (kind == CHILD_INITFSD)
		_exit(initfsd_run());
	if (kind == CHILD_MAIN)
		main_session();
	if (kind == CHILD_LOGIN)
		drop_device_rights();
	execve(argv[0], argv, environ);
	fprintf(stderr, "init: cannot start %s: %s\n", argv[0], strerror(errno));
	_exit(EXEC_FAILED);
}

pid_t supervise_start(enum child_kind kind, char *const argv[])
{
	struct child *slot = NULL;
	pid_t pid;

	for (int i = 0; i < SUPERVISE_MAX && !slot; i++)
		if (!children[i].pid)
			slot = &children[i];
	if (!slot) {
		fprintf(stderr, "init: more than %d children to watch; not starting %s\n",
			SUPERVISE_MAX, argv ? argv[0] : INITFSD_NAME);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		child_main(kind, argv);
	if (pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return -1;
	}
	*slot = (struct child){ .pid = pid, .kind = kind, .argv = argv, .started_ns = now_ns() };
	return pid;
}

static __attribute__((noreturn)) void power_off(int status)
{
	if (WIFSIGNALED(status))
		printf("init: killed by signal %d\n", WTERMSIG(status));
	else
		printf("init: exited with status %d\n", supervise_status_code(status));
	fflush(stdout);
	reboot(RB_POWER_OFF);
	/* Only if the kernel refused: there is nothing else to run. */
	fprintf(stderr, "init: reboot: %s\n", strerror(errno));
	for (;;)
		pause();
}

/* Acts on the exit of c (its slot is free again on return). */
static void exited(struct child c, int status)
{
	const char *name = c.argv ? c.argv[0] : INITFSD_NAME;

	reopen_console();
	switch (c.kind) {
	case CHILD_MAIN:
		power_off(status);
	case CHILD_INITFSD:
		if (WIFEXITED(status) && (WEXITSTATUS(status) == INITFSD_EXIT_ARCHIVE ||
					  WEXITSTATUS(status) == INITFSD_EXIT_CORRUPT)) {
			/* Another would fail the same way (it said why). */
			printf("init: %s (pid %d) exited with status %d; the archive cannot be "
			       "served, not restarting\n", name, c.pid, WEXITSTATUS(status));
			break;
		}
		/* Restarted like a respawned program. */
		__attribute__((fallthrough));
	case CHILD_RESPAWN:
		printf("init: %s (pid %d) exited with status %d; restarting\n", name, c.pid,
		       supervise_status_code(status));
		supervise_start(c.kind, c.argv);
		break;
	case CHILD_LOGIN: /* a getty that cannot start must not spin */
	case CHILD_DAEMON: {
		long long ran = now_ns() - c.started_ns;

		printf("init: %s (pid %d) exited with status %d; restarting\n", name, c.pid,
		       supervise_status_code(status));
		if (ran < DAEMON_MIN_RUN_NS) {
			struct timespec rest = { 0, (long)(DAEMON_MIN_RUN_NS - ran) };

			nanosleep(&rest, NULL);
		}
		supervise_start(c.kind, c.argv);
		break;
	}
	case CHILD_RUN:
		break;
	}
}

void supervise_reap(bool block)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, block ? 0 : WNOHANG);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0 && errno == ECHILD && block)
			pause(); /* no child at all: nothing can ever exit */
		if (pid <= 0)
			return; /* nothing more now */
		block = false; /* one is enough; take the rest that are ready */
		for (int i = 0; i < SUPERVISE_MAX; i++) {
			if (children[i].pid == pid) {
				struct child c = children[i];

				children[i].pid = 0;
				exited(c, status);
				break;
			}
		}
		/* Not found: an orphan, collected and forgotten. */
	}
}

bool supervise_alive(pid_t pid)
{
	for (int i = 0; i < SUPERVISE_MAX; i++)
		if (children[i].pid == pid)
			return true;
	return false;
}

pid_t supervise_initfsd(void)
{
	for (int i = 0; i < SUPERVISE_MAX; i++)
		if (children[i].pid && children[i].kind == CHILD_INITFSD)
			return children[i].pid;
	return 0;
}
