/*
 * arch/aarch64/prot_selftest.c: self-tests that the CPU's protections fire:
 * PAN refuses a kernel access to a user page outside the copy helpers
 * (while the helpers still work), every user page is PXN and every kernel
 * page UXN, and the kernel jumping into a user page takes an instruction
 * abort at EL1. Each builds a scratch user address space and puts back
 * the empty TTBR0 the boot thread runs with (self-tests run before user
 * space exists).
 */
#include "kernel/selftest.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/extable.h"
#include "arch/aarch64/uaccess.h"
#include "asm/pan.h"
#include "asm/pte.h"
#include "asm/cpu.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/layout.h"
#include "mm/kmap.h"

/* Where the scratch space maps its data page and its code page. */
#define SCRATCH_DATA_VA (USER_BASE + 0x100000UL)
#define SCRATCH_CODE_VA (SCRATCH_DATA_VA + PAGE_SIZE)
#define SCRATCH_PATTERN 0x50414e00600d0001UL
#define INSN_RET 0xd65f03c0u

/* A scratch space with one data page (read-write) and one code page
 * (read-execute, holding RET), both present; active in TTBR0. */
static struct aspace *scratch_space(void)
{
	struct aspace *as = aspace_create();
	uint64_t pattern = SCRATCH_PATTERN;
	uint32_t ret = INSN_RET;

	if (!as)
		return NULL;
	if (uvm_add_region(as, SCRATCH_DATA_VA, SCRATCH_DATA_VA + PAGE_SIZE, VM_READ | VM_WRITE, 0, 0, 0) ||
	    uvm_add_region(as, SCRATCH_CODE_VA, SCRATCH_CODE_VA + PAGE_SIZE, VM_READ | VM_EXEC, 0, 0, 0) ||
	    uvm_write(as, SCRATCH_DATA_VA, &pattern, sizeof(pattern)) ||
	    uvm_write(as, SCRATCH_CODE_VA, &ret, sizeof(ret))) {
		aspace_destroy(as);
		return NULL;
	}
	aspace_activate(as);
	return as;
}

static void scratch_done(struct aspace *as)
{
	aspace_activate(NULL);
	aspace_destroy(as);
}

static int pan_checks(void)
{
	uint64_t value = 0, copy = 0;
	uint32_t prev;

	SELFTEST_CHECK(read_sysreg_s(SYSREG_PAN) & SPSR_PAN, "PSTATE.PAN is 0 in the kernel");
	SELFTEST_CHECK(copy_from_user(&copy, SCRATCH_DATA_VA, sizeof(copy)) == 0 &&
		       copy == SCRATCH_PATTERN, "copy_from_user failed under PAN");
	SELFTEST_CHECK(copy_to_user(SCRATCH_DATA_VA, &copy, sizeof(copy)) == 0,
		       "copy_to_user failed under PAN");
	SELFTEST_CHECK(cmpxchg_user_u32(SCRATCH_DATA_VA, (uint32_t)SCRATCH_PATTERN, 1, &prev) == 0 &&
		       prev == (uint32_t)SCRATCH_PATTERN, "cmpxchg_user_u32 failed under PAN");
	SELFTEST_CHECK(read_sysreg_s(SYSREG_PAN) & SPSR_PAN, "cmpxchg_user_u32 left PAN off");
	/* An ordinary kernel load and store: PAN faults, the probe's fix-up
	 * turns it into -EFAULT (and exception.c reports it). */
	SELFTEST_CHECK(probe_read_u64((void *)SCRATCH_DATA_VA, &value) == -EFAULT,
		       "kernel read a user page under PAN");
	SELFTEST_CHECK(probe_write_u64((void *)SCRATCH_DATA_VA, 0) == -EFAULT,
		       "kernel wrote a user page under PAN");
	return 0;
}

/* Where the CPU has PAN it fires; where it has not, the kernel knows and
 * its own accesses to user pages work as before. */
static int test_pan(void)
{
	bool has_pan = (read_sysreg(id_aa64mmfr1_el1) >> ID_AA64MMFR1_PAN_SHIFT) &
		((UL(1) << ID_AA64MMFR1_PAN_BITS) - 1);
	struct aspace *as;
	uint64_t value = 0;
	int r;

	SELFTEST_CHECK(has_pan == (uaccess_pan != 0), "the CPU %s PAN but the kernel %s",
		       has_pan ? "has" : "lacks", uaccess_pan ? "uses it" : "does not use it");
	as = scratch_space();
	SELFTEST_CHECK(as, "no scratch address space");
	if (has_pan)
		r = pan_checks();
	else
		r = probe_read_u64((void *)SCRATCH_DATA_VA, &value) == 0 && value == SCRATCH_PATTERN ?
			0 : selftest_fail("kernel read of a user page failed without PAN");
	scratch_done(as);
	return r;
}
SELFTEST(st_pan, "PAN where the CPU has it", test_pan);

/* Leaves below table (a level-`level` table at physical address pa):
 * each must have every bit of `must`; counts them in *leaves. Skips the
 * recursive slot, which leads back to the top. */
static int check_leaves(paddr_t pa, int level, uint64_t must, size_t *leaves, uint64_t *bad)
{
	const uint64_t *t = phys_to_virt(pa);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i];

		if (!(e & PTE_VALID) || (level == 0 && i == RECURSIVE_INDEX && must & PTE_UXN))
			continue;
		if (level < PT_LEVELS - 1 && (e & PTE_TABLE)) {
			if (check_leaves(e & PTE_ADDR_MASK, level + 1, must, leaves, bad))
				return -1;
			continue;
		}
		(*leaves)++;
		if ((e & must) != must) {
			*bad = e;
			return -1;
		}
	}
	return 0;
}

static int test_xn(void)
{
	struct aspace *as;
	size_t kernel_leaves = 0, user_leaves = 0;
	uint64_t bad = 0, desc;
	int r;

	/* The kernel half: every leaf is UXN (text keeps PXN clear, mm_selftest and
	 * perm_selftest check that data is PXN). */
	SELFTEST_CHECK(check_leaves(read_sysreg(ttbr1_el1) & PTE_ADDR_MASK, 0, PTE_UXN,
				    &kernel_leaves, &bad) == 0,
		       "kernel page entry %#lx is executable at EL0", bad);
	SELFTEST_CHECK(kernel_leaves > 0, "no kernel leaves found");
	SELFTEST_CHECK(vm_translate((uint64_t)__text_start, NULL, &desc) == 0 && !(desc & PTE_PXN),
		       "kernel text is PXN");
	as = scratch_space();
	SELFTEST_CHECK(as, "no scratch address space");
	r = check_leaves(as->root, 0, PTE_PXN, &user_leaves, &bad);
	scratch_done(as);
	SELFTEST_CHECK(r == 0, "user page entry %#lx is executable at EL1", bad);
	SELFTEST_CHECK(user_leaves == 2, "%zu user leaves, expected 2", user_leaves);
	return 0;
}
SELFTEST(st_xn, "PXN on user, UXN on kernel pages", test_xn);

static int test_pxn_jump(void)
{
	struct aspace *as = scratch_space();
	long r;

	SELFTEST_CHECK(as, "no scratch address space");
	/* Executable at EL0, so only PXN stops the kernel. */
	r = probe_exec((const void *)SCRATCH_CODE_VA);
	scratch_done(as);
	SELFTEST_CHECK(r == -EFAULT, "the kernel ran code from a user page (%ld)", r);
	return 0;
}
SELFTEST(st_pxn_jump, "kernel jump to user page faults", test_pxn_jump);
