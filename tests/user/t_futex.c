/*
 * t_futex: the futex(2) system call, raw.
 *
 * FUTEX_WAIT on a changed value gives EAGAIN; a relative timeout gives
 * ETIMEDOUT no earlier than asked; absolute WAIT_BITSET timeouts on
 * CLOCK_MONOTONIC and (FUTEX_CLOCK_REALTIME) CLOCK_REALTIME too, and one in
 * the past at once; FUTEX_WAKE returns how many it woke (1 of 3, then 2,
 * then 0); CMP_REQUEUE wakes one and moves the others to the second word
 * (EAGAIN if the value differs); bitsets select waiters (bitset 0 is
 * EINVAL); WAKE_OP changes the second word and wakes waiters of both when
 * its comparison holds; a misaligned address is EINVAL, an unmapped one
 * EFAULT; a bad op ENOSYS; each with and without FUTEX_PRIVATE_FLAG; and a
 * shared futex in MAP_SHARED memory wakes a waiter in a forked child.
 * Waiters are pthreads that count themselves in before waiting; the test
 * then gives them WAIT_SETTLE_MS to be asleep in the kernel.
 * Prints "PASS: t_futex" or "FAIL: t_futex: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timeutil.h"

/* linux/futex.h (musl's headers do not carry it). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OPARG_SHIFT 8 /* oparg is a shift count */
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	((((op) & 0xfu) << 28) | (((cmp) & 0xfu) << 24) | \
	 (((oparg) & 0xfffu) << 12) | ((cmparg) & 0xfffu))

#define WAITERS 3
#define TIMEOUT_MS 30
#define WAIT_SETTLE_MS 50   /* for waiters to be asleep in the kernel */
#define CHILD_TIMEOUT_S 5   /* a shared-futex child gives up after this */
#define BAD_ADDR 0x1000UL   /* below every mapping */
#define BIT_A 0x1
#define BIT_B 0x2

#define FAIL(...) do { \
	printf("FAIL: t_futex: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static int priv; /* FUTEX_PRIVATE_FLAG or 0: each test runs both ways */

static long futex(void *uaddr, int op, uint32_t val, const struct timespec *ts, void *uaddr2,
		  uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op | priv, val, ts, uaddr2, val3);
}

/* futex with a count in the timeout slot (REQUEUE, WAKE_OP). */
static long futex2(void *uaddr, int op, uint32_t val, long val2, void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op | priv, val, val2, uaddr2, val3);
}

static void expect_err(long r, int err, const char *what)
{
	if (r != -1 || errno != err)
		FAIL("%s: got %ld (%s), expected %s", what, r, r == -1 ? strerror(errno) : "success",
		     strerror(err));
}

/* A waiter thread: waits on word (value 0) with bitset, records the result. */
struct waiter {
	uint32_t *word;
	uint32_t bitset;
	long result;
	pthread_t thread;
};

static int ready;

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	w->result = futex(w->word, FUTEX_WAIT_BITSET, 0, NULL, NULL, w->bitset);
	return NULL;
}

static void start_waiters(struct waiter *w, int n)
{
	__atomic_store_n(&ready, 0, __ATOMIC_SEQ_CST);
	for (int i = 0; i < n; i++)
		if (pthread_create(&w[i].thread, NULL, wait_thread, &w[i]))
			FAIL("pthread_create");
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < n)
		sched_yield();
	sleep_ms(WAIT_SETTLE_MS);
}

static void join_waiters(struct waiter *w, int n)
{
	for (int i = 0; i < n; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].result != 0)
			FAIL("a woken waiter got %ld", w[i].result);
	}
}

