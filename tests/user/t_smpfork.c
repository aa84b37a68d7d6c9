/*
 * t_smpfork: 10,000 fork/exit/wait rounds on every CPU at once leak
 * nothing.
 *
 * FORKERS processes (one per CPU of a 4-CPU machine; the scheduler spreads
 * them) each run ROUNDS_EACH rounds of fork, _exit and waitpid, checking
 * every child's status; the parent reads MemFree from sys:meminfo before
 * and after (once a warm-up pass of the same shape has created the caches
 * the kernel keeps on purpose, as t_leak does), and it must not have
 * changed by a single page. No child's last switch is still in flight
 * then: waitpid returns only once the child's threads are freed
 * (kernel/proc.c, tests/user/t_reapmem.c). Only meaningful on Anode
 * (sys:meminfo).
 * Prints "PASS: t_smpfork" or "FAIL: t_smpfork: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meminfo.h"

#define FORKERS 4
#define ROUNDS_EACH 2500 /* 10,000 in all */
#define WARMUP_EACH 10

#define FAIL(...) do { \
	printf("FAIL: t_smpfork: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static unsigned long mem_free(void)
{
	unsigned long kb, heap = 0, cached = 0;
	int err;

	err = meminfo_load();

	if (err)
		FAIL("reading %s: %s", MEMINFO, strerror(err));
	if (meminfo_get("MemFree", &kb) < 0)
		FAIL("no MemFree line in %s", MEMINFO);
	meminfo_get("KernelHeap", &heap);
	meminfo_get("HeapCached", &cached);
	printf("t_smpfork: MemFree %lu kB, KernelHeap %lu kB, HeapCached %lu kB\n", kb, heap, cached);
	return kb;
}

/* A forker: rounds of fork/_exit/waitpid; exits 0, or 1 with a message. */
static void forker(int id, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			FAIL("forker %d: fork in round %d: %s", id, i, strerror(errno));
		if (pid == 0)
			_exit((id + i) & 0xff);
		if (waitpid(pid, &status, 0) != pid)
			FAIL("forker %d: waitpid in round %d: %s", id, i, strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != ((id + i) & 0xff))
			FAIL("forker %d: child of round %d: status %#x", id, i, status);
	}
	exit(0);
}

static void pass(int rounds)
{
	pid_t pids[FORKERS];

	for (int f = 0; f < FORKERS; f++) {
		pids[f] = fork();
		if (pids[f] < 0)
			FAIL("fork (forker %d): %s", f, strerror(errno));
		if (pids[f] == 0)
			forker(f, rounds);
	}
	for (int f = 0; f < FORKERS; f++) {
		int status;

		if (waitpid(pids[f], &status, 0) != pids[f])
			FAIL("waitpid (forker %d): %s", f, strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			FAIL("forker %d: status %#x", f, status);
	}
}

int main(void)
{
	unsigned long before, after;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_smpfork: %ld CPUs online\n", sysconf(_SC_NPROCESSORS_ONLN));
	mem_free(); /* warm up the read path too */
	pass(WARMUP_EACH);
	before = mem_free();
	pass(ROUNDS_EACH);
	after = mem_free();
	printf("t_smpfork: MemFree %lu -> %lu kB after %d rounds\n", before, after,
	       FORKERS * ROUNDS_EACH);
	if (after != before)
		FAIL("MemFree changed by %ld kB over %d fork/exit/wait rounds",
		     (long)after - (long)before, FORKERS * ROUNDS_EACH);
	printf("PASS: t_smpfork\n");
	return 0;
}
