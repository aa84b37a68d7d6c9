/*
 * user/init/supervise.c: init's children (see supervise.h). init is
 * single-threaded: the table below is touched only by its main flow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>
#include "supervise.h"
#include "drivers/initfsd/initfsd.h"

extern char **environ;

#define EXEC_FAILED 127                 /* a child's status when exec fails (sh's) */
#define SIGNAL_STATUS_BASE 128          /* a shell's status for death by signal N */

struct child {
	pid_t pid;                      /* 0: a free slot */
	enum child_kind kind;
	char *const *argv;
};

static struct child children[SUPERVISE_MAX];

int supervise_status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return SIGNAL_STATUS_BASE + WTERMSIG(status);
	return 255;
}

/* In the child: initfsd, or its program, whose exec drops the private
 * names (boot:) from its namespace (kernel/exec.c). */
static __attribute__((noreturn)) void child_main(enum child_kind kind, char *const argv[])
{
	if (kind == CHILD_INITFSD)
		_exit(initfsd_run());
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
	*slot = (struct child){ .pid = pid, .kind = kind, .argv = argv };
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
	case CHILD_DAEMON:
		printf("init: %s (pid %d) exited with status %d\n", name, c.pid,
		       supervise_status_code(status));
		break;
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
