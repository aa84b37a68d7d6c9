/*
 * t_futex_pi: priority-inheritance futexes and thread nice values.
 *
 * Raw FUTEX_LOCK_PI / TRYLOCK_PI / UNLOCK_PI, with and without
 * FUTEX_PRIVATE_FLAG: a free word takes the caller's TID, unlock frees it;
 * EDEADLK when the caller owns it, EPERM for an unlock by a non-owner,
 * ESRCH for a TID nobody has, EAGAIN for TRYLOCK on a held lock, ETIMEDOUT
 * for LOCK_PI's absolute CLOCK_REALTIME timeout (no earlier than asked) and
 * LOCK_PI2's CLOCK_MONOTONIC one (CLOCK_REALTIME with the flag),
 * EINVAL (misaligned, bad timeout), ENOSYS with FUTEX_CLOCK_REALTIME; a
 * blocked waiter sets FUTEX_WAITERS and the owner's UNLOCK_PI hands it the
 * lock (its TID in the word). setpriority/getpriority on threads (EINVAL,
 * ESRCH). musl's PTHREAD_PRIO_INHERIT mutexes: exact counts under
 * contention; a robust one whose owner exits gives EOWNERDEAD. The boost:
 * a low-priority (nice 10) holder of a PI mutex finishes its work before a
 * medium (nice 5) CPU hog once a high-priority (nice 0) thread waits on the
 * mutex. The order is checked only on Anode (strict priorities): Linux's
 * CFS gives nice levels CPU shares, not strict precedence.
 * Prints "PASS: t_futex_pi" or "FAIL: t_futex_pi: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "timeutil.h"

/* linux/futex.h (musl's headers do not carry it). */
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_LOCK_PI2 13  /* Linux 5.14: CLOCK_MONOTONIC timeouts by default */
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define NO_SUCH_TID 0x3ffffff0u /* above Linux's PID_MAX_LIMIT (4M) */

#define TIMEOUT_MS 30
#define SETTLE_MS 50            /* for a waiter to be asleep in the kernel */
#define COUNT_THREADS 4
#define COUNT_LOOPS 2000
#define NICE_MEDIUM 5
#define NICE_LOW 10
#define WORK_LOW 2000000UL      /* loop turns: the holder's remaining work */
#define WORK_MEDIUM 20000000UL  /* the hog's: far longer than the holder's */
#define ANODE_MARK "sys:context" /* exists on Anode only */

#define FAIL(...) do { \
	printf("FAIL: t_futex_pi: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static int priv; /* FUTEX_PRIVATE_FLAG or 0: the raw tests run both ways */

static long futex(uint32_t *uaddr, int op, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op | priv, 0, ts, NULL, 0);
}

static void expect_err(long r, int err, const char *what)
{
	if (r != -1 || errno != err)
		FAIL("%s: got %ld (%s), expected %s", what, r, r == -1 ? strerror(errno) : "success",
		     strerror(err));
}

static void expect_ok(long r, const char *what)
{
	if (r != 0)
		FAIL("%s: %s", what, strerror(errno));
}

static void expect_word(uint32_t *w, uint32_t want, uint32_t mask, const char *what)
{
	uint32_t v = __atomic_load_n(w, __ATOMIC_SEQ_CST);

	if ((v & mask) != want)
		FAIL("%s: word is %#x, expected %#x (mask %#x)", what, v, want, mask);
}

static uint32_t my_tid(void)
{
	return (uint32_t)syscall(SYS_gettid);
}

/* A thread that takes the PI word, reports its TID, and releases it when
 * told to (release) with UNLOCK_PI. */
static uint32_t word;
static volatile uint32_t holder_tid;
static volatile int release;

static void *holder(void *arg)
{
	(void)arg;
	expect_ok(futex(&word, FUTEX_LOCK_PI, NULL), "holder LOCK_PI");
	holder_tid = my_tid();
	while (!release)
		sleep_ms(1);
	sleep_ms(SETTLE_MS); /* for the main thread to block */
	expect_word(&word, FUTEX_WAITERS | holder_tid, ~0u, "a waiter set FUTEX_WAITERS");
	expect_ok(futex(&word, FUTEX_UNLOCK_PI, NULL), "holder UNLOCK_PI to a waiter");
	return NULL;
}

