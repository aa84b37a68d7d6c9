/*
 * arch/aarch64/extable.h: kernel fault fix-ups. An instruction that may
 * fault on purpose (a probe now, user-memory copies later) is listed in
 * __ex_table with the address to resume at; the fault handler then returns
 * -EFAULT there instead of panicking. Probes are in probe.S.
 */
#ifndef ARCH_AARCH64_EXTABLE_H
#define ARCH_AARCH64_EXTABLE_H

#include "kernel/lib/types.h"

struct extable_entry {
	uint64_t insn;  /* address of the instruction that may fault */
	uint64_t fixup; /* where to resume, with x0 = -EFAULT */
};

/* The fix-up address for a faulting pc, or 0. */
uint64_t extable_lookup(uint64_t pc);

/* Read or write 8 bytes at addr: 0, or -EFAULT if the access faults. */
int probe_read_u64(const void *addr, uint64_t *out);
int probe_write_u64(void *addr, uint64_t value);
/* Branch to addr and come back: -EFAULT if it is not executable, else the
 * value the code there returns (see selftests). */
long probe_exec(const void *addr);

#endif
