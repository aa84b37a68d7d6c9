/*
 * t_uscheme_fail: failures around a user-space scheme (Anode only), served
 * by the daemon of tests/user/uscheme_testd.h: a signal to a client blocked
 * on the daemon gives EINTR and the daemon a CANCEL; under SA_RESTART the
 * read starts again (and SIGKILL ends it without waiting); a daemon that
 * ignores the cancel still lets the call end with EINTR; killing the daemon
 * fails a blocked call with EIO at once, old descriptors with EIO, opens
 * with ENODEV, and a new daemon can take the name.
 * Prints "PASS: t_uscheme_fail" or "FAIL: t_uscheme_fail: <reason>".
 */
#define TEST_NAME "t_uscheme_fail"
#include "uscheme_testd.h"

static void on_usr1(int sig)
{
	(void)sig;
}

/* A child that reads one byte of name with a SIGUSR1 handler installed
 * (sa_flags: SA_RESTART or 0); it exits 0 if the read fails with want. */
static pid_t spawn_reader(const char *name, int sa_flags, int want)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = sa_flags };
	pid_t kid = fork();

	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		char c;
		int fd = open_ut(name, O_RDONLY);

		sigaction(SIGUSR1, &sa, NULL);
		_exit(fd >= 0 && read(fd, &c, 1) == -1 && errno == want ? 0 : 1);
	}
	return kid;
}

static void reap_ok(pid_t kid, const char *what)
{
	int status;

	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && !WEXITSTATUS(status), "%s", what);
}

static void test_signal(void)
{
	pid_t kid = spawn_reader("hang", 0, EINTR);

	expect('H');
	kill(kid, SIGUSR1);
	expect('C');
	reap_ok(kid, "the interrupted read was not EINTR");
	printf("t_uscheme_fail: cancel on signal ok\n");
}

/* Under SA_RESTART the cancelled read starts again (the daemon sees it
 * twice); SIGKILL then ends the client at once. */
static void test_restart(void)
{
	pid_t kid = spawn_reader("hang", SA_RESTART, 0);
	int status;

	expect('H');
	kill(kid, SIGUSR1);
	expect('C');
	expect('H');
	kill(kid, SIGKILL);
	CHECK(waitpid(kid, &status, 0) == kid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "the restarted read did not wait again");
	printf("t_uscheme_fail: SA_RESTART ok\n");
}

/* A daemon that ignores the cancel: the call still ends, with EINTR,
 * after the kernel's bounded wait (100 ms). */
static void test_deaf(void)
{
	pid_t kid = spawn_reader("deaf", 0, EINTR);

	expect('D');
	kill(kid, SIGUSR1);
	expect('c');
	reap_ok(kid, "a read the daemon never answers did not end with EINTR");
	printf("t_uscheme_fail: unanswered cancel ok\n");
}


static void test_death(pid_t daemon)
{
	int old = open_ut("rw", O_RDONLY), status;
	char c;
	pid_t kid = spawn_reader("hang", 0, EIO);

	CHECK(old >= 0, "open: %s", strerror(errno));
	expect('H');
	kill(daemon, SIGKILL);
	reap_ok(kid, "the blocked call did not fail with EIO");
	CHECK(waitpid(daemon, &status, 0) == daemon, "wait daemon");
	CHECK(read(old, &c, 1) == -1 && errno == EIO, "old descriptor: %s", strerror(errno));
	CHECK(open_ut("rw", O_RDONLY) == -1 && errno == ENODEV, "open of a dead scheme: %s", strerror(errno));
	close(old);
	daemon = start_daemon();
	old = open_ut("rw", O_RDONLY);
	CHECK(old >= 0 && read(old, &c, 1) == 1, "the new daemon serves: %s", strerror(errno));
	close(old);
	kill(daemon, SIGKILL);
	waitpid(daemon, &status, 0);
	printf("t_uscheme_fail: daemon death ok\n");
}

int main(void)
{
	pid_t daemon;

	setvbuf(stdout, NULL, _IONBF, 0);
	daemon = start_daemon();
	test_signal();
	test_restart();
	test_deaf();
	test_death(daemon);
	printf("PASS: t_uscheme_fail\n");
	return 0;
}
