/*
 * t_pgrp: process groups and sessions.
 * fork inherits the group and session; kill(-pgrp) reaches every member of
 * a group of three (and waitpid(-pgrp) reaps them, then ECHILD), kill of an
 * empty group gives ESRCH; waitpid(0) waits only for the caller's group;
 * setsid makes a new session whose leader leads its group (getsid/getpgid
 * of another process see it), and a group leader's setsid is EPERM;
 * setpgid's errors: EINVAL (negative pgid), ESRCH (not a child), EPERM
 * (another session, a session leader, a group that does not exist), EACCES
 * (a child that has exec'd); getpgid/getsid of no process give ESRCH; a
 * group orphaned by an exit, with a stopped member, gets SIGHUP and SIGCONT.
 * On Anode, run as init, the caller is pid 1, pgid 1, sid 1.
 * Run as "t_pgrp pause FD": writes a byte to FD, then pauses (the exec'd
 * child of the EACCES case).
 * Prints "PASS: t_pgrp" or "FAIL: t_pgrp: <reason>".
 */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NO_SUCH_PID 30000   /* no process has this id */
#define GROUP_SIZE 3
#define INIT_PID 1
#define ORPHAN_WAIT_MS 5000 /* for the orphaned member's report */
#define POLL_MS 10

#define FAIL(...) do { \
	printf("FAIL: t_pgrp: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* Child-side check: exits 1 with a message, so the parent's FAIL names it. */
#define CHILD_CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("t_pgrp: child: " __VA_ARGS__); \
		printf("\n"); \
		_exit(1); \
	} \
} while (0)

static void expect_errno(long ret, int want, const char *what)
{
	if (ret != -1 || errno != want)
		FAIL("%s: returned %ld errno %d, want errno %d", what, ret, errno, want);
}

