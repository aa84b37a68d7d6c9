/*
 * t_sigaction: signal actions and delivery. A handler runs with the right
 * siginfo (SI_USER with the sender's pid and uid; SI_QUEUE and si_value
 * from sigqueue); a blocked signal waits for the unmask, then runs;
 * SIG_IGN drops it; SA_RESETHAND, SA_NODEFER; standard signals do not queue
 * and real-time ones do, in order, with their values; sigpending;
 * sigsuspend; sigtimedwait (a taken signal, EAGAIN on timeout);
 * rt_sigaction refuses SIGKILL/SIGSTOP and bad numbers (EINVAL), bad
 * pointers (EFAULT); sigprocmask refuses a bad how (EINVAL) and cannot block
 * SIGKILL; tkill/tgkill reach the caller, bad ids give EINVAL/ESRCH, and
 * sigqueue to another process with a kernel si_code gives EPERM; bad sizes,
 * pointers and timespecs for rt_sigpending, rt_sigsuspend, rt_sigtimedwait,
 * sigaltstack and setitimer give EINVAL/EFAULT.
 * Runs as init on Anode: every signal here has a handler or is blocked.
 * Prints "PASS: t_sigaction" or "FAIL: t_sigaction: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_sigaction: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

#define RT_COUNT 3
#define RT_VALUE_BASE 100
#define TIMEDWAIT_NS 20000000L /* 20 ms */
#define SIGSET_BYTES 8         /* the kernel's sigset_t */
#define BAD_SIGNAL 65
#define BAD_ADDRESS ((void *)8)
#define BAD_HOW 7              /* not SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK */
#define NO_SUCH_TID 999999

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, last_uid, last_value, depth,
	max_depth, nested_blocked, raised;
static volatile int order[RT_COUNT], norder;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_uid = (sig_atomic_t)si->si_uid;
	last_value = si->si_value.sival_int;
	if (sig >= SIGRTMIN && norder < RT_COUNT)
		order[norder++] = si->si_value.sival_int;
}

static void on_plain(int sig)
{
	sigset_t cur;

	hits++;
	last_sig = sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	nested_blocked = sigismember(&cur, sig);
}

/* Re-raises itself once: with SA_NODEFER it nests; without, the second
 * run comes after the first returns. */
static void on_nest(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (!raised++)
		raise(sig);
	depth--;
}

static void set_handler(int sig, void (*fn)(int), void (*info)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (info) {
		sa.sa_sigaction = info;
		flags |= SA_SIGINFO;
	} else {
		sa.sa_handler = fn;
	}
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

static void block(int how, int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	CHECK(sigprocmask(how, &s, NULL) == 0, "sigprocmask: %s", strerror(errno));
}

/* A call that must fail with err (its result r). */
static void expect_errno(long r, int err, const char *what)
{
	CHECK(r == -1 && errno == err, "%s: %s, want %s", what, strerror(errno), strerror(err));
}

static void test_handler_and_info(void)
{
	union sigval v = { .sival_int = 42 };

	set_handler(SIGUSR1, NULL, on_info, 0);
	hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
	CHECK(hits == 1 && last_sig == SIGUSR1, "handler ran %d times, sig %d", (int)hits, (int)last_sig);
	CHECK(last_code == SI_USER && last_pid == getpid() && last_uid == (sig_atomic_t)getuid(),
	      "kill siginfo: code %d pid %d uid %d", (int)last_code, (int)last_pid, (int)last_uid);
	CHECK(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue: %s", strerror(errno));
	CHECK(hits == 2 && last_code == SI_QUEUE && last_value == 42,
	      "sigqueue siginfo: code %d value %d", (int)last_code, (int)last_value);
	printf("t_sigaction: handler and siginfo ok\n");
}

static void test_block_ignore(void)
{
	sigset_t pend;

	set_handler(SIGUSR2, on_plain, NULL, 0);
	hits = 0;
	block(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2); /* standard signals do not queue */
	CHECK(hits == 0, "a blocked signal ran");
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2), "SIGUSR2 not pending");
	block(SIG_UNBLOCK, SIGUSR2);
	CHECK(hits == 1, "after unblock: %d runs, want 1", (int)hits);
	CHECK(nested_blocked == 1, "the signal was not blocked in its handler");
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2), "still pending");

	/* SIG_IGN drops it, even when it was pending blocked. */
	block(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2), "ignored signal still pending");
	block(SIG_UNBLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	CHECK(hits == 1, "an ignored signal ran a handler");

	/* SA_RESETHAND: once, then the default (ignored here: SIGWINCH). */
	hits = 0;
	set_handler(SIGWINCH, on_plain, NULL, SA_RESETHAND);
	kill(getpid(), SIGWINCH);
	kill(getpid(), SIGWINCH);
	CHECK(hits == 1, "SA_RESETHAND handler ran %d times", (int)hits);

	/* SA_NODEFER: the handler may nest. */
	set_handler(SIGUSR2, on_nest, NULL, SA_NODEFER);
	max_depth = raised = 0;
	raise(SIGUSR2);
	CHECK(max_depth == 2, "SA_NODEFER depth %d, want 2", (int)max_depth);
	set_handler(SIGUSR2, on_nest, NULL, 0);
	max_depth = raised = 0;
	raise(SIGUSR2);
	CHECK(max_depth == 1 && raised == 2, "without SA_NODEFER depth %d, want 1", (int)max_depth);
	printf("t_sigaction: blocking, SIG_IGN, SA_RESETHAND, SA_NODEFER ok\n");
}

