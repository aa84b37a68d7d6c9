/*
 * asm/fpsimd.h: lazy FP/SIMD state (arch/aarch64/fpsimd.c). A thread's
 * registers are loaded on its first FP/SIMD instruction after a switch (a
 * CPACR_EL1 trap) and saved at the switch only if they were loaded, so
 * threads that do not touch FP/SIMD between switches move none of it.
 */
#ifndef ASM_FPSIMD_H
#define ASM_FPSIMD_H

#include "asm/sysreg.h"
#include "kernel/lib/types.h"

struct thread;
struct fpsimd_state;

/* CPACR_EL1.FPEN (Arm ARM D19.2.30) = 0b01: EL0's FP/SIMD instructions
 * trap (ESR_EL1.EC 0x07), EL1's (fpsimd_save_regs/load_regs) do not. */
#define CPACR_EL1_FPEN_TRAP_EL0 (UL(1) << CPACR_EL1_FPEN_SHIFT)

/* switch.S: the live registers to or from st. */
void fpsimd_save_regs(struct fpsimd_state *st);
void fpsimd_load_regs(const struct fpsimd_state *st);

/* Whether the running thread's state is in this CPU's registers (its
 * fp_owner), which fpsimd_save_user can then write out. */
bool fpsimd_owned(void);
/* The registers now hold the running thread's state, loaded by
 * fpsimd_load_user: it owns them (as after fpsimd_load). */
void fpsimd_loaded(void);

/* uaccess_sigframe.S: the live registers to and from a signal frame's
 * fpsimd_context record in user memory (sigframe.c). 0 or -EFAULT. */
long fpsimd_save_user(uint64_t urec, uint64_t head);
long fpsimd_load_user(uint64_t uvregs, uint64_t fpsr, uint64_t fpcr);

/* This CPU's start, before any thread runs at EL0 on it: no owner, EL0's
 * use trapped (boot leaves FPEN open, el.S). */
void fpsimd_cpu_init(void);
/* The switch away from prev when this CPU has an owner (fp_owner, interrupts
 * masked): its registers to memory if they are prev's, and EL0's use trapped
 * again for the next thread. With no owner there is nothing to do. */
void fpsimd_switch_out_owned(struct thread *prev);
/* EL0's first FP/SIMD instruction since the switch (interrupts masked):
 * the running thread's state into the registers. */
void fpsimd_first_use(void);

#endif
