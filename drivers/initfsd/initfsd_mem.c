/*
 * drivers/initfsd/initfsd_mem.c: where file:'s pages live (see
 * initfsd_file.h): drivers/ramfs's memory callbacks over mmap. Each
 * file's reservation is an anonymous mapping that costs nothing until a
 * page is committed, which touches it so that the page exists from then
 * on (FMAP hands out present pages). Anode's mmap has no MAP_POPULATE yet
 * and an anonymous fault that finds no memory is fatal, so the budget is
 * what keeps the daemon safe: files may use at most half of RAM
 * (INITFSD_BUDGET_DIV), and past it writes get ENOSPC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>
#include "drivers/initfsd/initfsd_file.h"

#define INITFSD_BUDGET_DIV 2            /* files get 1/2 of RAM */
#define INITFSD_BUDGET_FALLBACK (64ull << 20) /* RAM unknown: 64 MiB */
#define MEMINFO "sys:meminfo"           /* Anode's kernel memory counts */
#define MEMINFO_TOTAL "MemTotal: %llu kB"
#define KIB 1024ull

static void *m_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return calloc(1, size);
}

static void m_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static void *m_reserve(void *ctx, uint64_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	(void)ctx;
	return p == MAP_FAILED ? NULL : p;
}

static void m_unreserve(void *ctx, void *base, uint64_t bytes)
{
	(void)ctx;
	munmap(base, bytes);
}

static int m_commit(void *ctx, void *page)
{
	(void)ctx;
	*(volatile uint8_t *)page = 0;
	return 0;
}

/* A fresh mapping over the run drops its pages: holes again. */
static void m_decommit(void *ctx, void *addr, uint64_t bytes)
{
	(void)ctx;
	mmap(addr, bytes, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static struct ramfs_time m_now(void *ctx)
{
	struct timespec ts = { 0 };

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (struct ramfs_time){ .sec = ts.tv_sec, .nsec = ts.tv_nsec };
}

/* RAM in bytes: sysinfo (Linux), else sys:meminfo (Anode), else 0. */
static uint64_t ram_bytes(void)
{
	unsigned long long kb = 0;
	struct sysinfo si;
	char line[128];
	FILE *f;

	if (sysinfo(&si) == 0 && si.totalram > 0)
		return (uint64_t)si.totalram * si.mem_unit;
	f = fopen(MEMINFO, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, MEMINFO_TOTAL, &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb * KIB;
}

struct ramfs_mem initfsd_mem(void)
{
	uint64_t ram = ram_bytes();

	return (struct ramfs_mem){
		.alloc = m_alloc, .free = m_free, .reserve = m_reserve,
		.unreserve = m_unreserve, .commit = m_commit, .decommit = m_decommit,
		.now = m_now,
		.budget_pages = (ram ? ram / INITFSD_BUDGET_DIV : INITFSD_BUDGET_FALLBACK) /
				RAMFS_PAGE,
	};
}