static void test_rt_queue(void)
{
	int sig = SIGRTMIN + 1;

	set_handler(sig, NULL, on_info, 0);
	block(SIG_BLOCK, sig);
	norder = 0;
	for (int i = 0; i < RT_COUNT; i++) {
		union sigval v = { .sival_int = RT_VALUE_BASE + i };

		CHECK(sigqueue(getpid(), sig, v) == 0, "sigqueue rt: %s", strerror(errno));
	}
	block(SIG_UNBLOCK, sig);
	CHECK(norder == RT_COUNT, "%d real-time signals delivered, want %d", (int)norder, RT_COUNT);
	for (int i = 0; i < RT_COUNT; i++)
		CHECK(order[i] == RT_VALUE_BASE + i, "rt value %d at %d", order[i], i);
	printf("t_sigaction: real-time signals queue in order with values ok\n");
}

static void test_suspend_timedwait(void)
{
	sigset_t mask, old;
	siginfo_t si;
	struct timespec ts = { 0, TIMEDWAIT_NS };
	pid_t pid;

	/* sigsuspend: a child sends SIGUSR1 while we wait with it unblocked. */
	set_handler(SIGUSR1, NULL, on_info, 0);
	block(SIG_BLOCK, SIGUSR1);
	hits = 0;
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigprocmask(SIG_BLOCK, NULL, &old);
	mask = old;
	sigdelset(&mask, SIGUSR1);
	expect_errno(sigsuspend(&mask), EINTR, "sigsuspend");
	CHECK(hits == 1 && last_pid == pid, "sigsuspend: handler %d, pid %d", (int)hits, (int)last_pid);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	CHECK(sigismember(&mask, SIGUSR1), "sigsuspend did not restore the mask");
	waitpid(pid, NULL, 0);

	/* sigtimedwait takes a blocked pending signal without its handler. */
	kill(getpid(), SIGUSR1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	CHECK(sigtimedwait(&mask, &si, &ts) == SIGUSR1, "sigtimedwait: %s", strerror(errno));
	CHECK(si.si_signo == SIGUSR1 && si.si_code == SI_USER && hits == 1,
	      "sigtimedwait siginfo %d/%d, handler ran %d", si.si_signo, si.si_code, (int)hits);
	expect_errno(sigtimedwait(&mask, &si, &ts), EAGAIN, "sigtimedwait timeout");
	block(SIG_UNBLOCK, SIGUSR1);
	printf("t_sigaction: sigsuspend and sigtimedwait ok\n");
}

/* Linux keeps the first KEPT_SIGINFO bytes of a queued siginfo (its
 * kernel_siginfo): the rest is dropped, and a siginfo whose si_code names
 * no layout Linux knows may have nothing there (E2BIG). */
#define KEPT_SIGINFO 48
#define UNKNOWN_SI_CODE (-100)
static void test_siginfo_kept(void)
{
	siginfo_t si, got;
	sigset_t s;
	const unsigned char *b = (const unsigned char *)&got;
	const struct timespec wait = { 0, TIMEDWAIT_NS };
	int rest = 0;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	block(SIG_BLOCK, SIGUSR2);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	((unsigned char *)&si)[sizeof(si) - 1] = 1;
	CHECK(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si) == 0, "rt_sigqueueinfo: %s",
	      strerror(errno));
	memset(&got, 0xff, sizeof(got));
	CHECK(sigtimedwait(&s, &got, &wait) == SIGUSR2 && got.si_code == SI_QUEUE, "queued info");
	for (size_t i = KEPT_SIGINFO; i < sizeof(got); i++)
		rest |= b[i];
	CHECK(rest == 0, "bytes beyond the kept siginfo came back");
	si.si_code = UNKNOWN_SI_CODE;
	expect_errno(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si),
	             E2BIG, "rt_sigqueueinfo(unknown layout with more)");
	((unsigned char *)&si)[sizeof(si) - 1] = 0;
	CHECK(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si) == 0 &&
	      sigtimedwait(&s, &got, &wait) == SIGUSR2 && got.si_code == UNKNOWN_SI_CODE,
	      "unknown layout without more: %s", strerror(errno));
	block(SIG_UNBLOCK, SIGUSR2);
}

