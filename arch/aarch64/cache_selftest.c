/*
 * arch/aarch64/cache_selftest.c: self-test of instruction-cache
 * maintenance (asm/cache.h). QEMU models no caches, so what can be checked
 * is that a page's sync walks every line CTR_EL0 gives, and that each path
 * making user memory executable calls it: a kernel write into an
 * executable region (exec loading a segment), a fault on a fresh
 * executable page, and mprotect adding PROT_EXEC to a written page.
 */
#include "kernel/selftest.h"
#include "asm/cache.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "asm/cpu.h"

#define CACHE_TEST_VA 0x400000UL  /* any user address above USER_BASE */
#define CACHE_TEST_PAGES 3        /* written, faulted, reprotected */

static int test_cache_lines(void)
{
	static uint8_t page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	struct cache_sync_count c;
	uint64_t ctr = read_sysreg(ctr_el0);

	cache_sync_exec_all((vaddr_t)page, PAGE_SIZE, &c);
	SELFTEST_CHECK(c.dc_lines == PAGE_SIZE / cache_dline(), "DC CVAU on %zu lines, want %zu",
		       c.dc_lines, PAGE_SIZE / cache_dline());
	if (((ctr >> CTR_L1IP_SHIFT) & CTR_L1IP_MASK) == CTR_L1IP_PIPT)
		SELFTEST_CHECK(!c.ic_all && c.ic_lines == PAGE_SIZE / cache_iline(),
			       "IC IVAU on %zu lines, want %zu", c.ic_lines, PAGE_SIZE / cache_iline());
	else
		SELFTEST_CHECK(c.ic_all && !c.ic_lines, "a non-PIPT I-cache needs IC IALLUIS");
	/* An unaligned range covers every line it touches. */
	cache_sync_exec_all((vaddr_t)page + 1, cache_dline(), &c);
	SELFTEST_CHECK(c.dc_lines == 2, "an unaligned line-long range took %zu lines", c.dc_lines);
	return 0;
}
SELFTEST(st_cache_lines, "icache sync walks every line", test_cache_lines);

/* Runs the three paths on space as; the first failure, or 0. */
static int exec_paths(struct aspace *as)
{
	static const uint8_t code[] = { 0xc0, 0x03, 0x5f, 0xd6 }; /* ret */
	uint64_t va = CACHE_TEST_VA, end = va + CACHE_TEST_PAGES * PAGE_SIZE;
	uint64_t before;

	SELFTEST_CHECK(uvm_add_region(as, va, end, VM_READ | VM_EXEC, 0, 0, 0) == 0, "add r-x region");
	before = cache_exec_syncs();
	SELFTEST_CHECK(uvm_write(as, va, code, sizeof(code)) == 0, "write into r-x");
	SELFTEST_CHECK(cache_exec_syncs() > before, "a kernel write into r-x memory was not synced");
	before = cache_exec_syncs();
	SELFTEST_CHECK(uvm_fault(as, va + PAGE_SIZE, false, true) == 0, "exec fault");
	SELFTEST_CHECK(cache_exec_syncs() > before, "an exec fault's new page was not synced");
	SELFTEST_CHECK(uvm_protect(as, va + 2 * PAGE_SIZE, end, VM_READ | VM_WRITE) == 0, "to rw-");
	SELFTEST_CHECK(uvm_write(as, va + 2 * PAGE_SIZE, code, sizeof(code)) == 0, "write into rw-");
	before = cache_exec_syncs();
	SELFTEST_CHECK(uvm_protect(as, va + 2 * PAGE_SIZE, end, VM_READ | VM_EXEC) == 0, "to r-x");
	SELFTEST_CHECK(cache_exec_syncs() > before, "mprotect adding exec did not sync");
	return 0;
}

static int test_cache_exec_paths(void)
{
	struct aspace *as = aspace_create();
	int err;

	SELFTEST_CHECK(as, "aspace_create failed");
	err = exec_paths(as);
	aspace_destroy(as);
	return err;
}
SELFTEST(st_cache_exec_paths, "icache sync on every exec path", test_cache_exec_paths);
