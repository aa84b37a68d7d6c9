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
#include "asm/fpsimd.h"
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

/* The ucontext's uc_stack goes out as three words: ss_sp, ss_flags with
 * its zero padding above it (little-endian), ss_size. */
_Static_assert(offsetof(struct abi_stack, ss_flags) == sizeof(uint64_t) &&
	       offsetof(struct abi_stack, ss_size) == 2 * sizeof(uint64_t) &&
	       sizeof(struct abi_stack) == 3 * sizeof(uint64_t), "uc_stack's words");
#define UC_STACK_OFF (UC_OFF + offsetof(struct abi_ucontext, uc_stack))

/*
 * The fpsimd_context record as user space sees it, for a thread whose
 * FP/SIMD state is in memory, not the registers (put_fp; else
 * uaccess_sigframe.S writes the registers out directly), laid out so that
 * fpsimd_save works on it in place: the saved state's v[] is
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

/* The record's first two words as uaccess_sigframe.S and sigreturn see them:
 * the head {magic, size}, and {fpsr, fpcr} (little-endian). */
_Static_assert(offsetof(struct abi_aarch64_ctx, magic) == 0 &&
	       offsetof(struct abi_aarch64_ctx, size) == sizeof(uint32_t), "head word");
_Static_assert(offsetof(struct abi_fpsimd_context, fpsr) == sizeof(uint64_t) &&
	       offsetof(struct abi_fpsimd_context, fpcr) == sizeof(uint64_t) + sizeof(uint32_t) &&
	       offsetof(struct abi_fpsimd_context, vregs) == 2 * sizeof(uint64_t),
	       "uaccess_sigframe.S's FPREC_FPSR, FPREC_VREGS");
#define WORD_HIGH_SHIFT 32
#define FP_HEAD_WORD \
	((uint64_t)ABI_FPSIMD_MAGIC | (uint64_t)sizeof(struct abi_fpsimd_context) << WORD_HIGH_SHIFT)

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
_Static_assert(offsetof(struct abi_ucontext, uc_stack) + sizeof(struct abi_stack) ==
	       offsetof(struct abi_ucontext, uc_sigmask) &&
	       offsetof(struct abi_ucontext, uc_sigmask) + sizeof(uint64_t) ==
	       offsetof(struct abi_ucontext, uc_unused), "uc head: flags, link, stack, mask");

/* The trap frame holds x0-x30, sp, pc (elr) and pstate (spsr) in the
 * sigcontext's order: a frame's registers go out straight from it. */
_Static_assert(offsetof(struct trap_frame, sp) - offsetof(struct trap_frame, x) ==
	       offsetof(struct sc_regs, sp) - offsetof(struct sc_regs, regs), "tf sp");
_Static_assert(offsetof(struct trap_frame, elr) - offsetof(struct trap_frame, x) ==
	       offsetof(struct sc_regs, pc) - offsetof(struct sc_regs, regs), "tf elr");
_Static_assert(offsetof(struct trap_frame, spsr) - offsetof(struct trap_frame, x) ==
	       offsetof(struct sc_regs, pstate) - offsetof(struct sc_regs, regs), "tf spsr");
#define SC_REGS_SIZE (sizeof(struct sc_regs) - offsetof(struct sc_regs, regs))
_Static_assert(SC_REGS_SIZE == TF_ESR - TF_X0 && offsetof(struct trap_frame, x) == TF_X0,
	       "uaccess_sigframe.S's SIGREGS_BYTES");


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


/* Single words in line (uaccess.h): *err becomes -EFAULT on a fault. */
static void put_word(uint64_t frame, size_t off, uint64_t v, long *err)
{
	__put_user_u64(v, frame + off, err);
}

/* fault.addr, the one union member the frame's sigcontext repeats, is
 * ksiginfo's first field word. */
_Static_assert(offsetof(struct abi_siginfo, fault.addr) == offsetof(struct ksiginfo, fields),
	       "fault.addr: fields[0]");
#define KSIGINFO_FAULT_ADDR 0

/* The whole siginfo at the frame's start from its kept part: the kept
 * words, then zeros to ABI_SIGINFO_SIZE, one pass of single words
 * (no kernel siginfo of 128 bytes to fill and copy). */
