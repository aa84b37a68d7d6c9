/*
 * arch/aarch64/sigframe.c: the Linux AArch64 signal frame (arch/arm64
 * rt_sigframe: siginfo, then a ucontext whose sigcontext holds the general
 * registers, and in its __reserved area an fpsimd_context record and a
 * terminating null record), with a frame record {x29, x30} above it so
 * backtraces continue through handlers. rt_sigreturn reads it back and
 * checks everything a forged frame could abuse: PSTATE must name EL0t,
 * AArch64, no masked exceptions, and only the NZCV flags are taken.
 */
#include "kernel/signal.h"
#include "arch/aarch64/sigpage.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "asm/trap.h"
#include "asm/sysreg.h"
#include "arch/aarch64/uaccess.h"
#include <stddef.h>
#include <string.h>

/* SPSR.M[4:0]: M[4] set would be AArch32; M[3:0] the exception level. */
#define SPSR_MODE_MASK 0x1fUL
/* SPSR.NZCV: the only state a user may choose. */
#define SPSR_NZCV_MASK 0xf0000000UL
#define FRAME_ALIGN 16
#define FRAME_RECORD_SIZE 16

/* The first part of struct abi_sigcontext: everything but __reserved. */
struct sc_regs {
	uint64_t fault_address;
	uint64_t regs[TF_GPRS];
	uint64_t sp, pc, pstate;
};

/* The first part of struct abi_ucontext, up to uc_unused. */
struct uc_head {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct abi_stack uc_stack;
	uint64_t uc_sigmask;
};

/*
 * The fpsimd_context record as user space sees it, laid out so that
 * fpsimd_save and fpsimd_load work on it in place: the saved state's v[] is
 * the record's vregs, and the state's own fpsr/fpcr words come after the
 * record (they are never copied out: once moved into the record's, the
 * fpsr word becomes the terminating null record, which follows the
 * fpsimd_context in the frame, so one copy writes both). Saves copying 512 bytes of vector
 * registers twice a signal.
 */
struct fp_record {
	struct abi_aarch64_ctx head;
	uint32_t fpsr, fpcr;
	struct fpsimd_state regs;
};
_Static_assert(offsetof(struct fp_record, fpsr) == offsetof(struct abi_fpsimd_context, fpsr), "fpsr");
_Static_assert(offsetof(struct fp_record, fpcr) == offsetof(struct abi_fpsimd_context, fpcr), "fpcr");
_Static_assert(offsetof(struct fp_record, regs.v) == offsetof(struct abi_fpsimd_context, vregs),
	       "vregs");
_Static_assert(offsetof(struct fp_record, regs.v) + sizeof(((struct fpsimd_state *)0)->v) ==
	       sizeof(struct abi_fpsimd_context), "the record ends where v[] does");
_Static_assert(offsetof(struct fp_record, regs.fpsr) == sizeof(struct abi_fpsimd_context) &&
	       sizeof(((struct fpsimd_state *)0)->fpsr) == sizeof(struct abi_aarch64_ctx),
	       "the state's fpsr word is where the null record goes");
#define FP_AND_END_SIZE (sizeof(struct abi_fpsimd_context) + sizeof(struct abi_aarch64_ctx))

/* Linux's layout, checked (arch/arm64/include/uapi/asm/sigcontext.h). */
_Static_assert(sizeof(struct abi_siginfo) == ABI_SIGINFO_SIZE, "siginfo");
_Static_assert(offsetof(struct abi_rt_sigframe, uc) == ABI_SIGINFO_SIZE, "uc");
_Static_assert(offsetof(struct abi_ucontext, uc_sigmask) == 40, "uc_sigmask");
_Static_assert(offsetof(struct abi_ucontext, uc_mcontext) == 176, "uc_mcontext");
_Static_assert(offsetof(struct abi_sigcontext, __reserved) == 288, "__reserved");
_Static_assert(sizeof(struct abi_fpsimd_context) == 528, "fpsimd_context");
_Static_assert(sizeof(struct abi_rt_sigframe) % FRAME_ALIGN == 0, "frame size");
_Static_assert(sizeof(struct sc_regs) == offsetof(struct abi_sigcontext, __reserved) - 8,
	       "sc_regs");
