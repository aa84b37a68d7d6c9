/*
 * tests/host/test_initrd.c: host unit tests of initrd_place()
 * (kernel/initrd_place.c): an initrd inside RAM is used where it lies or
 * moved down to its page boundary; empty, reversed, outside RAM, across
 * two RAM ranges, or sharing a page with the kernel or the device tree, it
 * is refused with the error initrd.h names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel/initrd.h"
#include "kernel/lib/errno.h"
#include "mm/layout.h"

/* QEMU virt with 1 GiB: RAM at 1 GiB; the DTB at its bottom, the kernel
 * 2 MiB above; a second RAM range higher up, not adjacent. */
#define RAM0_BASE 0x40000000ULL
#define RAM0_SIZE 0x40000000ULL
#define RAM1_BASE 0x100000000ULL
#define RAM1_SIZE 0x10000000ULL
#define DTB_BASE 0x40000000ULL
#define DTB_SIZE 0x100000ULL
#define KERNEL_BASE 0x40200000ULL
#define KERNEL_SIZE 0x800000ULL
#define QEMU_INITRD 0x48000000ULL /* where QEMU -initrd puts it on virt */
#define ARCHIVE_SIZE 0x123456ULL  /* not a page multiple */
#define UNALIGNED_BY 0x123ULL

static const struct mem_range ram[] = {
	{ RAM0_BASE, RAM0_SIZE },
	{ RAM1_BASE, RAM1_SIZE },
};
static const struct initrd_busy busy[] = {
	{ DTB_BASE, DTB_SIZE, "the device tree" },
	{ KERNEL_BASE, KERNEL_SIZE, "the kernel image" },
};
#define NRAM ((int)(sizeof(ram) / sizeof(ram[0])))
#define NBUSY ((int)(sizeof(busy) / sizeof(busy[0])))

static int place(paddr_t start, paddr_t end, struct initrd_where *w, int *which)
{
	*which = -1;
	return initrd_place(ram, NRAM, busy, NBUSY, start, end, w, which);
}

/* An ARCHIVE_SIZE initrd starting at start is used at QEMU_INITRD, and
 * only the pages it covers there are kept (a moved one's too). */
static void check_used_at_qemu_initrd(paddr_t start)
{
	struct initrd_where w;
	int which;

	assert_int_equal(place(start, start + ARCHIVE_SIZE, &w, &which), 0);
	assert_int_equal(w.at, QEMU_INITRD);
	assert_int_equal(w.size, ARCHIVE_SIZE);
	assert_int_equal(w.rsv_base, QEMU_INITRD);
	assert_int_equal(w.rsv_size, ALIGN_UP(ARCHIVE_SIZE, PAGE_SIZE));
	assert_int_equal(which, -1);
}

static void aligned_initrd_stays(void **state)
{
	(void)state;
	check_used_at_qemu_initrd(QEMU_INITRD);
}

static void unaligned_initrd_moves_down(void **state)
{
	(void)state;
	check_used_at_qemu_initrd(QEMU_INITRD + UNALIGNED_BY);
}

static void second_ram_range_is_fine(void **state)
{
	struct initrd_where w;
	int which;

	(void)state;
	assert_int_equal(place(RAM1_BASE, RAM1_BASE + RAM1_SIZE, &w, &which), 0);
	assert_int_equal(w.at, RAM1_BASE);
}

static void empty_or_reversed_refused(void **state)
{
	struct initrd_where w;
	int which;

	(void)state;
	assert_int_equal(place(QEMU_INITRD, QEMU_INITRD, &w, &which), -EINVAL);
	assert_int_equal(place(QEMU_INITRD + PAGE_SIZE, QEMU_INITRD, &w, &which), -EINVAL);
}

static void outside_ram_refused(void **state)
{
	struct initrd_where w;
	int which;

	(void)state;
	/* Below RAM, past its end, straddling its end, between two ranges,
	 * across both, at the top of the address space. */
	assert_int_equal(place(0x1000, 0x2000, &w, &which), -ERANGE);
	assert_int_equal(place(RAM0_BASE + RAM0_SIZE, RAM0_BASE + RAM0_SIZE + PAGE_SIZE, &w, &which),
			 -ERANGE);
	assert_int_equal(place(RAM0_BASE + RAM0_SIZE - PAGE_SIZE, RAM0_BASE + RAM0_SIZE + 1, &w,
			       &which), -ERANGE);
	assert_int_equal(place(RAM0_BASE + RAM0_SIZE, RAM1_BASE, &w, &which), -ERANGE);
	assert_int_equal(place(QEMU_INITRD, RAM1_BASE + PAGE_SIZE, &w, &which), -ERANGE);
	assert_int_equal(place(UINT64_MAX - PAGE_SIZE, UINT64_MAX, &w, &which), -ERANGE);
	assert_int_equal(which, -1);
}

static void overlapping_kernel_or_tree_refused(void **state)
{
	struct initrd_where w;
	int which;

	(void)state;
	assert_int_equal(place(KERNEL_BASE + PAGE_SIZE, KERNEL_BASE + 2 * PAGE_SIZE, &w, &which),
			 -EBUSY);
	assert_int_equal(which, 1);
	assert_int_equal(place(DTB_BASE + DTB_SIZE - 1, QEMU_INITRD, &w, &which), -EBUSY);
	assert_int_equal(which, 0);
	/* Starting in the page the kernel ends in: moving down would hit it. */
	assert_int_equal(place(KERNEL_BASE + KERNEL_SIZE - PAGE_SIZE + UNALIGNED_BY,
			       KERNEL_BASE + KERNEL_SIZE + PAGE_SIZE, &w, &which), -EBUSY);
	assert_int_equal(which, 1);
	/* Right after the kernel, and ending in the page just below it: fine. */
	assert_int_equal(place(KERNEL_BASE + KERNEL_SIZE, KERNEL_BASE + KERNEL_SIZE + 1, &w, &which),
			 0);
	assert_int_equal(place(DTB_BASE + DTB_SIZE, KERNEL_BASE - UNALIGNED_BY, &w, &which), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aligned_initrd_stays),
		cmocka_unit_test(unaligned_initrd_moves_down),
		cmocka_unit_test(second_ram_range_is_fine),
		cmocka_unit_test(empty_or_reversed_refused),
		cmocka_unit_test(outside_ram_refused),
		cmocka_unit_test(overlapping_kernel_or_tree_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
