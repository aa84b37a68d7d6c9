/*
 * arch/aarch64/fpsimd.c: lazy FP/SIMD state (asm/fpsimd.h). The state of a
 * thread is in its struct thread's fp unless it is this CPU's fp_owner
 * (kernel/percpu.h), then in the registers. Only the running thread can be
 * the owner and the switch saves and clears it, so a thread that moves to
 * another CPU always finds its state in memory (nothing is left behind in
 * another CPU's registers). The kernel is not preempted in EL1 (interrupts
 * there never switch), so the owner cannot change under the checks below
 * while the thread runs kernel code. CPACR_EL1 traps EL0's use exactly
 * when there is no owner (from fpsimd_cpu_init on), so a switch with none
 * has nothing to do.
 */
#include "asm/fpsimd.h"
#include "asm/cpu.h"
#include "kernel/percpu.h"
#include "sched/sched.h"

void fpsimd_cpu_init(void)
{
	this_cpu()->fp_owner = NULL;
	write_sysreg(cpacr_el1, CPACR_EL1_FPEN_TRAP_EL0);
	isb();
}

void fpsimd_switch_out_owned(struct thread *prev)
{
	struct cpu *c = this_cpu();

	if (c->fp_owner == prev)
		fpsimd_save_regs(&prev->fp);
	c->fp_owner = NULL;
	/* The ERET to EL0 is the context synchronization that makes it
	 * take effect. */
	write_sysreg(cpacr_el1, CPACR_EL1_FPEN_TRAP_EL0);
}

/* The running thread's state becomes the registers' (owner: it). */
static void take_ownership(struct cpu *c, struct thread *t)
{
	c->fp_owner = t;
	write_sysreg(cpacr_el1, CPACR_EL1_FPEN_NOTRAP);
}

void fpsimd_first_use(void)
{
	struct cpu *c = this_cpu();
	struct thread *t = current_thread();

	if (c->fp_owner != t)
		fpsimd_load_regs(&t->fp);
	take_ownership(c, t);
}

/* The running thread's state into st (a new thread's, a signal frame's). */
void fpsimd_save(struct fpsimd_state *st)
{
	struct thread *t = current_thread();

	if (this_cpu()->fp_owner == t)
		fpsimd_save_regs(st);
	else
		*st = t->fp;
}

bool fpsimd_owned(void)
{
	return this_cpu()->fp_owner == current_thread();
}

void fpsimd_loaded(void)
{
	take_ownership(this_cpu(), current_thread());
}

/* The running thread's state from st (execve's clean state, sigreturn):
 * into the registers, as the thread is about to use it. */
void fpsimd_load(const struct fpsimd_state *st)
{
	struct cpu *c = this_cpu();

	fpsimd_load_regs(st);
	take_ownership(c, current_thread());
}
