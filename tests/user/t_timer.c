/*
 * t_timer: POSIX timers. A SIGEV_SIGNAL timer delivers its signal with
 * si_code SI_TIMER, si_timerid and si_value; a periodic one keeps firing
 * (count over a span); while its signal stays blocked, expirations are
 * counted as overruns (si_overrun, timer_getoverrun), and if that pending
 * signal is dropped (SIG_IGN) the timer goes on (Anode only: Linux 6.1
 * stops it, 6.13 goes on); timer_gettime shows
 * the time left and the interval; timer_settime returns the old setting;
 * TIMER_ABSTIME on CLOCK_MONOTONIC and CLOCK_REALTIME; SIGEV_NONE only
 * counts down; SIGEV_THREAD_ID reaches the chosen thread; SIGEV_THREAD
 * (musl, in user space) runs a function in a new thread; timer ids are
 * small, from 0; a deleted timer is gone (EINVAL); EINVAL for a bad clock,
 * notify, signal, thread, flags (Anode only), or time; timers are gone after
 * execve. setitimer's ITIMER_VIRTUAL (SIGVTALRM) and ITIMER_PROF (SIGPROF)
 * count CPU time: they fire while the process spins, repeat with their
 * interval, and do not run down while it sleeps (Anode charges them a tick
 * at a time, all CPU time as user time). ppoll and pselect6 apply their
 * signal mask for the wait: a signal it unblocks interrupts (EINTR) and its
 * handler runs with that mask, the old one is back afterwards; a signal
 * it blocks does not interrupt and is delivered once the call returns;
 * a bad mask pointer is EFAULT, a bad size EINVAL. A stop and continue
 * (no handler) does not end nanosleep, a relative clock_nanosleep or
 * sigsuspend: they go on (Linux's restart_syscall, ERESTARTNOHAND), the
 * sleep still ending on time; a handler does end them (EINTR).
 * Prints "PASS: t_timer" or "FAIL: t_timer: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/select.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_timer: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

#define MS 1000000L                 /* ns */
#define NS_PER_S 1000000000L
#define PERIOD_NS (20 * MS)
#define SPAN_NS (210 * MS)          /* about 10 periods */
#define MIN_PERIODS 5               /* generous: QEMU may be slow */
#define MAX_PERIODS 12
#define BLOCKED_NS (200 * MS)
#define MIN_OVERRUN 3
#define COOKIE 0x5eed
#define BAD_CLOCK 12345
#define BAD_NOTIFY 99
#define BAD_ID 4242
#define EXEC_ARG "exec-check"
#define WAIT_S 5

static volatile sig_atomic_t hits;
static volatile int got_code, got_timerid, got_overrun, got_value, got_tid;

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	got_code = si->si_code;
	got_timerid = si->si_timerid;
	got_overrun = si->si_overrun;
	got_value = si->si_value.sival_int;
	got_tid = gettid_();
	/* Last, with release order: a thread that sees the count sees the
	 * fields (the handler may run in another thread, which the gettid
	 * call above can let be preempted). */
	__atomic_add_fetch(&hits, 1, __ATOMIC_RELEASE);
}

static long now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / NS_PER_S, ns % NS_PER_S };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static struct itimerspec its(long value_ns, long interval_ns)
{
	struct itimerspec v = {
		.it_value = { value_ns / NS_PER_S, value_ns % NS_PER_S },
		.it_interval = { interval_ns / NS_PER_S, interval_ns % NS_PER_S },
	};
	return v;
}

static timer_t make_timer(clockid_t c, int notify, int sig, int value)
{
	struct sigevent sev = { .sigev_notify = notify, .sigev_signo = sig };
	timer_t t;

	sev.sigev_value.sival_int = value;
	CHECK(timer_create(c, &sev, &t) == 0, "timer_create: %s", strerror(errno));
	return t;
}