static void test_errors(void)
{
	struct sigaction sa;
	sigset_t s;
	siginfo_t si;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	expect_errno(sigaction(SIGKILL, &sa, NULL), EINVAL, "sigaction(SIGKILL)");
	expect_errno(sigaction(SIGSTOP, &sa, NULL), EINVAL, "sigaction(SIGSTOP)");
	expect_errno(syscall(SYS_rt_sigaction, BAD_SIGNAL, &sa, NULL, SIGSET_BYTES),
	             EINVAL, "rt_sigaction(65)");
	expect_errno(syscall(SYS_rt_sigaction, SIGUSR1, BAD_ADDRESS, NULL, SIGSET_BYTES),
	             EFAULT, "rt_sigaction(bad pointer)");
	expect_errno(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, SIGSET_BYTES + 1),
	             EINVAL, "rt_sigaction(bad size)");
	sigemptyset(&s);
	expect_errno(syscall(SYS_rt_sigprocmask, BAD_HOW, &s, NULL, SIGSET_BYTES),
	             EINVAL, "sigprocmask(bad how)");
	sigaddset(&s, SIGKILL);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sigprocmask(SIG_BLOCK, NULL, &s);
	CHECK(!sigismember(&s, SIGKILL), "SIGKILL blocked");

	/* tkill/tgkill: the caller's own thread; bad ids. */
	set_handler(SIGUSR2, on_plain, NULL, 0);
	hits = 0;
	CHECK(syscall(SYS_tkill, gettid(), SIGUSR2) == 0 && hits == 1, "tkill self");
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2) == 0 && hits == 2, "tgkill self");
	expect_errno(syscall(SYS_tkill, 0, SIGUSR2), EINVAL, "tkill(0)");
	expect_errno(syscall(SYS_tgkill, getpid(), gettid(), BAD_SIGNAL),
	             EINVAL, "tgkill(bad signal)");
	expect_errno(syscall(SYS_tgkill, getpid(), NO_SUCH_TID, SIGUSR2), ESRCH, "tgkill(no tid)");

	/* Only to oneself may a siginfo claim to come from the kernel. */
	memset(&si, 0, sizeof(si));
	si.si_code = SI_KERNEL;
	errno = 0;
	CHECK(syscall(SYS_rt_sigqueueinfo, getppid() > 0 ? getppid() : NO_SUCH_TID, SIGUSR2, &si) == -1 &&
	      (errno == EPERM || errno == ESRCH), "rt_sigqueueinfo SI_KERNEL to another: %s",
	      strerror(errno));
	expect_errno(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, BAD_ADDRESS),
	             EFAULT, "rt_sigqueueinfo(bad pointer)");
	test_siginfo_kept();

	/* Sizes, pointers and times of the other calls. */
	expect_errno(syscall(SYS_rt_sigpending, &s, SIGSET_BYTES + 1),
	             EINVAL, "rt_sigpending(bad size)");
	expect_errno(syscall(SYS_rt_sigpending, BAD_ADDRESS, SIGSET_BYTES),
	             EFAULT, "rt_sigpending(bad pointer)");
	expect_errno(syscall(SYS_rt_sigsuspend, &s, SIGSET_BYTES + 1),
	             EINVAL, "rt_sigsuspend(bad size)");
	expect_errno(syscall(SYS_rt_sigsuspend, BAD_ADDRESS, SIGSET_BYTES),
	             EFAULT, "rt_sigsuspend(bad pointer)");
	{
		struct timespec bad_ts = { 0, -1 };

		sigemptyset(&s);
		sigaddset(&s, SIGUSR2);
		expect_errno(syscall(SYS_rt_sigtimedwait, &s, NULL, &bad_ts, SIGSET_BYTES),
		             EINVAL, "rt_sigtimedwait(bad timespec)");
		expect_errno(syscall(SYS_rt_sigtimedwait, BAD_ADDRESS, NULL, NULL, SIGSET_BYTES),
		             EFAULT, "rt_sigtimedwait(bad set)");
	}
	expect_errno(syscall(SYS_sigaltstack, BAD_ADDRESS, NULL),
	             EFAULT, "sigaltstack(bad pointer)");
	expect_errno(syscall(SYS_setitimer, ITIMER_REAL, BAD_ADDRESS, NULL),
	             EFAULT, "setitimer(bad pointer)");
	printf("t_sigaction: argument errors ok\n");
}

int main(void)
{
	test_handler_and_info();
	test_block_ignore();
	test_rt_queue();
	test_suspend_timedwait();
	test_errors();
	printf("PASS: t_sigaction\n");
	return 0;
}