static void raw_tests(void)
{
	uint32_t me = my_tid(), misaligned[2] = { 0, 0 };
	struct timespec bad = { 0, NSEC_PER_SEC }, ts;
	pthread_t th;
	int64_t start;

	word = 0;
	expect_ok(futex(&word, FUTEX_LOCK_PI, NULL), "LOCK_PI of a free word");
	expect_word(&word, me, ~0u, "LOCK_PI stores the TID");
	expect_err(futex(&word, FUTEX_LOCK_PI, NULL), EDEADLK, "LOCK_PI by the owner");
	expect_err(futex(&word, FUTEX_TRYLOCK_PI, NULL), EDEADLK, "TRYLOCK_PI by the owner");
	expect_ok(futex(&word, FUTEX_UNLOCK_PI, NULL), "UNLOCK_PI by the owner");
	expect_word(&word, 0, ~0u, "UNLOCK_PI without waiters frees it");
	expect_err(futex(&word, FUTEX_UNLOCK_PI, NULL), EPERM, "UNLOCK_PI of a free word");
	expect_ok(futex(&word, FUTEX_TRYLOCK_PI, NULL), "TRYLOCK_PI of a free word");
	expect_word(&word, me, ~0u, "TRYLOCK_PI stores the TID");
	expect_ok(futex(&word, FUTEX_UNLOCK_PI, NULL), "UNLOCK_PI after TRYLOCK_PI");
	expect_ok(futex(&word, FUTEX_LOCK_PI2, NULL), "LOCK_PI2 of a free word");
	expect_word(&word, me, ~0u, "LOCK_PI2 stores the TID");
	expect_ok(futex(&word, FUTEX_UNLOCK_PI, NULL), "UNLOCK_PI after LOCK_PI2");

	word = NO_SUCH_TID;
	expect_err(futex(&word, FUTEX_LOCK_PI, NULL), ESRCH, "LOCK_PI, owner TID absent");
	expect_err(futex(&word, FUTEX_TRYLOCK_PI, NULL), ESRCH, "TRYLOCK_PI, owner TID absent");
	expect_err(futex(&word, FUTEX_UNLOCK_PI, NULL), EPERM, "UNLOCK_PI by a non-owner");
	/* Linux sets FUTEX_WAITERS before it finds the owner absent; Anode
	 * leaves the word as it was. The owner stays either way. */
	expect_word(&word, NO_SUCH_TID, FUTEX_TID_MASK, "failed calls leave the owner");
	word = 0;
	expect_err(futex((uint32_t *)((char *)misaligned + 1), FUTEX_LOCK_PI, NULL), EINVAL,
		   "LOCK_PI misaligned");
	expect_err(futex(&word, FUTEX_LOCK_PI, &bad), EINVAL, "LOCK_PI with tv_nsec 1e9");
	expect_err(futex(&word, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, NULL), ENOSYS,
		   "LOCK_PI with FUTEX_CLOCK_REALTIME");
	expect_word(&word, 0, ~0u, "malformed calls leave the word");

	/* Held by another thread: EAGAIN, a timeout, then a handover. */
	release = 0;
	holder_tid = 0;
	if (pthread_create(&th, NULL, holder, NULL))
		FAIL("pthread_create");
	while (!holder_tid)
		sleep_ms(1);
	expect_err(futex(&word, FUTEX_TRYLOCK_PI, NULL), EAGAIN, "TRYLOCK_PI of a held word");
	expect_err(futex(&word, FUTEX_UNLOCK_PI, NULL), EPERM, "UNLOCK_PI by a non-owner thread");
	start = now_ns(CLOCK_MONOTONIC);
	ts = ns_ts(now_ns(CLOCK_REALTIME) + TIMEOUT_MS * NSEC_PER_MSEC);
	expect_err(futex(&word, FUTEX_LOCK_PI, &ts), ETIMEDOUT, "LOCK_PI with a timeout");
	if (now_ns(CLOCK_MONOTONIC) - start < TIMEOUT_MS * NSEC_PER_MSEC)
		FAIL("LOCK_PI timed out early");
	expect_word(&word, holder_tid, FUTEX_TID_MASK, "a timeout leaves the owner");
	start = now_ns(CLOCK_MONOTONIC);
	ts = ns_ts(start + TIMEOUT_MS * NSEC_PER_MSEC);
	expect_err(futex(&word, FUTEX_LOCK_PI2, &ts), ETIMEDOUT, "LOCK_PI2 (CLOCK_MONOTONIC)");
	if (now_ns(CLOCK_MONOTONIC) - start < TIMEOUT_MS * NSEC_PER_MSEC)
		FAIL("LOCK_PI2 timed out early");
	ts = ns_ts(now_ns(CLOCK_REALTIME) + TIMEOUT_MS * NSEC_PER_MSEC);
	expect_err(futex(&word, FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, &ts), ETIMEDOUT,
		   "LOCK_PI2 with FUTEX_CLOCK_REALTIME");
	ts = ns_ts(1); /* the epoch: past on every clock (Anode's starts at boot) */
	expect_err(futex(&word, FUTEX_LOCK_PI, &ts), ETIMEDOUT, "LOCK_PI, deadline passed");
	release = 1; /* the holder checks FUTEX_WAITERS once we block below */
	expect_ok(futex(&word, FUTEX_LOCK_PI, NULL), "LOCK_PI blocks, then is handed the lock");
	expect_word(&word, me, FUTEX_TID_MASK, "the handover stores the waiter's TID");
	pthread_join(th, NULL);
	/* Linux keeps FUTEX_WAITERS after a handover; Anode only while others
	 * wait: either way the owner's UNLOCK_PI frees it. */
	expect_ok(futex(&word, FUTEX_UNLOCK_PI, NULL), "UNLOCK_PI after a handover");
	expect_word(&word, 0, ~0u, "UNLOCK_PI frees it");
}