static void reap_ok(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		FAIL("%s: waitpid: %s", what, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("%s: child status %#x", what, status);
}

static pid_t fork_or_fail(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	return pid;
}

static void inherit_test(void)
{
	pid_t pg = getpgid(0), sid = getsid(0), pid;

	if (pg < 0 || sid < 0 || getpgrp() != pg)
		FAIL("getpgid(0) %d getsid(0) %d getpgrp %d", pg, sid, getpgrp());
	/* Anode: init is pid 1, pgid 1, sid 1. */
	if (getpid() == INIT_PID && (pg != INIT_PID || sid != INIT_PID))
		FAIL("init: pgid %d sid %d, want 1 and 1", pg, sid);
	pid = fork_or_fail();
	if (pid == 0) {
		CHILD_CHECK(getpgid(0) == pg && getsid(0) == sid, "pgid %d sid %d", getpgid(0),
			    getsid(0));
		_exit(0);
	}
	if (getpgid(pid) != pg || getsid(pid) != sid)
		FAIL("the child's pgid %d sid %d from the parent", getpgid(pid), getsid(pid));
	reap_ok(pid, "inherit");
	expect_errno(getpgid(NO_SUCH_PID), ESRCH, "getpgid(no process)");
	expect_errno(getsid(NO_SUCH_PID), ESRCH, "getsid(no process)");
	printf("t_pgrp: fork inherits pgid %d and sid %d; ESRCH for no process ok\n", pg, sid);
}

/* Three children in one new group, led by the first, all pausing. */
static void group_kill_test(void)
{
	pid_t kids[GROUP_SIZE], pg = 0;
	int status;

	for (int i = 0; i < GROUP_SIZE; i++) {
		kids[i] = fork_or_fail();
		if (kids[i] == 0) {
			setpgid(0, pg); /* both sides set it: no race */
			pause();
			_exit(0);
		}
		if (setpgid(kids[i], pg) != 0)
			FAIL("setpgid(child %d, %d): %s", i, pg, strerror(errno));
		if (!pg)
			pg = kids[0];
	}
	for (int i = 0; i < GROUP_SIZE; i++)
		if (getpgid(kids[i]) != pg)
			FAIL("child %d in group %d, want %d", i, getpgid(kids[i]), pg);
	/* waitpid(0) names only the caller's group: none of these. */
	if (waitpid(0, &status, WNOHANG) != -1 || errno != ECHILD)
		FAIL("waitpid(0) with children only in another group: want ECHILD");
	if (kill(-pg, SIGTERM) != 0)
		FAIL("kill(-%d): %s", pg, strerror(errno));
	for (int i = 0; i < GROUP_SIZE; i++) {
		pid_t got = waitpid(-pg, &status, 0);

		if (got <= 0)
			FAIL("waitpid(-%d) #%d: %s", pg, i, strerror(errno));
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
			FAIL("member %d: status %#x, want SIGTERM", got, status);
	}
	expect_errno(waitpid(-pg, &status, WNOHANG), ECHILD, "waitpid(-pgrp) once all reaped");
	expect_errno(kill(-pg, SIGTERM), ESRCH, "kill of an empty group");
	expect_errno(kill(-pg, 0), ESRCH, "kill(-pgrp, 0) of an empty group");
	printf("t_pgrp: kill(-pgrp) reaches %d members, waitpid(-pgrp), ESRCH when empty ok\n",
	       GROUP_SIZE);

	/* waitpid(0) does reap a child of the caller's own group. */
	kids[0] = fork_or_fail();
	if (kids[0] == 0)
		_exit(0);
	if (waitpid(0, &status, 0) != kids[0] || !WIFEXITED(status))
		FAIL("waitpid(0) for a child in the caller's group: %s", strerror(errno));
	printf("t_pgrp: waitpid(0) ok\n");
}

static void setsid_test(void)
{
	int fds[2];
	char c;
	pid_t pid;

	/* A group leader cannot make a session. */
	pid = fork_or_fail();
	if (pid == 0) {
		CHILD_CHECK(setpgid(0, 0) == 0, "setpgid(0, 0): %s", strerror(errno));
		errno = 0;
		CHILD_CHECK(setsid() == -1 && errno == EPERM, "a leader's setsid: errno %d", errno);
		_exit(0);
	}
	reap_ok(pid, "leader's setsid");
	if (getpid() == INIT_PID)
		expect_errno(setsid(), EPERM, "init's setsid");

	/* A new session: its leader leads its group; it cannot move or make
	 * another session; the parent cannot move it (another session). */
	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	pid = fork_or_fail();
	if (pid == 0) {
		pid_t me = getpid();

		CHILD_CHECK(setsid() == me, "setsid: %s", strerror(errno));
		CHILD_CHECK(getsid(0) == me && getpgid(0) == me, "sid %d pgid %d", getsid(0),
			    getpgid(0));
		errno = 0;
		CHILD_CHECK(setsid() == -1 && errno == EPERM, "second setsid: errno %d", errno);
		errno = 0;
		CHILD_CHECK(setpgid(0, 0) == -1 && errno == EPERM, "session leader setpgid: %d",
			    errno);
		write(fds[1], "s", 1);
		pause();
		_exit(0);
	}
	close(fds[1]); /* a child that dies gives EOF, not a hang */
	if (read(fds[0], &c, 1) != 1)
		FAIL("the session child did not report");
	if (getsid(pid) != pid || getpgid(pid) != pid)
		FAIL("the new session's sid %d pgid %d, want %d", getsid(pid), getpgid(pid), pid);
	expect_errno(setpgid(pid, pid), EPERM, "setpgid of a child in another session");
	expect_errno(setpgid(pid, getpgid(0)), EPERM, "setpgid of a child into our group");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	printf("t_pgrp: setsid, EPERM for a leader, getsid/getpgid of another process ok\n");
}

static void setpgid_errors_test(const char *self)
{
	int fds[2];
	char c, fdarg[16];
	pid_t pid;

	expect_errno(setpgid(0, -1), EINVAL, "setpgid(0, -1)");
	expect_errno(setpgid(NO_SUCH_PID, 0), ESRCH, "setpgid of no process");
	pid = fork_or_fail();
	if (pid == 0) {
		pid_t parent = getppid();

		/* The parent is not our child. */
		errno = 0;
		CHILD_CHECK(setpgid(parent, parent) == -1 && errno == ESRCH,
			    "setpgid(parent): errno %d", errno);
		/* A group that does not exist in the session. */
		errno = 0;
		CHILD_CHECK(setpgid(0, NO_SUCH_PID) == -1 && errno == EPERM,
			    "setpgid into no group: errno %d", errno);
		_exit(0);
	}
	reap_ok(pid, "setpgid errors");

	/* EACCES once the child has exec'd. */
	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	pid = fork_or_fail();
	if (pid == 0) {
		snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
		execl(self, self, "pause", fdarg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]); /* a child whose exec fails gives EOF, not a hang */
	if (read(fds[0], &c, 1) != 1)
		FAIL("the exec'd child did not report");
	expect_errno(setpgid(pid, pid), EACCES, "setpgid of a child that exec'd");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	printf("t_pgrp: setpgid EINVAL, ESRCH, EPERM, EACCES ok\n");
}

static int orphan_fd; /* the member's end of the report pipe */

static void on_hup(int sig)
{
	(void)sig;
	write(orphan_fd, "h", 1);
	_exit(0);
}

/* Reads n bytes from a non-blocking fd within ORPHAN_WAIT_MS: a missing
 * SIGHUP must fail the test, not hang it (poll cannot tell on Anode yet). */
static int read_within(int fd, void *buf, size_t n)
{
	struct timespec step = { 0, POLL_MS * 1000000L };

	for (int ms = 0; ms < ORPHAN_WAIT_MS; ms += POLL_MS) {
		if (read(fd, buf, n) == (ssize_t)n)
			return 0;
		nanosleep(&step, NULL);
	}
	return -1;
}

/*
 * POSIX _exit: a group that an exit orphans and that has a stopped member
 * gets SIGHUP, then SIGCONT. A makes a new session; B, its child, makes a
 * group and forks C into it; C reports its pid, sets a SIGHUP handler and
 * stops; B waits until C has stopped and exits. C's parent is then init,
 * outside A's session, so C's group is orphaned: C is continued and its
 * handler reports.
 */
static void orphan_test(void)
{
	int fds[2];
	pid_t a, member = 0;
	char c = 0;

	if (pipe(fds) < 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0)
		FAIL("pipe: %s", strerror(errno));
	a = fork_or_fail();
	if (a == 0) {
		pid_t b;
		int status;

		CHILD_CHECK(setsid() == getpid(), "setsid: %s", strerror(errno));
		b = fork();
		CHILD_CHECK(b >= 0, "fork: %s", strerror(errno));
		if (b == 0) {
			pid_t m;

			CHILD_CHECK(setpgid(0, 0) == 0, "setpgid: %s", strerror(errno));
			m = fork();
			CHILD_CHECK(m >= 0, "fork: %s", strerror(errno));
			if (m == 0) {
				pid_t me = getpid();

				orphan_fd = fds[1];
				signal(SIGHUP, on_hup);
				write(fds[1], &me, sizeof(me));
				raise(SIGSTOP);
				for (;;)
					pause(); /* the handler exits */
			}
			CHILD_CHECK(waitpid(m, &status, WUNTRACED) == m && WIFSTOPPED(status),
				    "the member did not stop: status %#x", status);
			_exit(0); /* orphans the group */
		}
		CHILD_CHECK(waitpid(b, &status, 0) == b && WIFEXITED(status) && !WEXITSTATUS(status),
			    "the group leader failed: status %#x", status);
		_exit(0);
	}
	close(fds[1]);
	reap_ok(a, "orphaned-group session");
	if (read_within(fds[0], &member, sizeof(member)) != 0)
		FAIL("the orphaned group's member did not start");
	if (read_within(fds[0], &c, 1) != 0 || c != 'h') {
		kill(member, SIGKILL);
		FAIL("a stopped member of an orphaned group got no SIGHUP and SIGCONT");
	}
	close(fds[0]);
	printf("t_pgrp: an orphaned group's stopped member got SIGHUP and SIGCONT\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "pause") == 0) {
		write(atoi(argv[2]), "e", 1);
		pause();
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	inherit_test();
	group_kill_test();
	setsid_test();
	setpgid_errors_test(argv[0]);
	orphan_test();
	printf("PASS: t_pgrp\n");
	return 0;
}
