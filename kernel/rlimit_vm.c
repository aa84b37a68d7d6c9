/*
 * kernel/rlimit_vm.c: the checks on growing an address space: RLIMIT_AS,
 * RLIMIT_DATA (Linux 6.1's may_expand_vm: every region counts for AS,
 * private writable non-stack ones for DATA) and the overcommit heuristic
 * of Linux's default mode (vm.overcommit_memory 0, __vm_enough_memory's
 * OVERCOMMIT_GUESS): one mapping that reserves memory may not be larger
 * than RAM plus swap (none here) - all the machine can ever provide.
 * Checked before the mapping is made: two threads of one process mapping
 * at once may each pass, exceeding a limit by one mapping each.
 */
#include "kernel/rlimit.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/uvm.h"
#include "mm/layout.h"
#include "mm/uvm_acct.h"
#include "mm/frame.h"

/* Whether len bytes more than used stays within resource's soft limit. */
static bool within(struct proc *p, int resource, uint64_t used, uint64_t len)
{
	uint64_t lim = rlimit_cur(p, resource);

	return lim == ABI_RLIM_INFINITY || (used <= lim && len <= lim - used);
}

int rlimit_vm_check(struct aspace *as, uint64_t skip_start, uint64_t skip_end, uint64_t len,
		    unsigned prot, unsigned vma_flags, bool account)
{
	struct proc *p = current_proc();
	struct uvm_vm_size sz;
	struct frame_stats st;

	if (account) {
		frame_get_stats(&st);
		if (len / PAGE_SIZE > st.total_pages)
			return -ENOMEM;
	}
	if (rlimit_cur(p, ABI_RLIMIT_AS) == ABI_RLIM_INFINITY &&
	    rlimit_cur(p, ABI_RLIMIT_DATA) == ABI_RLIM_INFINITY)
		return 0; /* the common case: no walk of the regions */
	uvm_vm_size(as, skip_start, skip_end, &sz);
	if (!within(p, ABI_RLIMIT_AS, sz.total, len))
		return -ENOMEM;
	if (uvm_is_data(prot, vma_flags) && !within(p, ABI_RLIMIT_DATA, sz.data, len))
		return -ENOMEM;
	return 0;
}

int rlimit_brk_check(struct aspace *as, uint64_t old_brk, uint64_t want)
{
	uint64_t old_end = ALIGN_UP(old_brk, PAGE_SIZE);

	/* Shrinking, and wants brk itself refuses (past USER_BRK_MAX), pass. */
	if (want <= old_end || want > USER_BRK_MAX)
		return 0;
	return rlimit_vm_check(as, 0, 0, ALIGN_UP(want, PAGE_SIZE) - old_end, VM_READ | VM_WRITE,
			       VMA_HEAP, true);
}

int rlimit_remap_check(struct aspace *as, uint64_t addr, uint64_t grow)
{
	unsigned prot, flags;

	if (!uvm_region_at(as, addr, &prot, &flags))
		return 0; /* uvm_remap refuses it */
	return rlimit_vm_check(as, 0, 0, grow, prot, flags, uvm_is_data(prot, flags));
}

int rlimit_protect_check(struct aspace *as, uint64_t start, uint64_t end, unsigned prot)
{
	struct proc *p = current_proc();
	struct uvm_vm_size sz;
	uint64_t gain;

	if (!(prot & VM_WRITE) || rlimit_cur(p, ABI_RLIMIT_DATA) == ABI_RLIM_INFINITY)
		return 0;
	gain = uvm_data_gain(as, start, end, prot);
	if (!gain)
		return 0;
	uvm_vm_size(as, 0, 0, &sz);
	return within(p, ABI_RLIMIT_DATA, sz.data, gain) ? 0 : -ENOMEM;
}
