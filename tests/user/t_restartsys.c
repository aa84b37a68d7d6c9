/*
 * t_restartsys: restart_syscall called directly, with no interrupted sleep
 * to continue, fails with EINTR at once, as on Linux (found by /bin/fuzz:
 * Anode restarted it again and again, so the call never returned; its
 * workers stalled there). Also after a nanosleep that a handled signal
 * interrupted (EINTR to the caller, so nothing is left to continue). An
 * alarm of ALARM_S seconds ends a call that does not return.
 * Prints "PASS: t_restartsys" or "FAIL: t_restartsys: <reason>".
 */
#define TEST_NAME "t_restartsys"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define ALARM_S 5
#define SLEEP_S 60           /* interrupted long before */
#define INTERRUPT_NS 20000000L /* the timer that interrupts it: 20 ms */

static volatile sig_atomic_t alarms, timers;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_timer(int sig)
{
	(void)sig;
	timers++;
}

static void check_restart(const char *when)
{
	long r;

	alarm(ALARM_S);
	errno = 0;
	r = syscall(SYS_restart_syscall);
	alarm(0);
	CHECK(!alarms, "%s: restart_syscall did not return in %d s", when, ALARM_S);
	CHECK(r == -1 && errno == EINTR, "%s: restart_syscall: %ld, %s (want EINTR)", when, r,
	      strerror(errno));
	printf("t_restartsys: %s: EINTR\n", when);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	/* Periodic, so that it interrupts the sleep even if the first expiry
	 * came before the sleep began. */
	struct itimerspec every = { { 0, INTERRUPT_NS }, { 0, INTERRUPT_NS } }, off = { 0 };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct timespec ts = { SLEEP_S, 0 };
	timer_t timer;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	check_restart("nothing interrupted");
	sa.sa_handler = on_timer;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0, "timer_create: %s", strerror(errno));
	CHECK(timer_settime(timer, 0, &every, NULL) == 0, "timer_settime: %s", strerror(errno));
	r = nanosleep(&ts, NULL);
	CHECK(timer_settime(timer, 0, &off, NULL) == 0, "timer_settime: %s", strerror(errno));
	CHECK(r == -1 && errno == EINTR && timers > 0, "nanosleep was not interrupted by the timer");
	check_restart("after an interrupted nanosleep");
	printf("PASS: t_restartsys\n");
	return 0;
}
