/*
 * arch/aarch64/exception.c: the C side of the EL1 vector table. Decodes the
 * exception first (origin, class, fault status), then acts: interrupts go to
 * the interrupt layer, kernel faults at a fix-up site become -EFAULT, and
 * anything unexpected in the kernel panics with the full report.
 */
#include "asm/trap.h"
#include "asm/esr.h"
#include "asm/cpu.h"
#include "asm/fpsimd.h"
#include "kernel/percpu.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/ksyms.h"
#include "kernel/irq.h"
#include "kernel/lib/errno.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/signal_fast.h"
#include "kernel/thread_group.h"
#include "arch/aarch64/extable.h"
#include "arch/aarch64/uaccess.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "syscall/abi/abi.h"
#include "mm/uvm.h"
#include <stddef.h>

/* PAR_EL1.F (D19.2.101): the address translation instruction faulted. */
#define PAR_F BIT(0)
/* DFSC 0b100001: alignment fault (Arm ARM D19.2.37, ISS encoding for aborts). */
#define FSC_ALIGNMENT 0x21
/* Faults in a row at one user-access instruction and address that the page
 * fault handler may call resolved before the access fails instead. */
#define FIXUP_RETRY_MAX 4

/*
 * The last fix-up fault each CPU took (struct cpu's fixup), to bound
 * retries: the kernel is not preempted, so a retry that faults forever
 * would stop the CPU for good. The page-fault handler reports "resolved"
 * only when the entry allows the access, so a second fault in a row at the
 * same place means it was wrong or another CPU changed the mapping
 * meanwhile. Each record is touched only by its own CPU, with interrupts
 * masked (exception entry, el0_sync). With SMP a thread resuming a system
 * call on another CPU may meet its own older record there: the bound then
 * comes sooner, never later.
 */

_Static_assert(offsetof(struct trap_frame, x[0]) == TF_X0, "TF_X0");
_Static_assert(offsetof(struct trap_frame, x[29]) == TF_X29, "TF_X29");
_Static_assert(offsetof(struct trap_frame, x[30]) == TF_X30, "TF_X30");
_Static_assert(offsetof(struct trap_frame, sp) == TF_SP, "TF_SP");
_Static_assert(offsetof(struct trap_frame, elr) == TF_ELR, "TF_ELR");
_Static_assert(offsetof(struct trap_frame, spsr) == TF_SPSR, "TF_SPSR");
_Static_assert(offsetof(struct trap_frame, esr) == TF_ESR, "TF_ESR");
_Static_assert(offsetof(struct trap_frame, far) == TF_FAR, "TF_FAR");
_Static_assert(offsetof(struct trap_frame, frame_record) == TF_FRAME_RECORD, "TF_FRAME_RECORD");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE");
_Static_assert(TF_SIZE % 16 == 0, "the stack stays 16-byte aligned");

static const char *const ec_names[] = {
	[EC_UNKNOWN] = "unknown reason (undefined instruction)",
	[EC_WFX] = "WFI/WFE trapped",
	[EC_FP_ASIMD] = "FP/SIMD access trapped",
	[EC_ILLEGAL_STATE] = "illegal execution state",
	[EC_SVC64] = "SVC (AArch64)",
	[EC_HVC64] = "HVC (AArch64)",
	[EC_SMC64] = "SMC (AArch64)",
	[EC_SYSREG] = "system register access trapped",
	[EC_IABT_LOWER] = "instruction abort from a lower EL",
	[EC_IABT_CUR] = "instruction abort from the same EL",
	[EC_PC_ALIGN] = "PC alignment fault",
	[EC_DABT_LOWER] = "data abort from a lower EL",
	[EC_DABT_CUR] = "data abort from the same EL",
	[EC_SP_ALIGN] = "SP alignment fault",
	[EC_SERROR] = "SError interrupt",
	[EC_BREAKPT_LOWER] = "breakpoint from a lower EL",
	[EC_BREAKPT_CUR] = "breakpoint from the same EL",
	[EC_SOFTSTP_LOWER] = "software step from a lower EL",
	[EC_SOFTSTP_CUR] = "software step from the same EL",
	[EC_WATCHPT_LOWER] = "watchpoint from a lower EL",
	[EC_WATCHPT_CUR] = "watchpoint from the same EL",
	[EC_BRK64] = "BRK instruction (AArch64)",
};

