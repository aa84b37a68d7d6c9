/*
 * t_leak: the kernel frees everything a process used.
 *
 * Reads MemFree from sys:meminfo, runs ROUNDS rounds of fork, exit and wait,
 * and reads MemFree again: it must not have changed by a single page. A few
 * warm-up rounds come first, so that caches the kernel keeps on purpose
 * (slab pages, page-table pages) already exist when the first figure is
 * taken; the meminfo text is read into a static buffer (meminfo.h), so
 * that this process's own memory does not change in between.
 * Only meaningful on Anode: sys:meminfo does not exist elsewhere.
 * Prints "PASS: t_leak" or "FAIL: t_leak: <reason>".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meminfo.h"

#define WARMUP_ROUNDS 10
#define ROUNDS 200

#define FAIL(...) do { \
	printf("FAIL: t_leak: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* Read MemFree and KernelHeap (0 if absent), or fail. */
static void read_meminfo(unsigned long *free_kb, unsigned long *heap_kb)
{
	int err = meminfo_load();

	if (err)
		FAIL("reading %s: %s", MEMINFO, strerror(err));
	if (meminfo_get("MemFree", free_kb) < 0)
		FAIL("no MemFree line in %s", MEMINFO);
	if (meminfo_get("KernelHeap", heap_kb) < 0)
		*heap_kb = 0;
}

static void fork_rounds(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		if (pid < 0)
			FAIL("fork in round %d: %s", i, strerror(errno));
		if (pid == 0)
			_exit(i & 0xff);
		int status;
		if (waitpid(pid, &status, 0) != pid)
			FAIL("waitpid in round %d: %s", i, strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != (i & 0xff))
			FAIL("child of round %d: status %#x", i, status);
	}
}

int main(void)
{
	unsigned long free0, heap0, free1, heap1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_leak: start\n");
	read_meminfo(&free0, &heap0);	/* warm up the read path too */
	fflush(stdout);
	fork_rounds(WARMUP_ROUNDS);
	read_meminfo(&free0, &heap0);
	fork_rounds(ROUNDS);
	read_meminfo(&free1, &heap1);
	printf("t_leak: MemFree %lu -> %lu kB, KernelHeap %lu -> %lu kB after %d forks\n",
	       free0, free1, heap0, heap1, ROUNDS);
	if (free1 != free0)
		FAIL("MemFree changed by %ld kB over %d fork/exit/wait rounds",
		     (long)free1 - (long)free0, ROUNDS);
	printf("PASS: t_leak\n");
	return 0;
}