_Static_assert(sizeof(struct uc_head) == offsetof(struct abi_ucontext, uc_unused), "uc_head");

/* The trap frame holds x0-x30, sp, pc (elr) and pstate (spsr) in the
 * sigcontext's order: a frame's registers go out straight from it. */
_Static_assert(offsetof(struct trap_frame, sp) - offsetof(struct trap_frame, x) ==
	       offsetof(struct sc_regs, sp) - offsetof(struct sc_regs, regs), "tf sp");
_Static_assert(offsetof(struct trap_frame, elr) - offsetof(struct trap_frame, x) ==
	       offsetof(struct sc_regs, pc) - offsetof(struct sc_regs, regs), "tf elr");
_Static_assert(offsetof(struct trap_frame, spsr) - offsetof(struct trap_frame, x) ==
	       offsetof(struct sc_regs, pstate) - offsetof(struct sc_regs, regs), "tf spsr");
#define SC_REGS_SIZE (sizeof(struct sc_regs) - offsetof(struct sc_regs, regs))

#define UC_OFF offsetof(struct abi_rt_sigframe, uc)
#define SC_OFF (UC_OFF + offsetof(struct abi_ucontext, uc_mcontext))
#define FPSIMD_OFF (SC_OFF + offsetof(struct abi_sigcontext, __reserved))
#define END_OFF (FPSIMD_OFF + sizeof(struct abi_fpsimd_context))

/*
 * A frame's pieces are copied with the unchecked copies once the whole
 * frame's range was checked below USER_TOP (Linux's access_ok on the frame,
 * in get_sigframe and rt_sigreturn): one range check, not one per piece.
 * A bad pointer in it still faults to -EFAULT.
 */
static long put(uint64_t frame, size_t off, const void *src, size_t n)
{
	return __copy_to_user((void *)(frame + off), src, n);
}

static long get(void *dst, uint64_t frame, size_t off, size_t n)
{
	return __copy_from_user(dst, (const void *)(frame + off), n);
}

static uint64_t round_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