static void install(int sig)
{
	struct sigaction sa = { .sa_sigaction = on_timer, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

static int on_anode(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "Anode") == 0;
}

/* A one-shot timer: its signal, siginfo fields; ids small from 0. */
static void test_oneshot(void)
{
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, COOKIE);
	struct itimerspec v = its(30 * MS, 0), cur;

	CHECK((long)(intptr_t)t == 0, "first timer id %ld, not 0", (long)(intptr_t)t);
	install(SIGUSR1);
	hits = 0;
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "settime: %s", strerror(errno));
	CHECK(timer_gettime(t, &cur) == 0, "gettime");
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 30 * MS,
	      "time left %ld.%09ld", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	sleep_ns(100 * MS);
	CHECK(hits == 1, "one-shot fired %d times", (int)hits);
	CHECK(got_code == SI_TIMER, "si_code %d", got_code);
	CHECK(got_timerid == 0, "si_timerid %d", got_timerid);
	CHECK(got_overrun == 0, "si_overrun %d", got_overrun);
	CHECK(got_value == COOKIE, "si_value %#x", got_value);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
	      "expired one-shot still armed");
	CHECK(timer_delete(t) == 0, "delete");
	CHECK(timer_gettime(t, &cur) == -1 && errno == EINVAL, "deleted timer still there");
	/* Raw: musl's timer_delete returns the error unconverted. */
	CHECK(syscall(SYS_timer_delete, (long)(intptr_t)t) == -1 && errno == EINVAL, "second delete");
	printf("t_timer: one-shot ok\n");
}

/* A periodic timer fires about SPAN/PERIOD times; settime returns the old
 * setting; a blocked signal turns expirations into overruns. */
static void test_periodic(void)
{
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR2, 1);
	struct itimerspec v = its(PERIOD_NS, PERIOD_NS), old, zero = its(0, 0), cur;
	sigset_t set;
	int n, ov;

	install(SIGUSR2);
	hits = 0;
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "settime periodic");
	sleep_ns(SPAN_NS);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == PERIOD_NS &&
	      cur.it_value.tv_nsec <= PERIOD_NS, "gettime of periodic");
	CHECK(timer_settime(t, 0, &zero, &old) == 0, "disarm");
	n = hits;
	CHECK(n >= MIN_PERIODS && n <= MAX_PERIODS, "periodic fired %d times", n);
	CHECK(old.it_interval.tv_sec == 0 && old.it_interval.tv_nsec == PERIOD_NS &&
	      old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= PERIOD_NS,
	      "old setting %ld / %ld", old.it_value.tv_nsec, old.it_interval.tv_nsec);
	sleep_ns(3 * PERIOD_NS);
	CHECK(hits == n, "fired after disarm");

	/* Overruns: the signal is pending while the timer keeps expiring. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	hits = 0;
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "settime again");
	sleep_ns(BLOCKED_NS);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(hits == 1, "blocked periodic delivered %d times", (int)hits);
	CHECK(got_overrun >= MIN_OVERRUN, "si_overrun %d", got_overrun);
	ov = timer_getoverrun(t);
	CHECK(ov == got_overrun, "timer_getoverrun %d, si_overrun %d", ov, got_overrun);

	/* Its pending signal dropped (now ignored), the timer goes on: as on
	 * Linux since 6.13; 6.1 (the reference of make test-linux) never
	 * re-arms it, so only checked on Anode. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sleep_ns(3 * PERIOD_NS);
	signal(SIGUSR2, SIG_IGN);
	install(SIGUSR2);
	hits = 0;
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sleep_ns(5 * PERIOD_NS);
	CHECK(hits >= 2 || !on_anode(), "periodic timer stopped after its signal was dropped (%d)",
	      (int)hits);
	CHECK(timer_delete(t) == 0, "delete periodic");
	printf("t_timer: periodic, old value, overrun %d ok\n", ov);
}

/* Absolute deadlines on both clocks, and SIGEV_NONE. */
static void test_abs_none(void)
{
	clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME };
	struct itimerspec v, cur;

	install(SIGUSR1);
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		timer_t t = make_timer(clocks[i], SIGEV_SIGNAL, SIGUSR1, 2);
		long start = now_ns(clocks[i]);

		hits = 0;
		v = its(start + 40 * MS, 0);
		CHECK(timer_settime(t, TIMER_ABSTIME, &v, NULL) == 0, "abs settime");
		while (!hits && now_ns(clocks[i]) - start < WAIT_S * NS_PER_S)
			sleep_ns(MS);
		CHECK(hits == 1, "absolute timer on clock %d did not fire", (int)clocks[i]);
		CHECK(now_ns(clocks[i]) - start >= 40 * MS, "absolute timer early");
		/* A deadline in the past fires at once. */
		hits = 0;
		v = its(start, 0);
		CHECK(timer_settime(t, TIMER_ABSTIME, &v, NULL) == 0, "past abs settime");
		sleep_ns(20 * MS);
		CHECK(hits == 1, "past absolute deadline did not fire");
		timer_delete(t);
	}

	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
	v = its(60 * MS, 0);
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "SIGEV_NONE settime");
	sleep_ns(20 * MS);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 40 * MS, "SIGEV_NONE left %ld", cur.it_value.tv_nsec);
	sleep_ns(60 * MS);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_nsec == 0 && cur.it_value.tv_sec == 0,
	      "SIGEV_NONE after expiry left %ld", cur.it_value.tv_nsec);
	timer_delete(t);
	printf("t_timer: absolute, SIGEV_NONE ok\n");
}

