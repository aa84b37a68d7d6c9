/*
 * arch/aarch64/include/asm/pan.h: Privileged Access Never (FEAT_PAN, Arm ARM
 * D8.4.2). Where the CPU has it, PSTATE.PAN is 1 in the kernel at all times
 * (mmu.S sets it on every CPU and clears SCTLR_EL1.SPAN so every exception
 * to EL1 sets it again), so an EL1 load or store to a page EL0 may access
 * faults. The copy helpers use LDTR/STTR, which PAN does not block (with
 * PSTATE.UAO 0, which mmu.S and every exception entry make it); only the
 * exclusive accesses of uaccess_cmpxchg.S, which have no unprivileged form,
 * clear PAN around themselves with these macros.
 */
#ifndef ASM_PAN_H
#define ASM_PAN_H

#include "asm/sysreg.h"

#ifdef __ASSEMBLER__
/* PSTATE.PAN = val (0 or 1) where the CPU has PAN (uaccess_pan, set by mmu.S). */
.macro pan_set tmp, val
	adrp	\tmp, uaccess_pan
	ldr	\tmp, [\tmp, :lo12:uaccess_pan]
	cbz	\tmp, .Lpan_set_\@
	.inst	MSR_PSTATE_PAN(\val)
.Lpan_set_\@:
.endm
#else
#include <stdint.h>
/* Nonzero when the CPUs have PAN and the kernel runs with it (mmu.S). */
extern uint64_t uaccess_pan;
#endif

#endif