static void test_errors(void)
{
	uint32_t word = 1;
	struct timespec bad = { 0, NSEC_PER_SEC };

	expect_err(futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0), EAGAIN, "WAIT on a changed value");
	expect_err(futex((char *)&word + 1, FUTEX_WAIT, 1, NULL, NULL, 0), EINVAL, "misaligned WAIT");
	expect_err(futex((char *)&word + 2, FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL, "misaligned WAKE");
	expect_err(futex((void *)BAD_ADDR, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT, "WAIT on no mapping");
	expect_err(futex(&word, FUTEX_WAIT, 1, &bad, NULL, 0), EINVAL, "tv_nsec out of range");
	expect_err(futex(&word, FUTEX_WAIT, 1, (void *)BAD_ADDR, NULL, 0), EFAULT, "bad timeout pointer");
	expect_err(futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0), EINVAL, "WAIT_BITSET with bitset 0");
	expect_err(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL, "WAKE_BITSET with bitset 0");
	expect_err(futex2(&word, FUTEX_CMP_REQUEUE, 1, 1, &word, 0), EAGAIN, "CMP_REQUEUE mismatch");
	expect_err(futex2(&word, FUTEX_CMP_REQUEUE, (uint32_t)-1, 1, &word, 1), EINVAL,
		   "CMP_REQUEUE with a negative count");
	expect_err(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS,
		   "WAKE with FUTEX_CLOCK_REALTIME");
	expect_err(futex(&word, 99, 1, NULL, NULL, 0), ENOSYS, "unknown op");
	if (!priv) /* a private wake need not look at memory (Linux's does not) */
		expect_err(futex((void *)BAD_ADDR, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT,
			   "shared WAKE on no mapping");
	if (futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) != 0)
		FAIL("WAKE with no waiters did not return 0");
}

static void expect_timeout(int op, const struct timespec *ts, int64_t deadline, int clock,
			   const char *what)
{
	uint32_t word = 0;
	long r = futex(&word, op, 0, ts, NULL, FUTEX_BITSET_MATCH_ANY);

	expect_err(r, ETIMEDOUT, what);
	if (now_ns(clock) < deadline)
		FAIL("%s returned before its deadline", what);
}

static void test_timeouts(void)
{
	struct timespec rel = ns_ts(TIMEOUT_MS * NSEC_PER_MSEC), abs;
	int64_t t;

	t = now_ns(CLOCK_MONOTONIC) + TIMEOUT_MS * NSEC_PER_MSEC;
	expect_timeout(FUTEX_WAIT, &rel, t, CLOCK_MONOTONIC, "relative WAIT");
	t = now_ns(CLOCK_MONOTONIC) + TIMEOUT_MS * NSEC_PER_MSEC;
	abs = ns_ts(t);
	expect_timeout(FUTEX_WAIT_BITSET, &abs, t, CLOCK_MONOTONIC, "absolute monotonic WAIT_BITSET");
	t = now_ns(CLOCK_REALTIME) + TIMEOUT_MS * NSEC_PER_MSEC;
	abs = ns_ts(t);
	expect_timeout(FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, &abs, t, CLOCK_REALTIME,
		       "absolute realtime WAIT_BITSET");
	abs = ns_ts(0);
	expect_timeout(FUTEX_WAIT_BITSET, &abs, 0, CLOCK_MONOTONIC, "WAIT_BITSET in the past");
}

static void test_wake_counts(void)
{
	uint32_t word = 0;
	struct waiter w[WAITERS];
	long r;

	for (int i = 0; i < WAITERS; i++)
		w[i] = (struct waiter){ .word = &word, .bitset = FUTEX_BITSET_MATCH_ANY };
	start_waiters(w, WAITERS);
	if ((r = futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0)) != 1)
		FAIL("WAKE 1 of %d woke %ld", WAITERS, r);
	if ((r = futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0)) != WAITERS - 1)
		FAIL("WAKE all woke %ld, expected %d", r, WAITERS - 1);
	if ((r = futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0)) != 0)
		FAIL("WAKE with none left woke %ld", r);
	join_waiters(w, WAITERS);
}

static void test_requeue(void)
{
	uint32_t word = 0, other = 0;
	struct waiter w[WAITERS];
	long r;

	for (int i = 0; i < WAITERS; i++)
		w[i] = (struct waiter){ .word = &word, .bitset = FUTEX_BITSET_MATCH_ANY };
	start_waiters(w, WAITERS);
	if ((r = futex2(&word, FUTEX_CMP_REQUEUE, 1, INT_MAX, &other, 0)) != WAITERS)
		FAIL("CMP_REQUEUE returned %ld, expected %d", r, WAITERS);
	if ((r = futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0)) != 0)
		FAIL("%ld waiters left on the first word after CMP_REQUEUE", r);
	if ((r = futex(&other, FUTEX_WAKE, INT_MAX, NULL, NULL, 0)) != WAITERS - 1)
		FAIL("%ld waiters on the second word, expected %d", r, WAITERS - 1);
	join_waiters(w, WAITERS);

	start_waiters(w, 1);
	if ((r = futex2(&word, FUTEX_REQUEUE, 0, 1, &other, 0)) != 1)
		FAIL("REQUEUE moved %ld", r);
	if ((r = futex(&other, FUTEX_WAKE, 1, NULL, NULL, 0)) != 1)
		FAIL("REQUEUE: woke %ld on the second word", r);
	join_waiters(w, 1);
}

