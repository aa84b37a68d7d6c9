/*
 * t_futex_atomic: FUTEX_WAKE_OP's update of the second word is atomic
 * against user-space atomics on other CPUs (Linux: LDXR/STXR in
 * futex_atomic_op_inuser; Anode: a compare-and-swap loop, kernel/futex.c).
 *
 * ADDERS threads each add 1 to a word ROUNDS times with an atomic
 * fetch-add while the main thread adds 1 to the same word ROUNDS times
 * with FUTEX_WAKE_OP (FUTEX_OP_ADD, private and shared in turn). A kernel
 * read-modify-write that is not atomic loses some of the threads' adds (or
 * its own) when they run on other CPUs at once; the final value must be
 * exact. With one CPU it passes trivially: tests/qemu/test_futex_smp.py
 * runs it on four.
 * Prints "PASS: t_futex_atomic" or "FAIL: t_futex_atomic: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/futex.h (musl's headers do not carry it). */
#define FUTEX_WAKE_OP 5
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_OP_ADD 1
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	(((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))

#define ADDERS 3
#define ROUNDS 20000

static uint32_t word, other;
static int started; /* atomic: adders running, so the two sides overlap */

#define FAIL(...) do { \
	printf("FAIL: t_futex_atomic: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static void *adder(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < ADDERS + 1)
		;
	for (int i = 0; i < ROUNDS; i++)
		__atomic_add_fetch(&word, 1, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	pthread_t t[ADDERS];
	uint32_t want = (uint32_t)(ADDERS + 1) * ROUNDS;

	for (int i = 0; i < ADDERS; i++)
		if ((errno = pthread_create(&t[i], NULL, adder, NULL)) != 0)
			FAIL("pthread_create: %s", strerror(errno));
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < ADDERS)
		;
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < ROUNDS; i++) {
		int op = FUTEX_WAKE_OP | (i % 2 ? FUTEX_PRIVATE_FLAG : 0);

		/* Wakes nobody (counts 0): only the update matters. */
		if (syscall(SYS_futex, &other, op, 0, NULL, &word,
			    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)) < 0)
			FAIL("FUTEX_WAKE_OP round %d: %s", i, strerror(errno));
	}
	for (int i = 0; i < ADDERS; i++)
		pthread_join(t[i], NULL);
	printf("t_futex_atomic: word %u after %d adds\n", word, (ADDERS + 1) * ROUNDS);
	if (word != want)
		FAIL("word is %u, want %u: an add was lost", word, want);
	printf("PASS: t_futex_atomic\n");
	return 0;
}