static const char *const vector_names[VEC_COUNT] = {
	"EL1t sync", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
	"EL1h sync", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
	"EL0 (AArch64) sync", "EL0 (AArch64) IRQ", "EL0 (AArch64) FIQ", "EL0 (AArch64) SError",
	"EL0 (AArch32) sync", "EL0 (AArch32) IRQ", "EL0 (AArch32) FIQ", "EL0 (AArch32) SError",
};

const char *esr_class_name(unsigned ec)
{
	if (ec < ARRAY_SIZE(ec_names) && ec_names[ec])
		return ec_names[ec];
	return "unhandled exception class";
}

static const char *fault_kind(uint64_t esr)
{
	switch ((esr & ESR_ISS_DFSC_MASK) & FSC_TYPE_MASK) {
	case FSC_TRANSLATION:
		return "translation fault";
	case FSC_ACCESS_FLAG:
		return "access flag fault";
	case FSC_PERMISSION:
		return "permission fault";
	default:
		return "other fault";
	}
}

void trap_dump(const struct trap_frame *tf)
{
	unsigned ec = esr_class(tf->esr);

	printk("  ESR 0x%016lx  class %#04x: %s\n", tf->esr, ec, esr_class_name(ec));
	if (ec == EC_DABT_CUR || ec == EC_DABT_LOWER || ec == EC_IABT_CUR || ec == EC_IABT_LOWER)
		printk("  FAR 0x%016lx  %s at level %lu%s\n", tf->far, fault_kind(tf->esr),
		       tf->esr & FSC_LEVEL_MASK,
		       (ec == EC_DABT_CUR || ec == EC_DABT_LOWER) ?
		       ((tf->esr & ESR_ISS_WNR) ? ", on a write" : ", on a read") : "");
	printk("  ELR 0x%016lx  SPSR 0x%08lx  SP 0x%016lx\n", tf->elr, tf->spsr, tf->sp);
	/* Two registers a line, then x30 (the link register) alone. */
	for (int i = 0; i + 1 < TF_GPRS - 1; i += 2)
		printk("  x%-2d 0x%016lx  x%-2d 0x%016lx\n", i, tf->x[i], i + 1, tf->x[i + 1]);
	printk("  x30 0x%016lx\n", tf->x[TF_GPRS - 1]);
}

/* Whether this fault at (as, elr, far) may still be retried. */
static bool fixup_may_retry(struct cpu *cpu, const struct aspace *as, uint64_t elr, uint64_t far)
{
	struct fixup_record *r = &cpu->fixup;

	if (r->as != as || r->elr != elr || r->far != far)
		*r = (struct fixup_record){ .as = as, .elr = elr, .far = far };
	if (++r->faults <= FIXUP_RETRY_MAX)
		return true;
	printk("uaccess: fault at %#lx, pc %#lx, still there after %d retries: -EFAULT\n",
	       far, elr, FIXUP_RETRY_MAX);
	return false;
}

/*
 * Whether a kernel data abort is PAN (asm/pan.h) refusing an access EL0
 * could make: a permission fault on a user address taken with PSTATE.PAN
 * set, where EL0's own translation (AT S1E0R/W, which PAN does not affect)
 * allows the access. The copy helpers' LDTR/STTR are checked as EL0
 * accesses, so they never fault this way.
 */
