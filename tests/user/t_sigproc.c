/*
 * t_sigproc: signals between processes and around blocking calls. SIGCHLD
 * reaches the parent with CLD_EXITED, the child's pid and status; a parent
 * that ignores SIGCHLD or sets SA_NOCLDWAIT has its children reaped at exit
 * (wait gives ECHILD); SIGPIPE's
 * default kills a writer to a pipe with no reader (ignored: EPIPE, see
 * t_pipe); a read of an empty pipe is interrupted (EINTR) by a handler
 * without SA_RESTART and restarted with it; nanosleep interrupted by a
 * handler returns EINTR with the time left; setitimer(ITIMER_REAL) (as
 * alarm) kills by default, getitimer shows the time left, bad arguments
 * give EINVAL; SIGQUIT kills with the core bit (Anode; Linux sets it only
 * when a core is really dumped); a stopped child does not run, reports
 * CLD_STOPPED and CLD_CONTINUED through SIGCHLD (taken by sigtimedwait),
 * and runs again after SIGCONT; SIGKILL ends a stopped child; fork keeps handlers and the mask; execve
 * resets caught signals to default and keeps ignored ones and the mask.
 * Prints "PASS: t_sigproc" or "FAIL: t_sigproc: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_sigproc: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

#define CHILD_STATUS 3
#define TIMER_US 30000          /* 30 ms */
#define LONG_SLEEP_S 2
#define SIGNAL_DELAY_NS 50000000L /* 50 ms */
#define STOP_CHECK_NS 100000000L  /* 100 ms */
#define WAIT_SIGCHLD_S 5
#define EXEC_ARG "exec-check"
#define BAD_ITIMER 99
#define USEC_PER_SEC 1000000

static volatile sig_atomic_t hits, last_sig;
static volatile int chld_code, chld_pid, chld_status;

static void on_sig(int sig)
{
	hits++;
	last_sig = sig;
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	chld_code = si->si_code;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void arm_timer(long us)
{
	struct itimerval it = { .it_value = { us / USEC_PER_SEC, us % USEC_PER_SEC } };

	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer: %s", strerror(errno));
}

static int wait_status(pid_t pid)
{
	int status;

	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return status;
}

static void test_sigchld_sigpipe(void)
{
	struct sigaction sa;
	int fds[2], status;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0, "sigaction(SIGCHLD)");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		_exit(CHILD_STATUS);
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_STATUS, "status %#x", status);
	CHECK(chld_code == CLD_EXITED && chld_pid == pid && chld_status == CHILD_STATUS,
	      "SIGCHLD info: code %d pid %d status %d", chld_code, chld_pid, chld_status);
	signal(SIGCHLD, SIG_DFL);

	/* The read end is closed before the fork, so no reader exists when the
	 * child writes (closed after it, the child could write first and exit
	 * 0: found under load). */
	CHECK(pipe(fds) == 0, "pipe");
	close(fds[0]);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	close(fds[1]);
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "writer to no reader: status %#x",
	      status);

	/* SIGCHLD ignored, then SA_NOCLDWAIT: children are reaped at exit. */
	for (int round = 0; round < 2; round++) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = round == 0 ? SIG_IGN : SIG_DFL;
		sa.sa_flags = round == 0 ? 0 : SA_NOCLDWAIT;
		CHECK(sigaction(SIGCHLD, &sa, NULL) == 0, "sigaction(SIGCHLD, %d)", round);
		pid = fork();
		CHECK(pid >= 0, "fork");
		if (pid == 0)
			_exit(0);
		errno = 0;
		CHECK(waitpid(pid, &status, 0) == -1 && errno == ECHILD,
		      "wait for an auto-reaped child (round %d): %s", round, strerror(errno));
	}
	signal(SIGCHLD, SIG_DFL);
	printf("t_sigproc: SIGCHLD, SIGPIPE, SIG_IGN/SA_NOCLDWAIT auto-reaping ok\n");
}

static void test_eintr_restart(void)
{
	int fds[2];
	char c;
	pid_t pid;
	struct timespec ts = { LONG_SLEEP_S, 0 }, rem = { 0, 0 };

	CHECK(pipe(fds) == 0, "pipe");
	set_handler(SIGALRM, on_sig, 0);
	hits = 0;
	arm_timer(TIMER_US);
	errno = 0;
	CHECK(read(fds[0], &c, 1) == -1 && errno == EINTR, "read without SA_RESTART: %s",
	      strerror(errno));
	CHECK(hits == 1, "handler ran %d times", (int)hits);

	set_handler(SIGALRM, on_sig, SA_RESTART);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		sleep_ns(2 * SIGNAL_DELAY_NS);
		write(fds[1], "r", 1);
		_exit(0);
	}
	arm_timer(TIMER_US);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'r', "read with SA_RESTART: %s", strerror(errno));
	CHECK(hits == 2, "SA_RESTART handler ran %d times", (int)hits - 1);
	wait_status(pid);
	close(fds[0]);
	close(fds[1]);

	/* nanosleep: EINTR and the time left. */
	set_handler(SIGUSR1, on_sig, SA_RESTART); /* nanosleep is never restarted */
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		sleep_ns(SIGNAL_DELAY_NS);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	errno = 0;
	CHECK(nanosleep(&ts, &rem) == -1 && errno == EINTR, "nanosleep: %s", strerror(errno));
	CHECK(rem.tv_sec >= LONG_SLEEP_S - 1 && rem.tv_sec < LONG_SLEEP_S &&
	      (rem.tv_sec > 0 || rem.tv_nsec > 0), "nanosleep left %ld.%09ld s", (long)rem.tv_sec,
	      (long)rem.tv_nsec);
	wait_status(pid);
	printf("t_sigproc: EINTR, SA_RESTART and nanosleep's remainder ok\n");
}