static volatile int worker_tid;
static volatile int worker_go = 1;

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = gettid_();
	while (worker_go)
		sleep_ns(MS);
	return NULL;
}

static volatile int thread_calls, thread_value;

static void notified(union sigval v)
{
	thread_value = v.sival_int;
	__atomic_add_fetch(&thread_calls, 1, __ATOMIC_SEQ_CST);
}

/* SIGEV_THREAD_ID reaches the named thread; SIGEV_THREAD (musl) calls a
 * function in another thread. */
static void test_threads(void)
{
	pthread_t th;
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
	struct itimerspec v = its(20 * MS, 0);
	timer_t t;

	install(SIGUSR1);
	CHECK(pthread_create(&th, NULL, worker, NULL) == 0, "pthread_create");
	while (!worker_tid)
		sleep_ns(MS);
	sev.sigev_notify_thread_id = worker_tid;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0, "SIGEV_THREAD_ID: %s", strerror(errno));
	hits = 0;
	got_tid = 0;
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "settime thread id");
	for (int i = 0; i < WAIT_S * 100 && !hits; i++)
		sleep_ns(10 * MS);
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* pairs with on_timer's release */
	CHECK(hits == 1 && got_tid == worker_tid, "SIGEV_THREAD_ID: to %d, not %d", got_tid, worker_tid);
	timer_delete(t);
	worker_go = 0;
	pthread_join(th, NULL);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = notified;
	sev.sigev_value.sival_int = COOKIE;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0, "SIGEV_THREAD: %s", strerror(errno));
	v = its(20 * MS, 20 * MS);
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "settime SIGEV_THREAD");
	for (int i = 0; i < WAIT_S * 100 && __atomic_load_n(&thread_calls, __ATOMIC_SEQ_CST) < 3; i++)
		sleep_ns(10 * MS);
	CHECK(thread_calls >= 3 && thread_value == COOKIE, "SIGEV_THREAD: %d calls, value %#x",
	      thread_calls, thread_value);
	CHECK(timer_delete(t) == 0, "delete SIGEV_THREAD timer");
	printf("t_timer: SIGEV_THREAD_ID, SIGEV_THREAD ok\n");
}