static bool pan_fault(const struct trap_frame *tf, unsigned ec)
{
	if (ec != EC_DABT_CUR || !(tf->spsr & SPSR_PAN) || tf->far >= USER_TOP ||
	    ((tf->esr & ESR_ISS_DFSC_MASK) & FSC_TYPE_MASK) != FSC_PERMISSION)
		return false;
	if (tf->esr & ESR_ISS_WNR)
		__asm__ volatile("at s1e0w, %0" : : "r"(tf->far) : "memory");
	else
		__asm__ volatile("at s1e0r, %0" : : "r"(tf->far) : "memory");
	isb();
	return !(read_sysreg(par_el1) & PAR_F);
}

/* The report of a PAN fault: which kernel function touched which user address. */
static void pan_report(const struct trap_frame *tf)
{
	uint64_t off = 0;
	const char *fn = ksym_lookup(tf->elr, &off);

	printk("PAN: kernel %s of user address %#lx in %s+0x%lx (pc %#lx), outside the copy helpers\n",
	       (tf->esr & ESR_ISS_WNR) ? "write" : "read", tf->far, fn ? fn : "?", off, tf->elr);
}

/*
 * A kernel data abort at an instruction with a fix-up (user memory access)
 * first gets the page-fault handler's chance (demand paging, copy-on-write)
 * and is retried, a bounded number of times; failing that, it resumes at
 * the fix-up with -EFAULT.
 */
static bool fixup_kernel_fault(struct trap_frame *tf, unsigned ec)
{
	struct cpu *cpu = this_cpu();
	uint64_t fixup;

	if (ec == EC_DABT_CUR && (fixup = extable_lookup(tf->elr))) {
		struct proc *p = cpu->current ? cpu->current->proc : NULL;
		bool pan = pan_fault(tf, ec);

		if (pan) /* no page-fault handling can make PAN allow it */
			pan_report(tf);
		if (!pan && p && p->as && tf->far < USER_TOP &&
		    uvm_fault(p->as, tf->far, tf->esr & ESR_ISS_WNR, false) == 0 &&
		    fixup_may_retry(cpu, p->as, tf->elr, tf->far))
			return true;
		tf->elr = fixup;
		tf->x[0] = (uint64_t)-EFAULT;
		return true;
	}
	/* An armed execute probe: return to its caller with -EFAULT. */
	if (ec == EC_IABT_CUR && cpu->exec_probe_addr && tf->elr == cpu->exec_probe_addr) {
		if (tf->far < USER_TOP) /* PXN: never from the kernel */
			printk("PXN: kernel jump to user address %#lx: %s, %s\n", tf->far,
			       esr_class_name(ec), fault_kind(tf->esr));
		cpu->exec_probe_addr = 0;
		tf->elr = tf->x[30];
		tf->x[0] = (uint64_t)-EFAULT;
		return true;
	}
	return false;
}

/* Called on this CPU's overflow stack when a kernel stack ran into its
 * guard (vectors.S); the frame's x1 holds the vector kind. */
void exception_stack_overflow(struct trap_frame *tf);
void exception_stack_overflow(struct trap_frame *tf)
{
	unsigned kind = (unsigned)tf->x[1];

	panic_trap(tf, kind < VEC_COUNT ? "kernel stack overflow" : "kernel stack overflow (?)");
}

/* The signal Linux would report for an exception a user program took,
 * with its si_code and si_addr; 0 if the page-fault handler resolved it. */
