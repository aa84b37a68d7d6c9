/*
 * mm/mm_selftest.c: self-tests of the memory subsystem on the real machine:
 * the frame allocator under stress, the heap, page-table operations through
 * the recursive window, and kernel stacks' guard pages.
 */
#include "kernel/selftest.h"
#include "kernel/lib/errno.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "arch/aarch64/extable.h"
#include "asm/cpu.h"
#include <string.h>

#define STRESS_BLOCKS 256
#define STRESS_MAX_ORDER 4
#define PATTERN_SEED 0x9e3779b97f4a7c15UL
/* A scratch address in the device window's last 1 GiB, never handed out. */
#define SELFTEST_VA (IOMAP_BASE + IOMAP_SIZE - PT_LEVEL_SIZE(1))

static uint64_t pattern(paddr_t pa)
{
	return pa * PATTERN_SEED;
}

static int test_frames(void)
{
	static paddr_t pa[STRESS_BLOCKS];
	static unsigned order[STRESS_BLOCKS];
	struct frame_stats before, after;
	int n;

	frame_get_stats(&before);
	for (n = 0; n < STRESS_BLOCKS; n++) {
		order[n] = (unsigned)(n * 7) % (STRESS_MAX_ORDER + 1);
		SELFTEST_CHECK(frame_alloc(order[n], &pa[n]) == 0, "alloc %d (order %u) failed", n, order[n]);
		SELFTEST_CHECK(IS_ALIGNED(pa[n], PAGE_SIZE << order[n]), "block %#lx misaligned", pa[n]);
		/* Stamp every page; an overlap would overwrite another's stamp. */
		for (unsigned p = 0; p < (1u << order[n]); p++)
			*(uint64_t *)phys_to_virt(pa[n] + p * PAGE_SIZE) = pattern(pa[n] + p * PAGE_SIZE);
	}
	for (int i = 0; i < n; i++)
		for (unsigned p = 0; p < (1u << order[i]); p++)
			SELFTEST_CHECK(*(uint64_t *)phys_to_virt(pa[i] + p * PAGE_SIZE) ==
				       pattern(pa[i] + p * PAGE_SIZE), "blocks overlap at %#lx", pa[i]);
	/* Free in a different order than allocated, to exercise merging. */
	for (int i = 0; i < n; i += 2)
		SELFTEST_CHECK(frame_free(pa[i], order[i]) == 0, "free %d failed", i);
	for (int i = 1; i < n; i += 2)
		SELFTEST_CHECK(frame_free(pa[i], order[i]) == 0, "free %d failed", i);
	SELFTEST_CHECK(frame_free(pa[0], order[0]) == -EINVAL, "double free accepted");
	frame_get_stats(&after);
	SELFTEST_CHECK(after.free_pages == before.free_pages, "free pages %zu, expected %zu",
		       after.free_pages, before.free_pages);
	return 0;
}
SELFTEST(st_frames, "frame allocator stress", test_frames);

#define HEAP_OBJECTS 64
#define HEAP_MAX_SIZE 9000

static int test_heap(void)
{
	void *obj[HEAP_OBJECTS];
	size_t size[HEAP_OBJECTS];
	struct heap_stats before, after;

	heap_trim();
	heap_stats(&before);
	for (int i = 0; i < HEAP_OBJECTS; i++) {
		size[i] = 1 + (size_t)(i * 977) % HEAP_MAX_SIZE;
		obj[i] = kmalloc(size[i]);
		SELFTEST_CHECK(obj[i], "kmalloc(%zu) failed", size[i]);
		memset(obj[i], i, size[i]);
	}
	for (int i = 0; i < HEAP_OBJECTS; i++)
		for (size_t b = 0; b < size[i]; b++)
			SELFTEST_CHECK(((uint8_t *)obj[i])[b] == (uint8_t)i, "object %d corrupted", i);
	for (int i = 0; i < HEAP_OBJECTS; i++)
		kfree(obj[i]);
	SELFTEST_CHECK(kmalloc(0) == NULL, "kmalloc(0) returned memory");
	heap_trim();
	heap_stats(&after);
	SELFTEST_CHECK(after.pages == before.pages && after.bytes_in_use == before.bytes_in_use,
		       "heap holds %zu pages after freeing all (was %zu)", after.pages, before.pages);
	return 0;
}
SELFTEST(st_heap, "kernel heap", test_heap);