bool sigframe_on_altstack(uint64_t sp)
{
	const struct abi_stack *ss = &current_thread()->sig.altstack;

	return !(ss->ss_flags & ABI_SS_DISABLE) && ss->ss_size &&
	       sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

static struct abi_stack saved_altstack(uint64_t sp)
{
	struct abi_stack ss = current_thread()->sig.altstack;

	if (ss.ss_flags & ABI_SS_DISABLE || !ss.ss_size)
		ss.ss_flags = ABI_SS_DISABLE;
	else
		ss.ss_flags = sigframe_on_altstack(sp) ? ABI_SS_ONSTACK : 0;
	return ss;
}

int sigframe_setup(struct trap_frame *tf, int sig, const struct abi_sigaction *act,
		   const struct abi_siginfo *info, uint64_t old_mask)
{
	const struct abi_stack *ss = &current_thread()->sig.altstack;
	struct fp_record fpr;
	struct uc_head uc = { .uc_stack = saved_altstack(tf->sp), .uc_sigmask = old_mask };
	uint64_t fault_address = 0;
	uint64_t top = tf->sp, rec, frame, fr[2] = { tf->x[29], tf->x[30] };
	bool onstack = false;

	if ((act->flags & ABI_SA_ONSTACK) && uc.uc_stack.ss_flags == 0) {
		top = ss->ss_sp + ss->ss_size;
		onstack = true;
	}
	rec = round_down(top - FRAME_RECORD_SIZE, FRAME_ALIGN);
	frame = round_down(rec - sizeof(struct abi_rt_sigframe), FRAME_ALIGN);
	if (rec > top || frame > rec || (onstack && frame < ss->ss_sp) ||
	    !user_range_ok(frame, rec + FRAME_RECORD_SIZE - frame))
		return -EFAULT;
	if (sig == ABI_SIGSEGV || sig == ABI_SIGBUS || sig == ABI_SIGILL || sig == ABI_SIGTRAP ||
	    sig == ABI_SIGFPE)
		fault_address = info->fault.addr;
	fpsimd_save(&fpr.regs);
	fpr.head = (struct abi_aarch64_ctx){ ABI_FPSIMD_MAGIC, sizeof(struct abi_fpsimd_context) };
	fpr.fpsr = (uint32_t)fpr.regs.fpsr;
	fpr.fpcr = (uint32_t)fpr.regs.fpcr;
	/* The null record that ends __reserved (see struct fp_record). */
	fpr.regs.fpsr = 0;
	/* The siginfo only for a handler that takes it, as Linux's
	 * setup_rt_frame: 128 bytes fewer for a plain handler. */
	if (((act->flags & ABI_SA_SIGINFO) && put(frame, 0, info, sizeof(*info))) ||
	    put(frame, UC_OFF, &uc, sizeof(uc)) ||
	    put(frame, SC_OFF, &fault_address, sizeof(fault_address)) ||
	    put(frame, SC_OFF + offsetof(struct sc_regs, regs), tf->x, SC_REGS_SIZE) ||
	    put(frame, FPSIMD_OFF, &fpr, FP_AND_END_SIZE) ||
	    put(rec, 0, fr, sizeof(fr)))
		return -EFAULT;
	tf->x[0] = (uint64_t)sig;
	tf->x[1] = frame;
	tf->x[2] = frame + UC_OFF;
	tf->x[29] = rec;
	/* No restorer (glibc): the kernel's trampoline, as Linux's vDSO. */
	tf->x[30] = (act->flags & ABI_SA_RESTORER) ? act->restorer : USER_SIGPAGE;
	tf->sp = frame;
	tf->elr = act->handler;
	return 0;
}

/*
 * Reads back only what sigreturn uses: the mask and the FP/SIMD record
 * first, checked; then the registers and PSTATE straight into tf (no kernel
 * copy to move again, one copy less than reading PSTATE apart), as Linux's
 * restore_sigframe. PSTATE is checked where it landed, and tf keeps only
 * its NZCV flags whatever the answer (Linux's valid_native_regs), so that a
 * forged frame, refused, leaves no other mode behind for the SIGSEGV that
 * follows; tf then holds that frame's registers, as on Linux. Should the
 * register copy fault (another thread unmapped the frame meanwhile), tf
 * holds part of it, and the caller's SIGSEGV reports that frame.
 */
int sigframe_restore(struct trap_frame *tf, uint64_t *mask)
{
	uint64_t frame = tf->sp, sigmask, pstate;
	struct fp_record fpr;

	if (frame & (FRAME_ALIGN - 1))
		return -EINVAL;
	if (!user_range_ok(frame, sizeof(struct abi_rt_sigframe)) ||
	    get(&sigmask, frame, UC_OFF + offsetof(struct abi_ucontext, uc_sigmask), sizeof(sigmask)) ||
	    get(&fpr, frame, FPSIMD_OFF, sizeof(struct abi_fpsimd_context)))
		return -EFAULT;
	if (fpr.head.magic != ABI_FPSIMD_MAGIC || fpr.head.size != sizeof(struct abi_fpsimd_context))
		return -EINVAL;
	if (get(tf->x, frame, SC_OFF + offsetof(struct sc_regs, regs), SC_REGS_SIZE)) {
		tf->spsr &= SPSR_NZCV_MASK;
		return -EFAULT;
	}
	pstate = tf->spsr;
	tf->spsr &= SPSR_NZCV_MASK;
	/* EL0t in AArch64 with nothing masked, or the frame is forged. */
	if ((pstate & SPSR_MODE_MASK) != SPSR_MODE_EL0t || (pstate & SPSR_DAIF))
		return -EINVAL;
	fpr.regs.fpsr = fpr.fpsr;
	fpr.regs.fpcr = fpr.fpcr;
	fpsimd_load(&fpr.regs);
	*mask = sigmask & ~SIG_UNBLOCKABLE;
	return 0;
}
