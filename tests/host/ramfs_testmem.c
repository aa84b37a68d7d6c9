/*
 * tests/host/ramfs_testmem.c: drivers/ramfs's memory callbacks for the
 * host tests (see ramfs_testmem.h).
 */
#define _GNU_SOURCE /* MAP_NORESERVE */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "tests/host/ramfs_testmem.h"

struct testmem testmem = { .fail_at = -1 };

static bool inject(void)
{
	if (testmem.fail_at < 0)
		return false;
	if (testmem.fail_at-- == 0) {
		testmem.failed++;
		return true;
	}
	return false;
}

static void *t_alloc(void *ctx, size_t size)
{
	void *p;

	(void)ctx;
	if (inject())
		return NULL;
	p = calloc(1, size);
	if (p != NULL)
		testmem.live++;
	return p;
}

static void t_free(void *ctx, void *p)
{
	(void)ctx;
	if (p != NULL)
		testmem.live--;
	free(p);
}

static void *t_reserve(void *ctx, uint64_t bytes)
{
	void *p;

	(void)ctx;
	if (inject())
		return NULL;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void t_unreserve(void *ctx, void *base, uint64_t bytes)
{
	(void)ctx;
	assert_int_equal(munmap(base, bytes), 0);
}

static int t_commit(void *ctx, void *page)
{
	(void)ctx;
	assert_int_equal((uintptr_t)page % RAMFS_PAGE, 0);
	return inject() ? -ENOSPC : 0;
}

static void t_decommit(void *ctx, void *addr, uint64_t bytes)
{
	(void)ctx;
	assert_int_equal(madvise(addr, bytes, MADV_DONTNEED), 0);
}

static struct ramfs_time t_now(void *ctx)
{
	(void)ctx;
	return (struct ramfs_time){ .sec = ++testmem.clock, .nsec = 0 };
}

struct ramfs_mem testmem_ops(uint64_t budget_pages)
{
	return (struct ramfs_mem){
		.alloc = t_alloc, .free = t_free, .reserve = t_reserve, .unreserve = t_unreserve,
		.commit = t_commit, .decommit = t_decommit, .budget_pages = budget_pages,
		.now = t_now,
	};
}

void testmem_fs(struct ramfs *fs, uint64_t budget_pages)
{
	struct ramfs_mem mem = testmem_ops(budget_pages);

	testmem.fail_at = -1;
	assert_int_equal(ramfs_init(fs, &mem, 0755), 0);
}