static void put_siginfo(uint64_t frame, const struct ksiginfo *k, long *err)
{
	size_t off = 0;

	for (; off < SIGINFO_KEPT_SIZE; off += sizeof(uint64_t))
		put_word(frame, off, ((const struct ksiginfo_words *)k)->w[off / sizeof(uint64_t)], err);
	for (; off < ABI_SIGINFO_SIZE; off += sizeof(uint64_t))
		put_word(frame, off, 0, err);
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

/* put_fp's case of a state saved in memory, out of line: its record on
 * the stack would cost the usual case a stack-protector check. */
static __attribute__((noinline)) long put_fp_saved(uint64_t urec)
{
	struct fp_record fpr;

	fpsimd_save(&fpr.regs);
	fpr.head = (struct abi_aarch64_ctx){ ABI_FPSIMD_MAGIC, sizeof(struct abi_fpsimd_context) };
	fpr.fpsr = (uint32_t)fpr.regs.fpsr;
	fpr.fpcr = (uint32_t)fpr.regs.fpcr;
	/* The null record that ends __reserved (see struct fp_record). */
	fpr.regs.fpsr = 0;
	return put(urec, 0, &fpr, FP_AND_END_SIZE);
}

/* The FP/SIMD record and the null record after it at urec: straight from
 * the registers when they hold the thread's state, else from its saved
 * copy in memory (lazy FP/SIMD, fpsimd.c). 0 or -EFAULT. */
static long put_fp(uint64_t urec)
{
	if (fpsimd_owned())
		return fpsimd_save_user(urec, FP_HEAD_WORD);
	return put_fp_saved(urec);
}

int sigframe_setup(struct trap_frame *tf, int sig, const struct abi_sigaction *act,
		   const struct ksiginfo *info, uint64_t old_mask)
{
	const struct abi_stack *ss = &current_thread()->sig.altstack;
	struct abi_stack stack = saved_altstack(tf->sp);
	uint64_t fault_address = 0;
	uint64_t top = tf->sp, rec, frame, uc;
	bool onstack = false;
	long err = 0;

	if ((act->flags & ABI_SA_ONSTACK) && stack.ss_flags == 0) {
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
		fault_address = info->fields[KSIGINFO_FAULT_ADDR];
	/* The ucontext's head (uc_flags and uc_link 0), the fault address
	 * and the frame record go a word at a time (no copy call each), at
	 * small offsets from one base each (uaccess.h's __put_user_u64_at). */
	uc = frame + UC_OFF;
	__put_user_u64_at(0, uc, offsetof(struct abi_ucontext, uc_flags), &err);
	__put_user_u64_at(0, uc, offsetof(struct abi_ucontext, uc_link), &err);
	__put_user_u64_at(stack.ss_sp, uc, UC_STACK_OFF - UC_OFF + offsetof(struct abi_stack, ss_sp),
			  &err);
	__put_user_u64_at((uint32_t)stack.ss_flags, uc,
			  UC_STACK_OFF - UC_OFF + offsetof(struct abi_stack, ss_flags), &err);
	__put_user_u64_at(stack.ss_size, uc,
			  UC_STACK_OFF - UC_OFF + offsetof(struct abi_stack, ss_size), &err);
	__put_user_u64_at(old_mask, uc, offsetof(struct abi_ucontext, uc_sigmask), &err);
	__put_user_u64_at(fault_address, uc, SC_OFF - UC_OFF, &err);
	__put_user_u64_at(tf->x[29], rec, 0, &err);
	__put_user_u64_at(tf->x[30], rec, sizeof(uint64_t), &err);
	/* The siginfo only for a handler that takes it, as Linux's
	 * setup_rt_frame: 128 bytes fewer for a plain handler. */
	if (act->flags & ABI_SA_SIGINFO)
		put_siginfo(frame, info, &err);
	if (err ||
	    sigregs_to_user(frame + SC_OFF + offsetof(struct sc_regs, regs), tf->x) ||
	    put_fp(frame + FPSIMD_OFF))
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
 * Reads back only what sigreturn uses: the mask and the FP/SIMD record's
 * head and FPSR/FPCR first, checked; then the registers and PSTATE
 * straight into tf, and last the vector registers straight into the FP/SIMD
 * registers (uaccess_sigframe.S; no kernel
 * copy to move again, one copy less than reading PSTATE apart), as Linux's
 * restore_sigframe. PSTATE is checked where it landed, and tf keeps only
 * its NZCV flags whatever the answer (Linux's valid_native_regs), so that a
 * forged frame, refused, leaves no other mode behind for the SIGSEGV that
 * follows; tf then holds that frame's registers, as on Linux. Should the
 * register copy fault (another thread unmapped the frame meanwhile), tf
 * (or the FP/SIMD registers) hold part of it, and the caller's SIGSEGV
 * reports that frame.
 */
struct sigframe_restored sigframe_restore(struct trap_frame *tf)
{
	uint64_t frame = tf->sp, fp, sigmask, pstate, head, fpsr_fpcr;
	long err = 0;

	if (frame & (FRAME_ALIGN - 1))
		return (struct sigframe_restored){ .err = -EINVAL };
	if (!user_range_ok(frame, sizeof(struct abi_rt_sigframe)))
		return (struct sigframe_restored){ .err = -EFAULT };
	__get_user_u64_at(sigmask, frame, UC_OFF + offsetof(struct abi_ucontext, uc_sigmask), &err);
	fp = frame + FPSIMD_OFF;
	__get_user_u64_at(head, fp, 0, &err);
	__get_user_u64_at(fpsr_fpcr, fp, offsetof(struct abi_fpsimd_context, fpsr), &err);
	if (err)
		return (struct sigframe_restored){ .err = -EFAULT };
	if (head != FP_HEAD_WORD)
		return (struct sigframe_restored){ .err = -EINVAL };
	if (sigregs_from_user(frame + SC_OFF + offsetof(struct sc_regs, regs), tf->x)) {
		tf->spsr &= SPSR_NZCV_MASK;
		return (struct sigframe_restored){ .err = -EFAULT };
	}
	pstate = tf->spsr;
	tf->spsr &= SPSR_NZCV_MASK;
	/* EL0t in AArch64 with nothing masked, or the frame is forged. */
	if ((pstate & SPSR_MODE_MASK) != SPSR_MODE_EL0t || (pstate & SPSR_DAIF))
		return (struct sigframe_restored){ .err = -EINVAL };
	/* The vector registers straight from the frame, last, once all
	 * else checked out: a forged frame leaves them as they were. */
	if (fpsimd_load_user(fp + offsetof(struct abi_fpsimd_context, vregs),
			     (uint32_t)fpsr_fpcr, fpsr_fpcr >> WORD_HIGH_SHIFT))
		return (struct sigframe_restored){ .err = -EFAULT };
	fpsimd_loaded();
	return (struct sigframe_restored){ .mask = sigmask & ~SIG_UNBLOCKABLE };
}