/* Raw calls: musl would hide some of these errors. */
static void test_einval(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec v = its(MS, 0);
	int id;

	errno = 0;
	CHECK(syscall(SYS_timer_create, BAD_CLOCK, &sev, &id) == -1 && errno == EINVAL, "bad clock");
	sev.sigev_notify = BAD_NOTIFY;
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == -1 && errno == EINVAL, "bad notify");
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 0;
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == -1 && errno == EINVAL, "signal 0");
	sev.sigev_signo = _NSIG;
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == -1 && errno == EINVAL, "signal 65");
	sev.sigev_signo = SIGUSR1;
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_notify_thread_id = getppid(); /* not one of ours */
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == -1 && errno == EINVAL,
	      "foreign thread");
	sev.sigev_notify = SIGEV_SIGNAL;
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, (void *)8) == -1 && errno == EFAULT,
	      "bad id pointer");
	CHECK(syscall(SYS_timer_settime, BAD_ID, 0, &v, NULL) == -1 && errno == EINVAL, "bad id settime");
	CHECK(syscall(SYS_timer_gettime, -1, &v) == -1 && errno == EINVAL, "bad id gettime");
	CHECK(syscall(SYS_timer_getoverrun, BAD_ID) == -1 && errno == EINVAL, "bad id getoverrun");
	CHECK(syscall(SYS_timer_delete, BAD_ID) == -1 && errno == EINVAL, "bad id delete");
	CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == 0, "good create");
	/* Unknown flags: Anode rejects them; Linux ignores them (no check). */
	if (on_anode())
		CHECK(syscall(SYS_timer_settime, id, 2, &v, NULL) == -1 && errno == EINVAL, "bad flags");
	v.it_value.tv_nsec = NS_PER_S;
	CHECK(syscall(SYS_timer_settime, id, 0, &v, NULL) == -1 && errno == EINVAL, "bad nsec");
	v = its(MS, 0);
	v.it_interval.tv_sec = -1;
	CHECK(syscall(SYS_timer_settime, id, 0, &v, NULL) == -1 && errno == EINVAL, "negative interval");
	CHECK(syscall(SYS_timer_settime, id, 0, NULL, NULL) == -1 && errno == EINVAL, "NULL value");
	CHECK(syscall(SYS_timer_settime, id, 0, (void *)8, NULL) == -1 && errno == EFAULT, "bad value ptr");
	CHECK(syscall(SYS_timer_gettime, id, (void *)8) == -1 && errno == EFAULT, "bad gettime ptr");
	/* Linux: with no sigevent, SIGALRM carrying the id. */
	int id2;
	/* Which id is free depends on what went before (musl deletes a
	 * SIGEV_THREAD timer from its thread, later): only "another one". */
	CHECK(syscall(SYS_timer_create, CLOCK_REALTIME, NULL, &id2) == 0 && id2 >= 0 && id2 != id,
	      "NULL sigevent create (id %d after %d)", id2, id);
	CHECK(syscall(SYS_timer_delete, id2) == 0 && syscall(SYS_timer_delete, id) == 0, "deletes");
	printf("t_timer: EINVAL cases ok\n");
}

/* After execve the program has no timers: id 0 is unknown and the armed
 * one from before does not fire. */
static int exec_check(void)
{
	struct itimerspec cur;
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	timer_t t;

	if (timer_gettime((timer_t)0, &cur) != -1 || errno != EINVAL)
		return 2;
	/* Its id need not be 0: Linux keeps the process's id counter. */
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
		return 3;
	sleep_ns(100 * MS); /* SIGUSR1's default would kill us */
	return 0;
}

static void test_exec(const char *self)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 0);
		struct itimerspec v = its(50 * MS, 0);

		signal(SIGUSR1, SIG_DFL);
		timer_settime(t, 0, &v, NULL);
		execl(self, self, EXEC_ARG, (char *)NULL);
		_exit(9);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "after exec: status %#x", status);
	printf("t_timer: timers gone after execve ok\n");
}

static volatile sig_atomic_t cpu_hits;

static void on_cpu_timer(int sig)
{
	(void)sig;
	cpu_hits++;
}