static int is_anode(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "Anode") == 0;
}

static void test_itimer_core(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } }, bad = { .it_value = { 0, USEC_PER_SEC } };
	pid_t pid;
	int status;

	errno = 0;
	CHECK(setitimer(BAD_ITIMER, &it, NULL) == -1 && errno == EINVAL, "setitimer(99)");
	errno = 0;
	CHECK(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL, "setitimer(1e6 us)");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		sigset_t none;

		signal(SIGALRM, SIG_DFL);
		arm_timer(LONG_SLEEP_S * USEC_PER_SEC);
		if (getitimer(ITIMER_REAL, &it) != 0 || it.it_value.tv_sec >= LONG_SLEEP_S ||
		    (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0))
			_exit(4);
		arm_timer(TIMER_US);
		sigemptyset(&none);
		for (;;)
			sigsuspend(&none);
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM, "alarm: status %#x", status);

	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		raise(SIGQUIT);
		_exit(5);
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGQUIT, "SIGQUIT: status %#x", status);
	CHECK(!is_anode() || WCOREDUMP(status), "SIGQUIT without the core bit: %#x", status);
	printf("t_sigproc: setitimer, alarm and the core bit ok\n");
}

/* The next SIGCHLD's code (blocked SIGCHLD, taken by sigtimedwait). */
static int next_chld(pid_t pid, int *status)
{
	sigset_t set;
	siginfo_t si;
	struct timespec ts = { WAIT_SIGCHLD_S, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	CHECK(sigtimedwait(&set, &si, &ts) == SIGCHLD, "no SIGCHLD: %s", strerror(errno));
	CHECK(si.si_pid == pid, "SIGCHLD from %d, want %d", si.si_pid, pid);
	*status = si.si_status;
	return si.si_code;
}

static void test_stop_cont(void)
{
	volatile unsigned long *count = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE,
					     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long before;
	sigset_t set;
	pid_t pid;
	int st, code;

	CHECK(count != MAP_FAILED, "mmap: %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		for (;;)
			(*count)++;
	while (*count == 0)
		sched_yield();
	CHECK(kill(pid, SIGSTOP) == 0, "kill(SIGSTOP)");
	code = next_chld(pid, &st);
	CHECK(code == CLD_STOPPED && st == SIGSTOP, "stop: code %d status %d", code, st);
	before = *count;
	sleep_ns(STOP_CHECK_NS);
	CHECK(*count == before, "a stopped child ran (%lu -> %lu)", before, *count);
	CHECK(kill(pid, SIGCONT) == 0, "kill(SIGCONT)");
	code = next_chld(pid, &st);
	CHECK(code == CLD_CONTINUED && st == SIGCONT, "continue: code %d status %d", code, st);
	sleep_ns(STOP_CHECK_NS);
	CHECK(*count != before, "a continued child did not run");
	kill(pid, SIGKILL);
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "kill after continue: status %#x", st);
	code = next_chld(pid, &st);
	CHECK(code == CLD_KILLED && st == SIGKILL, "kill: code %d status %d", code, st);

	/* SIGKILL ends a stopped child too. */
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		for (;;)
			(*count)++;
	kill(pid, SIGSTOP);
	code = next_chld(pid, &st);
	CHECK(code == CLD_STOPPED, "second stop: code %d", code);
	kill(pid, SIGKILL);
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL while stopped: status %#x", st);
	next_chld(pid, &st);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("t_sigproc: SIGSTOP and SIGCONT ok\n");
}

/* In the new image: caught -> default, ignored stays, mask stays. */
static int exec_check(void)
{
	struct sigaction sa;
	sigset_t mask;

	sigaction(SIGUSR1, NULL, &sa);
	if (sa.sa_handler != SIG_DFL)
		return 6;
	sigaction(SIGUSR2, NULL, &sa);
	if (sa.sa_handler != SIG_IGN)
		return 7;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	if (!sigismember(&mask, SIGTERM))
		return 8;
	return 0;
}

static void test_fork_exec(const char *self)
{
	sigset_t set;
	pid_t pid;
	int st;

	set_handler(SIGUSR1, on_sig, 0);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct sigaction sa;
		sigset_t m;

		hits = 0;
		sigaction(SIGUSR1, NULL, &sa);
		sigprocmask(SIG_BLOCK, NULL, &m);
		raise(SIGUSR1);
		_exit(sa.sa_handler == on_sig && hits == 1 && sigismember(&m, SIGTERM) ? 0 : 9);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork kept handlers/mask: status %#x", st);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		execl(self, self, EXEC_ARG, (char *)NULL);
		_exit(10);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec reset: status %#x", st);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("t_sigproc: fork keeps, execve resets handlers ok\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], EXEC_ARG) == 0)
		return exec_check();
	test_sigchld_sigpipe();
	test_eintr_restart();
	test_itimer_core();
	test_stop_cont();
	test_fork_exec(argv[0]);
	printf("PASS: t_sigproc\n");
	return 0;
}