static int test_vm(void)
{
	paddr_t pa, got;
	uint64_t value, desc;

	SELFTEST_CHECK(frame_alloc_zeroed(0, &pa) == 0, "no frame");
	SELFTEST_CHECK(vm_translate(SELFTEST_VA, NULL, NULL) == -ENOENT, "scratch VA already mapped");
	SELFTEST_CHECK(vm_map(SELFTEST_VA, pa, VM_READ | VM_WRITE) == 0, "map failed");
	SELFTEST_CHECK(vm_map(SELFTEST_VA, pa, VM_READ) == -EEXIST, "double map accepted");
	SELFTEST_CHECK(vm_translate(SELFTEST_VA + 0x123, &got, &desc) == 0 && got == pa + 0x123,
		       "translate gave %#lx, expected %#lx", got, pa + 0x123);
	SELFTEST_CHECK(desc & PTE_PXN, "data page is executable");
	/* The same frame through two mappings. */
	*(volatile uint64_t *)SELFTEST_VA = PATTERN_SEED;
	SELFTEST_CHECK(*(uint64_t *)phys_to_virt(pa) == PATTERN_SEED, "write not seen in physmap");
	/* The level-3 table is itself reachable through the recursive window. */
	SELFTEST_CHECK(vm_translate(pt_table_va(SELFTEST_VA, 3), &got, NULL) == 0 &&
		       (*(uint64_t *)phys_to_virt(got + PT_INDEX(SELFTEST_VA, 3) * 8) & PTE_ADDR_MASK) == pa,
		       "recursive window does not reach the level-3 table");
	SELFTEST_CHECK(vm_translate(pt_table_va(SELFTEST_VA, 0), &got, NULL) == 0 &&
		       got == (read_sysreg(ttbr1_el1) & PTE_ADDR_MASK), "recursive L0 is not TTBR1");
	SELFTEST_CHECK(vm_protect(SELFTEST_VA, VM_READ) == 0, "protect failed");
	SELFTEST_CHECK(probe_write_u64((void *)SELFTEST_VA, 1) == -EFAULT, "read-only page was written");
	SELFTEST_CHECK(probe_read_u64((void *)SELFTEST_VA, &value) == 0 && value == PATTERN_SEED,
		       "read-only page unreadable");
	SELFTEST_CHECK(vm_unmap(SELFTEST_VA) == 0, "unmap failed");
	SELFTEST_CHECK(vm_translate(SELFTEST_VA, NULL, NULL) == -ENOENT, "still mapped after unmap");
	SELFTEST_CHECK(probe_read_u64((void *)SELFTEST_VA, &value) == -EFAULT, "unmapped page readable (stale TLB?)");
	SELFTEST_CHECK(vm_unmap(SELFTEST_VA) == -ENOENT, "double unmap accepted");
	SELFTEST_CHECK(vm_map(SELFTEST_VA + 1, pa, VM_READ) == -EINVAL, "unaligned map accepted");
	frame_free(pa, 0);
	/* A run of pages in one level-3 table, mapped and unmapped whole. */
	SELFTEST_CHECK(frame_alloc(1, &pa) == 0, "no two frames");
	SELFTEST_CHECK(vm_map_range(SELFTEST_VA, pa, 2 * PAGE_SIZE, VM_READ | VM_WRITE) == 0, "range map failed");
	SELFTEST_CHECK(vm_translate(SELFTEST_VA + PAGE_SIZE, &got, NULL) == 0 && got == pa + PAGE_SIZE,
		       "second page of the range not mapped");
	SELFTEST_CHECK(vm_protect_range(SELFTEST_VA, 2 * PAGE_SIZE, VM_READ) == 0, "range protect failed");
	SELFTEST_CHECK(probe_write_u64((void *)(SELFTEST_VA + PAGE_SIZE), 1) == -EFAULT,
		       "second page of a read-only range was written (stale TLB?)");
	SELFTEST_CHECK(probe_read_u64((void *)(SELFTEST_VA + PAGE_SIZE), &value) == 0,
		       "second page of a read-only range unreadable");
	SELFTEST_CHECK(vm_protect_range(SELFTEST_VA, 3 * PAGE_SIZE, VM_READ) == -ENOENT,
		       "protecting past the range's end is not ENOENT");
	SELFTEST_CHECK(vm_unmap_range(SELFTEST_VA, 2 * PAGE_SIZE) == 0, "range unmap failed");
	SELFTEST_CHECK(probe_read_u64((void *)(SELFTEST_VA + PAGE_SIZE), &value) == -EFAULT,
		       "second page of an unmapped range readable (stale TLB?)");
	SELFTEST_CHECK(vm_unmap_range(SELFTEST_VA, 2 * PAGE_SIZE) == -ENOENT, "double range unmap accepted");
	SELFTEST_CHECK(vm_unmap_range(SELFTEST_VA + 1, PAGE_SIZE) == -EINVAL, "unaligned range unmap accepted");
	frame_free(pa, 1);
	return 0;
}
SELFTEST(st_vm, "page tables (recursive window)", test_vm);

static int test_kstack(void)
{
	vaddr_t top = kstack_alloc();
	uint64_t value;

	SELFTEST_CHECK(top, "kstack_alloc failed");
	SELFTEST_CHECK(probe_write_u64((void *)(top - 8), 1) == 0, "stack top not writable");
	SELFTEST_CHECK(probe_write_u64((void *)(top - KERNEL_STACK_SIZE), 1) == 0, "stack bottom not writable");
	SELFTEST_CHECK(probe_read_u64((void *)(top - KERNEL_STACK_SIZE - 8), &value) == -EFAULT,
		       "guard page below the stack is mapped");
	kstack_free(top);
	SELFTEST_CHECK(probe_read_u64((void *)(top - 8), &value) == -EFAULT, "freed stack still mapped");
	SELFTEST_CHECK(probe_read_u64((void *)(top - KERNEL_STACK_SIZE), &value) == -EFAULT,
		       "freed stack's bottom page still mapped");
	SELFTEST_CHECK(probe_read_u64((void *)(__boot_stack_guard), &value) == -EFAULT,
		       "boot stack guard page is mapped");
	return 0;
}
SELFTEST(st_kstack, "kernel stack guard pages", test_kstack);