static int on_anode(void)
{
	FILE *f = fopen(ANODE_MARK, "r");

	if (f)
		fclose(f);
	return f != NULL;
}

static void nice_tests(void)
{
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) != 0 || errno)
		FAIL("getpriority: %d (%s), expected 0", getpriority(PRIO_PROCESS, 0), strerror(errno));
	expect_err(setpriority(7, 0, 1), EINVAL, "setpriority with a bad which");
	expect_err(setpriority(PRIO_PROCESS, (id_t)NO_SUCH_TID, 1), ESRCH,
		   "setpriority of an absent TID");
	errno = 0;
	if (getpriority(PRIO_PROCESS, (id_t)NO_SUCH_TID) != -1 || errno != ESRCH)
		FAIL("getpriority of an absent TID: %s", strerror(errno));
	/* Raising priority (nice below 0) needs privilege on Linux; Anode
	 * refuses it always (no users yet): checked there only. */
	if (on_anode())
		expect_err(setpriority(PRIO_PROCESS, 0, -1), EACCES, "setpriority below 0");
}

/* PTHREAD_PRIO_INHERIT mutexes through musl. */
static pthread_mutex_t pim;
static long counter;

static void pi_mutex_init(pthread_mutex_t *m, int robust)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	if (pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT))
		FAIL("pthread_mutexattr_setprotocol");
	if (robust)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	if (pthread_mutex_init(m, &a))
		FAIL("pthread_mutex_init PRIO_INHERIT");
	pthread_mutexattr_destroy(&a);
}

static void *counter_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < COUNT_LOOPS; i++) {
		if (pthread_mutex_lock(&pim))
			FAIL("pthread_mutex_lock PI");
		long v = counter;

		if (i % 64 == 0)
			sched_yield(); /* inside the lock: contention */
		counter = v + 1;
		if (pthread_mutex_unlock(&pim))
			FAIL("pthread_mutex_unlock PI");
	}
	return NULL;
}

