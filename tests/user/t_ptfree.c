/*
 * t_ptfree: munmap gives back the page tables the region's faults made.
 *
 * Maps REGION_BYTES of anonymous memory, touches one byte in every
 * level-3 table's span (TABLE_SPAN, 2 MiB with 4 KiB pages), so that each
 * touch makes a table as well as a page, and unmaps it: MemFree +
 * HeapCached (sys:meminfo) must be back where they were, to the page.
 * Before the fix the tables stayed with the process until it ended, about
 * 2 MiB here, and a daemon that reserves, touches and unmaps ever new
 * ranges (initfsd's file reservations) held more with each one.
 * The figure is system-wide, so with several CPUs a round is tried again
 * (up to ATTEMPTS times) when it moved while the round ran: other
 * processes may allocate meanwhile, but a leak shows in every attempt.
 * A warm-up round first does the same, so that what the process keeps
 * once (the kernel's list of its tables, grown to hold them all) is there
 * when the first figure is taken; then an untouched mapping of the same
 * size is kept, so that the measured rounds' region lands at addresses
 * the warm-up never touched (mmap places regions top-down, reusing a
 * freed range): before the fix their tables would be new ones, kept.
 * Only meaningful on Anode: sys:meminfo does not exist elsewhere; on Linux
 * the mapping, touching and unmapping still run.
 * Prints "PASS: t_ptfree" or "FAIL: t_ptfree: <reason>".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "meminfo.h"

#define MIB (1024ul * 1024)
#define TABLE_SPAN (2 * MIB)     /* what one level-3 table maps (4 KiB granule) */
#define REGION_BYTES (512 * MIB) /* 256 level-3 tables */
#define ROUNDS 3
#define ATTEMPTS 5 /* per round, while something else moves the figure */

#define FAIL(...) do { \
	printf("FAIL: t_ptfree: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* Maps the region, touches one byte every stride, unmaps it. */
static void round_trip(size_t stride)
{
	char *p = mmap(NULL, REGION_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		FAIL("mmap %lu MiB: %s", REGION_BYTES / MIB, strerror(errno));
	for (size_t off = 0; off < REGION_BYTES; off += stride)
		p[off] = 1;
	if (munmap(p, REGION_BYTES) != 0)
		FAIL("munmap: %s", strerror(errno));
}

/* MemFree + HeapCached in kB, or -1 where there is no sys:meminfo. */
static long free_kb(void)
{
	unsigned long free, cached;
	int err = meminfo_load();

	if (err == ENOENT)
		return -1;
	if (err || meminfo_get("MemFree", &free) || meminfo_get("HeapCached", &cached))
		FAIL("reading %s: %s", MEMINFO, err ? strerror(err) : "a figure is missing");
	return (long)(free + cached);
}

int main(void)
{
	long before = 0, after = 0;

	round_trip(TABLE_SPAN);
	if (mmap(NULL, REGION_BYTES, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED)
		FAIL("mmap of the spacer: %s", strerror(errno));
	free_kb(); /* its buffer's pages are the process's from now on */
	for (int i = 0; i < ROUNDS; i++) {
		int attempt = 0; /* retried while another process moves the figure (top) */

		do {
			before = free_kb();
			round_trip(TABLE_SPAN);
			after = free_kb();
			printf("t_ptfree: round %d: %ld kB before, %ld kB after\n", i, before, after);
		} while (before >= 0 && after != before && ++attempt < ATTEMPTS);
		if (before >= 0 && after != before)
			FAIL("round %d: MemFree + HeapCached changed by %ld kB in each of %d attempts",
			     i, after - before, ATTEMPTS);
	}
	printf("PASS: t_ptfree\n");
	return 0;
}