static int user_fault_signal(const struct trap_frame *tf, unsigned ec, int *code, uint64_t *addr)
{
	*addr = tf->far;
	switch (ec) {
	case EC_DABT_LOWER:
	case EC_IABT_LOWER:
		*code = ABI_BUS_ADRALN;
		if ((tf->esr & ESR_ISS_DFSC_MASK) == FSC_ALIGNMENT)
			return ABI_SIGBUS;
		if (uvm_fault(current_proc()->as, tf->far, ec == EC_DABT_LOWER && (tf->esr & ESR_ISS_WNR),
			      ec == EC_IABT_LOWER) == 0)
			return 0;
		/* No mapping at all, or one that does not allow the access. */
		*code = ((tf->esr & ESR_ISS_DFSC_MASK) & FSC_TYPE_MASK) == FSC_TRANSLATION ?
			ABI_SEGV_MAPERR : ABI_SEGV_ACCERR;
		return ABI_SIGSEGV;
	case EC_PC_ALIGN:
	case EC_SP_ALIGN:
		*code = ABI_BUS_ADRALN;
		return ABI_SIGBUS;
	case EC_BRK64:
	case EC_BREAKPT_LOWER:
	case EC_SOFTSTP_LOWER:
	case EC_WATCHPT_LOWER:
		*code = ABI_TRAP_BRKPT;
		*addr = tf->elr;
		return ABI_SIGTRAP;
	default:
		*code = ABI_ILL_ILLOPC;
		*addr = tf->elr;
		return ABI_SIGILL;
	}
}

/* A synchronous exception from user space other than a system call. */
static __attribute__((noinline)) void el0_fault(struct trap_frame *tf, unsigned ec)
{
	uint64_t addr;
	int sig, code;

	sig = user_fault_signal(tf, ec, &code, &addr);
	if (sig) {
		struct proc *p = current_proc();

		/* Logged when it will kill (no handler): a crash is worth a line. */
		if (signal_is_default(p, sig))
			printk("pid %d (%s): %s at pc %#lx, address %#lx: signal %d\n", p->pid, p->name,
			       esr_class_name(ec), tf->elr, tf->far, sig);
		signal_force_fault(sig, code, addr);
	}
}

/* What every synchronous exception from EL0 does first; the current
 * thread, looked up once: it stays the same across a system call even if
 * the CPU does not. */
static inline struct thread *el0_sync_begin(void)
{
	struct cpu *c = this_cpu();

	/* A new entry from user space: earlier fix-up faults were not in a row. */
	c->fixup.faults = 0;
	return c->current;
}

/* The work of a synchronous exception from EL0 on the whole frame (ec: its
 * class): a system call syscall_fast_fn left to the slow dispatch, a
 * fault, the first FP/SIMD use. */
static inline void el0_sync(struct trap_frame *tf, unsigned ec)
{
	struct thread *t = el0_sync_begin();

	if (ec == EC_FP_ASIMD) {
		/* Interrupts still masked: no switch between load and owner. */
		fpsimd_first_use();
		return;
	}
	irq_enable();
	if (ec == EC_SVC64) {
		signal_syscall_enter(t, tf);
		tf->x[0] = (uint64_t)syscall_dispatch(NULL, tf);
		return;
	}
	el0_fault(tf, ec);
}

/* Work before any return to EL0: pending signals (handlers' frames,
 * default actions), then a due reschedule. */
static __attribute__((noinline)) void return_to_user_work(struct trap_frame *tf)
{
	struct thread *t = current_thread();

	for (;;) {
		irq_disable();
		if (signal_return_quiet(t, tf) && !this_cpu()->need_resched)
			return;
		if (thread_dying(t)) {
			/* exit_group, a fatal signal or execve in another thread:
			 * the group's status is already set. */
			irq_enable();
			thread_exit(0);
		}
		if (signal_pending_for(t)) {
			irq_enable();
			signal_deliver(tf);
			continue;
		}
		if (signal_return_done(tf))
			continue; /* the mask changed: look again */
		if (!this_cpu()->need_resched)
			return;
		schedule();
	}
}

/* Whether the return to EL0 has nothing to do: no signal work and no
 * reschedule due. Masks interrupts (for the return, and the checks). */
static inline bool return_to_user_quiet(struct trap_frame *tf)
{
	irq_disable();
	return signal_return_quiet(current_thread(), tf) && !this_cpu()->need_resched;
}

/* Most returns have no signal work and no reschedule due: decided inline,
 * the rest in return_to_user_work. */
static inline void return_to_user(struct trap_frame *tf)
{
	if (!return_to_user_quiet(tf))
		return_to_user_work(tf);
}