static void *die_holding(void *arg)
{
	pthread_mutex_lock(arg);
	holder_tid = my_tid();
	sleep_ms(SETTLE_MS); /* the main thread blocks meanwhile */
	return NULL;          /* exits holding it */
}

static void mutex_tests(void)
{
	pthread_t th[COUNT_THREADS];
	pthread_mutex_t rm;

	pi_mutex_init(&pim, 0);
	for (int i = 0; i < COUNT_THREADS; i++)
		if (pthread_create(&th[i], NULL, counter_thread, NULL))
			FAIL("pthread_create");
	for (int i = 0; i < COUNT_THREADS; i++)
		pthread_join(th[i], NULL);
	if (counter != COUNT_THREADS * COUNT_LOOPS)
		FAIL("PI mutex count %ld, expected %d", counter, COUNT_THREADS * COUNT_LOOPS);

	pi_mutex_init(&rm, 1);
	holder_tid = 0;
	if (pthread_create(&th[0], NULL, die_holding, &rm))
		FAIL("pthread_create");
	while (!holder_tid)
		sleep_ms(1);
	if (pthread_mutex_lock(&rm) != EOWNERDEAD)
		FAIL("robust PI mutex of a dead owner: expected EOWNERDEAD");
	pthread_mutex_consistent(&rm);
	pthread_mutex_unlock(&rm);
	pthread_join(th[0], NULL);
}

/* The boost: low holds, medium hogs the CPU, high waits. */
static pthread_mutex_t bm;
static volatile int low_locked, medium_started;
static int finish_seq, low_done, medium_done;

static void work(unsigned long n)
{
	for (volatile unsigned long i = 0; i < n; i++)
		;
}

static void *low_thread(void *arg)
{
	(void)arg;
	expect_ok(setpriority(PRIO_PROCESS, 0, NICE_LOW), "setpriority low");
	pthread_mutex_lock(&bm);
	low_locked = 1;
	while (!medium_started)
		sleep_ms(1);
	work(WORK_LOW);
	low_done = __atomic_add_fetch(&finish_seq, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&bm);
	return NULL;
}

static void *medium_thread(void *arg)
{
	(void)arg;
	expect_ok(setpriority(PRIO_PROCESS, 0, NICE_MEDIUM), "setpriority medium");
	if (getpriority(PRIO_PROCESS, 0) != NICE_MEDIUM)
		FAIL("getpriority after setpriority: %d", getpriority(PRIO_PROCESS, 0));
	medium_started = 1;
	work(WORK_MEDIUM);
	medium_done = __atomic_add_fetch(&finish_seq, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void boost_test(void)
{
	pthread_t low, medium;

	pi_mutex_init(&bm, 0);
	if (pthread_create(&low, NULL, low_thread, NULL))
		FAIL("pthread_create low");
	while (!low_locked)
		sleep_ms(1);
	if (pthread_create(&medium, NULL, medium_thread, NULL))
		FAIL("pthread_create medium");
	/* Without inheritance, medium now keeps low (and so us) off the CPU. */
	if (pthread_mutex_lock(&bm))
		FAIL("pthread_mutex_lock (high)");
	int got_before_medium = !medium_done;

	pthread_mutex_unlock(&bm);
	pthread_join(low, NULL);
	pthread_join(medium, NULL);
	if (!low_done || !medium_done)
		FAIL("boost: a thread did not finish");
	if (on_anode() && (low_done > medium_done || !got_before_medium))
		FAIL("boost: the low holder finished after the medium hog (%d, %d)", low_done,
		     medium_done);
}

int main(void)
{
	raw_tests();
	priv = FUTEX_PRIVATE_FLAG;
	raw_tests();
	nice_tests();
	mutex_tests();
	boost_test();
	printf("PASS: t_futex_pi\n");
	return 0;
}