/* ITIMER_VIRTUAL / ITIMER_PROF: fire after CPU time, with an interval. */
static void test_cpu_itimer(int which, int sig, const char *name)
{
	struct itimerval v = { .it_value = { 0, 50000 }, .it_interval = { 0, 20000 } }, cur;
	struct itimerval zero = { 0 };
	long start_wall = now_ns(CLOCK_MONOTONIC), start_cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	long first_cpu = 0;

	signal(sig, on_cpu_timer);
	cpu_hits = 0;
	CHECK(setitimer(which, &v, NULL) == 0, "setitimer(%s): %s", name, strerror(errno));
	/* Up to a tick more than asked: Linux and Anode add one, as the
	 * charging is by ticks. */
	CHECK(getitimer(which, &cur) == 0 && cur.it_interval.tv_usec == 20000 &&
	      cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 70000, "getitimer(%s): %ld us",
	      name, (long)cur.it_value.tv_usec);
	while (cpu_hits < 3 && now_ns(CLOCK_MONOTONIC) - start_wall < WAIT_S * NS_PER_S)
		if (cpu_hits && !first_cpu)
			first_cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID) - start_cpu;
	CHECK(cpu_hits >= 3, "%s fired %d times", name, (int)cpu_hits);
	/* The first at 50 ms of CPU time (a tick early at most, on Anode). */
	CHECK(first_cpu >= 35 * MS, "%s fired after %ld ns of CPU time", name, first_cpu);
	CHECK(setitimer(which, &zero, &cur) == 0 && cur.it_interval.tv_usec == 20000, "disarm %s", name);
	/* Sleeping uses no CPU time: it does not run down. */
	v.it_interval.tv_usec = 0;
	cpu_hits = 0;
	CHECK(setitimer(which, &v, NULL) == 0, "setitimer(%s) again", name);
	sleep_ns(100 * MS);
	CHECK(getitimer(which, &cur) == 0 && cur.it_value.tv_usec >= 30000 && cpu_hits == 0,
	      "%s ran down while asleep: %ld us left", name, (long)cur.it_value.tv_usec);
	CHECK(setitimer(which, &zero, NULL) == 0 && getitimer(which, &cur) == 0 &&
	      cur.it_value.tv_usec == 0 && cur.it_value.tv_sec == 0, "%s not disarmed", name);
	signal(sig, SIG_DFL);
	printf("t_timer: %s ok\n", name);
}

static volatile sig_atomic_t mask_hits, usr2_blocked_in_handler;

static void on_mask_sig(int sig)
{
	sigset_t cur;

	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
	mask_hits++;
}

/* SIGEV_SIGNAL of sig after ms milliseconds, once. */
static timer_t signal_after(int sig, long ms)
{
	timer_t t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, sig, 0);
	struct itimerspec v = its(ms * MS, 0);

	CHECK(timer_settime(t, 0, &v, NULL) == 0, "settime for mask test");
	return t;
}

/* use_select: pselect6 instead of ppoll. */
static int wait_masked(int use_select, const sigset_t *mask, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * MS };

	if (use_select)
		return pselect(0, NULL, NULL, NULL, &ts, mask);
	return ppoll(NULL, 0, &ts, mask);
}

static void test_wait_mask(int use_select)
{
	const char *name = use_select ? "pselect" : "ppoll";
	struct sigaction sa = { .sa_handler = on_mask_sig };
	sigset_t usr1, usr2, cur, none;
	timer_t t;
	int r;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);

	/* SIGUSR1 blocked; the call's mask lets it in and blocks SIGUSR2. */
	sigprocmask(SIG_SETMASK, &usr1, NULL);
	mask_hits = 0;
	usr2_blocked_in_handler = 0;
	t = signal_after(SIGUSR1, 30);
	r = wait_masked(use_select, &usr2, WAIT_S * 1000);
	CHECK(r == -1 && errno == EINTR, "%s: %d (%s), not EINTR", name, r, strerror(errno));
	CHECK(mask_hits == 1, "%s: handler ran %d times", name, (int)mask_hits);
	CHECK(usr2_blocked_in_handler, "%s: the handler did not run with the call's mask", name);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2), "%s: mask not restored", name);
	timer_delete(t);

	/* A signal the call's mask blocks waits for its end. */
	sigprocmask(SIG_SETMASK, &none, NULL);
	mask_hits = 0;
	t = signal_after(SIGUSR2, 20);
	r = wait_masked(use_select, &usr2, 100);
	CHECK(r == 0, "%s: blocked signal interrupted: %d (%s)", name, r, strerror(errno));
	CHECK(mask_hits == 1, "%s: blocked signal not delivered after the call (%d)", name,
	      (int)mask_hits);
	timer_delete(t);

	/* Bad arguments change nothing. */
	if (use_select) {
		struct timespec ts = { 0, 0 };
		struct { const sigset_t *ss; size_t len; } bad = { (void *)8, _NSIG / 8 };

		CHECK(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, &bad) == -1 && errno == EFAULT,
		      "pselect6 bad mask pointer");
		bad.ss = &usr2;
		bad.len = 1;
		CHECK(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, &bad) == -1 && errno == EINVAL,
		      "pselect6 bad mask size");
	} else {
		struct timespec ts = { 0, 0 };

		CHECK(syscall(SYS_ppoll, NULL, 0, &ts, (void *)8, _NSIG / 8) == -1 && errno == EFAULT,
		      "ppoll bad mask pointer");
		CHECK(syscall(SYS_ppoll, NULL, 0, &ts, &usr2, 1) == -1 && errno == EINVAL,
		      "ppoll bad mask size");
	}
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR2), "%s: a failed call changed the mask", name);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	printf("t_timer: %s signal mask ok\n", name);
}