/*
 * A synchronous exception from EL0, on a partial frame: x19-x28 and FAR are
 * not in it, but still in the registers (vectors.S, el0_sync). What cannot
 * run so is left to el0_sync_slow: faults (their report reads FAR), the
 * system calls that read or rewrite the whole frame (those
 * syscall_fast_fn does not give) and the return's signal and reschedule work.
 */
enum el0_sync_left {
	EL0_DONE,        /* nothing: vectors.S restores the partial frame */
	EL0_RETURN_WORK, /* the return's work: 1, so a need_resched is the answer */
	EL0_ENTRY,       /* all of it */
};

/* el0_sync_fast for anything but a system call: the first FP/SIMD use
 * here, the rest left (out of line: the system call's path stays short). */
static __attribute__((noinline)) unsigned el0_sync_fast_other(struct trap_frame *tf, unsigned ec)
{
	if (ec != EC_FP_ASIMD)
		return EL0_ENTRY;
	el0_sync(tf, ec);
	return return_to_user_quiet(tf) ? EL0_DONE : EL0_RETURN_WORK;
}

unsigned el0_sync_fast(struct trap_frame *tf, uint64_t esr);
unsigned el0_sync_fast(struct trap_frame *tf, uint64_t esr) /* esr: tf->esr, in a register */
{
	unsigned ec = esr_class(esr);
	struct thread *t;
	syscall_fn fn;
	bool eintr;

	if (ec != EC_SVC64)
		return el0_sync_fast_other(tf, ec);
	fn = syscall_fast_fn(tf->x[SYSCALL_NR_REG]);
	if (!fn)
		return EL0_ENTRY;
	t = el0_sync_begin();
	irq_enable();
	eintr = signal_syscall_done(t, tf, syscall_dispatch(fn, tf));
	irq_disable();
	if (eintr || !signal_syscall_return_quiet(t))
		return EL0_RETURN_WORK;
	_Static_assert(EL0_DONE == false && EL0_RETURN_WORK == true, "need_resched is the answer");
	return this_cpu()->need_resched;
}

/* The rest of el0_sync_fast's work (left), on the completed frame. */
void el0_sync_slow(struct trap_frame *tf, unsigned left);
void el0_sync_slow(struct trap_frame *tf, unsigned left)
{
	if (left == EL0_ENTRY) {
		/* A system call here is one syscall_fast_fn left to the slow
		 * dispatch (NULL): whole-frame, unknown, or profiled. */
		el0_sync(tf, esr_class(tf->esr));
		return_to_user(tf);
	} else {
		return_to_user_work(tf);
	}
}

/* Every entry but a synchronous one from EL0 (el0_sync_fast). */
void exception_dispatch(struct trap_frame *tf, unsigned kind)
{
	unsigned ec = esr_class(tf->esr);

	switch (kind) {
	case VEC_CUR_SPX_IRQ:
		irq_dispatch(tf);
		return;
	case VEC_LOW64_IRQ:
		irq_dispatch(tf);
		return_to_user(tf);
		return;
	case VEC_LOW64_FIQ:
	case VEC_LOW64_SERROR:
	case VEC_LOW32_SYNC:
	case VEC_LOW32_IRQ:
	case VEC_LOW32_FIQ:
	case VEC_LOW32_SERROR:
		/* AArch32 at EL0 (never entered) or a stray FIQ/SError from a
		 * program: the program dies, the kernel runs on. */
		printk("pid %d: unexpected %s\n", current_proc()->pid, vector_names[kind]);
		proc_exit(WAIT_SIGNALED(ABI_SIGILL));
	case VEC_CUR_SPX_SYNC:
		if (fixup_kernel_fault(tf, ec))
			return;
		if (pan_fault(tf, ec)) {
			pan_report(tf);
			panic_trap(tf, "PAN: kernel access to user memory");
		}
		break;
	default:
		break;
	}
	panic_trap(tf, vector_names[kind]);
}
