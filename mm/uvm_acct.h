/*
 * mm/uvm_acct.h: how much an address space has mapped, as the limits on
 * it count (Linux's mm->total_vm and mm->data_vm): for RLIMIT_AS and
 * RLIMIT_DATA (kernel/rlimit_vm.c).
 */
#ifndef MM_UVM_ACCT_H
#define MM_UVM_ACCT_H

#include "kernel/lib/types.h"
#include "mm/vm.h"
#include "mm/vma.h"

struct aspace;

/* Bytes mapped: every region (total), and the data regions (data). */
struct uvm_vm_size {
	uint64_t total, data;
};

/* Linux's is_data_mapping: private, writable and not the stack. */
static inline bool uvm_is_data(unsigned prot, unsigned vma_flags)
{
	return (prot & VM_WRITE) && !(vma_flags & (VMA_SHARED | VMA_STACK | VMA_DEVICE));
}

/* What as maps outside [skip_start, skip_end) (a MAP_FIXED range about to
 * be replaced; an empty range skips nothing). Takes as's lock. */
void uvm_vm_size(struct aspace *as, uint64_t skip_start, uint64_t skip_end,
		 struct uvm_vm_size *out);
/* Bytes of [start, end) that are not data now and would be with prot
 * (mprotect making private memory writable). Takes as's lock. */
uint64_t uvm_data_gain(struct aspace *as, uint64_t start, uint64_t end, unsigned prot);
/* The protection and VMA_* flags of the region holding addr; false if
 * none. Takes as's lock. */
bool uvm_region_at(struct aspace *as, uint64_t addr, unsigned *prot, unsigned *flags);

#endif
