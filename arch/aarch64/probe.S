/*
 * arch/aarch64/probe.S: memory accesses that may fault, each listed in
 * __ex_table so the fault returns -EFAULT (see extable.h).
 */

#include "asm/extable.h"

	.text
/* int probe_read_u64(const void *addr, uint64_t *out) */
	.global probe_read_u64
probe_read_u64:
1:	ldr	x2, [x0]
	str	x2, [x1]
	mov	x0, #0
	ret
	extable 1b, probe_fault

/* int probe_write_u64(void *addr, uint64_t value) */
	.global probe_write_u64
probe_write_u64:
1:	str	x1, [x0]
	mov	x0, #0
	ret
	extable 1b, probe_fault

/* The fault handler has set x0 = -EFAULT. */
probe_fault:
	ret