static void test_bitsets(void)
{
	uint32_t word = 0;
	struct waiter w[2] = {
		{ .word = &word, .bitset = BIT_A },
		{ .word = &word, .bitset = BIT_B },
	};
	long r;

	start_waiters(w, 2);
	if ((r = futex(&word, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, BIT_B << 2)) != 0)
		FAIL("WAKE_BITSET with a bitset nobody waits on woke %ld", r);
	if ((r = futex(&word, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, BIT_A)) != 1)
		FAIL("WAKE_BITSET(A) woke %ld", r);
	if ((r = futex(&word, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, BIT_A)) != 0)
		FAIL("second WAKE_BITSET(A) woke %ld", r);
	if ((r = futex(&word, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, BIT_A | BIT_B)) != 1)
		FAIL("WAKE_BITSET(A|B) woke %ld", r);
	join_waiters(w, 2);
}

static void test_wake_op(void)
{
	uint32_t word = 0, other = 0;
	struct waiter w[2] = {
		{ .word = &word, .bitset = FUTEX_BITSET_MATCH_ANY },
		{ .word = &other, .bitset = FUTEX_BITSET_MATCH_ANY },
	};
	long r;

	start_waiters(w, 2);
	/* other = 5; wake 1 on word; wake 1 on other if its old value was 0. */
	r = futex2(&word, FUTEX_WAKE_OP, 1, 1, &other, FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_EQ, 0));
	if (r != 2 || other != 5)
		FAIL("WAKE_OP woke %ld (expected 2), second word %u (expected 5)", r, other);
	join_waiters(w, 2);
	/* other += 1 << 3 (13); the comparison (old 5 > 7) fails. */
	r = futex2(&word, FUTEX_WAKE_OP, 1, 1, &other,
		   FUTEX_OP((FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_GT, 7));
	if (r != 0 || other != 13)
		FAIL("WAKE_OP(ADD 1<<3) returned %ld, second word %u (expected 13)", r, other);
	expect_err(futex2(&word, FUTEX_WAKE_OP, 1, 1, (void *)BAD_ADDR, 0), EFAULT,
		   "WAKE_OP on no mapping");
}

/* A child waits on a MAP_SHARED word; the parent wakes it with a shared
 * (non-private) futex: the key is the shared memory, not the address space. */
static void test_shared_fork(void)
{
	uint32_t *word = mmap(NULL, sizeof(*word), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	long r = 0;
	pid_t pid;

	if (word == MAP_FAILED)
		FAIL("mmap");
	*word = 0;
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { CHILD_TIMEOUT_S, 0 };

		while (*word == 0 && (r = syscall(SYS_futex, word, FUTEX_WAIT, 0, &ts, NULL, 0)) == 0)
			;
		_exit(*word == 1 ? 0 : 1);
	}
	if (pid < 0)
		FAIL("fork");
	sleep_ms(WAIT_SETTLE_MS);
	*word = 1;
	r = syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		FAIL("shared futex child: status %#x", status);
	if (r != 1)
		FAIL("shared WAKE across fork woke %ld", r);
	munmap(word, sizeof(*word));
}

int main(void)
{
	static const int modes[] = { 0, FUTEX_PRIVATE_FLAG };

	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		priv = modes[i];
		printf("t_futex: %s\n", priv ? "private" : "shared");
		test_errors();
		test_timeouts();
		test_wake_counts();
		test_requeue();
		test_bitsets();
		test_wake_op();
	}
	test_shared_fork();
	printf("PASS: t_futex\n");
	return 0;
}