static volatile sig_atomic_t restart_hits;

static void on_restart_sig(int sig)
{
	(void)sig;
	restart_hits++;
}

#define RESTART_SLEEP_MS 300
#define STOP_AT_MS 50
#define CONT_AT_MS 100

/* Child: kind 0 nanosleep, 1 clock_nanosleep, 2 sigsuspend. Exit 0: the
 * call was not cut short by the stop and continue. */
static int restart_child(int kind)
{
	struct timespec ts = { 0, RESTART_SLEEP_MS * MS }, rem;
	long start = now_ns(CLOCK_MONOTONIC);
	sigset_t none, usr1;
	int r;

	switch (kind) {
	case 0:
		r = nanosleep(&ts, &rem);
		break;
	case 1:
		r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &rem);
		if (r)
			return 10 + r;
		break;
	default:
		signal(SIGUSR1, on_restart_sig);
		sigemptyset(&none);
		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		r = sigsuspend(&none);
		/* Only SIGUSR1, sent after the continue, ends it. */
		return (r == -1 && errno == EINTR && restart_hits == 1) ? 0 : 3;
	}
	if (r)
		return 4;
	return now_ns(CLOCK_MONOTONIC) - start >= RESTART_SLEEP_MS * MS ? 0 : 5;
}

static void test_restart(void)
{
	static const char *names[] = { "nanosleep", "clock_nanosleep", "sigsuspend" };

	for (int kind = 0; kind < 3; kind++) {
		int status;
		pid_t pid = fork();

		CHECK(pid >= 0, "fork");
		if (pid == 0)
			_exit(restart_child(kind));
		sleep_ns(STOP_AT_MS * MS);
		kill(pid, SIGSTOP);
		sleep_ns((CONT_AT_MS - STOP_AT_MS) * MS);
		kill(pid, SIGCONT);
		if (kind == 2) {
			sleep_ns(RESTART_SLEEP_MS * MS);
			kill(pid, SIGUSR1);
		}
		CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "%s after stop/continue: status %#x", names[kind], status);
	}
	/* A handler does end a sleep, with the time left. */
	struct sigaction sa = { .sa_handler = on_restart_sig };
	struct timespec ts = { 1, 0 }, rem = { 0, 0 };
	timer_t t;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART; /* no matter: sleeps are never restarted after a handler */
	sigaction(SIGUSR1, &sa, NULL);
	t = signal_after(SIGUSR1, 30);
	CHECK(nanosleep(&ts, &rem) == -1 && errno == EINTR && rem.tv_sec == 0 && rem.tv_nsec > 0,
	      "nanosleep with a handler: not EINTR");
	timer_delete(t);
	signal(SIGUSR1, SIG_DFL);
	printf("t_timer: sleeps and sigsuspend go on after stop/continue ok\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], EXEC_ARG) == 0)
		return exec_check();
	test_oneshot();
	test_periodic();
	test_abs_none();
	test_threads();
	test_einval();
	test_exec(argv[0]);
	test_cpu_itimer(ITIMER_VIRTUAL, SIGVTALRM, "ITIMER_VIRTUAL");
	test_cpu_itimer(ITIMER_PROF, SIGPROF, "ITIMER_PROF");
	test_wait_mask(0);
	test_wait_mask(1);
	test_restart();
	printf("PASS: t_timer\n");
	return 0;
}
