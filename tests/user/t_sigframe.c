/*
 * t_sigframe: the signal frame. FP/SIMD registers (v0, v16, v31) survive a
 * handler that changes them; a SIGSEGV handler sees si_addr and the code
 * (SEGV_MAPERR for an unmapped address, SEGV_ACCERR for a write to code)
 * and siglongjmps out, twice (the mask comes back); a fault inside the
 * SIGSEGV handler kills with SIGSEGV; SA_ONSTACK runs the handler on the
 * sigaltstack (SS_ONSTACK seen there, EPERM for a change while on it),
 * sigaltstack's errors (ENOMEM for a small stack, EINVAL for bad flags); a
 * handler that rewrites its frame's PSTATE to EL1h, or masks interrupts
 * in it, does not escalate: the process gets SIGSEGV at rt_sigreturn; a
 * handler may change the saved pc (the frame is read back). The frame
 * checks need AArch64 (ucontext layout, registers); elsewhere they are
 * skipped. Risky parts run in children. Linux's rt_sigreturn refuses the
 * forged PSTATEs (valid_user_regs, then SIGSEGV); qemu-aarch64's user mode
 * does not model that check, so run this on a real Linux kernel.
 * Prints "PASS: t_sigframe" or "FAIL: t_sigframe: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_sigframe: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

#define UNMAPPED_ADDR 0x10UL
#define ALTSTACK_SIZE (64 * 1024)
#define SMALL_STACK 1024
#define BAD_SS_FLAGS 0x100
#define FP_REGS 3
#define QREG_BYTES 16
/* SPSR_EL1 fields (Arm ARM C5.2.18): M[3:0] = EL1h, and the I (IRQ mask) bit. */
#define PSTATE_MODE_EL1H 0x5UL
#define PSTATE_I_BIT 0x80UL
#define A64_INSN 4

static volatile sig_atomic_t hits;
/* Through a volatile pointer: the compiler must not see the constant. */
static volatile int *volatile bad_ptr = (volatile int *)UNMAPPED_ADDR;
static volatile uintptr_t seen_addr;
static volatile int seen_code;
static sigjmp_buf env;
static char *altstack;
static volatile int on_alt, alt_flags, alt_change_errno;

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

/* Runs fn in a child; returns its wait status. */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn();
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return status;
}

static void expect_exit0(int status, const char *what)
{
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: status %#x", what, status);
}

static void expect_signal(int status, int sig, const char *what)
{
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig, "%s: status %#x, want signal %d",
	      what, status, sig);
}

#ifdef __aarch64__
static void fp_clobber(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	hits++;
	__asm__ volatile("movi v0.16b, #0xee\n\tmovi v16.16b, #0xee\n\tmovi v31.16b, #0xee"
			 ::: "v0", "v16", "v31");
}

/* Sets v0, v16, v31, sends itself SIGUSR1 in the same asm block (no code
 * of the compiler's in between), then reads them back. */
static void test_fp(void)
{
	unsigned char q[FP_REGS][QREG_BYTES];
	static const unsigned char want[FP_REGS] = { 0x11, 0x22, 0x33 };
	long pid = getpid();

	set_handler(SIGUSR1, fp_clobber, 0);
	hits = 0;
	/* No calls from here to the asm: they would clobber these registers. */
	register long x0 __asm__("x0") = pid;
	register long x1 __asm__("x1") = SIGUSR1;
	register long x8 __asm__("x8") = SYS_kill;
	__asm__ volatile("movi v0.16b, #0x11\n\tmovi v16.16b, #0x22\n\tmovi v31.16b, #0x33\n\t"
			 "svc #0\n\t"
			 "str q0, [%[b]]\n\tstr q16, [%[b], #16]\n\tstr q31, [%[b], #32]"
			 : "+r"(x0) : "r"(x1), "r"(x8), [b] "r"(q) : "v0", "v16", "v31", "memory");
	CHECK(x0 == 0 && hits == 1, "kill in asm: %ld, handler ran %d", x0, (int)hits);
	for (int r = 0; r < FP_REGS; r++)
		for (int i = 0; i < QREG_BYTES; i++)
			CHECK(q[r][i] == want[r], "FP register %d byte %d is %#x after the handler",
			      r, i, q[r][i]);
	printf("t_sigframe: FP/SIMD registers survive a handler ok\n");
}

static void forge_el1(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	((ucontext_t *)uc)->uc_mcontext.pstate |= PSTATE_MODE_EL1H;
}

static void forge_daif(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	((ucontext_t *)uc)->uc_mcontext.pstate |= PSTATE_I_BIT;
}

static void child_forged_el1(void)
{
	set_handler(SIGUSR1, forge_el1, 0);
	raise(SIGUSR1);
	_exit(2); /* reached only if the forged PSTATE was accepted */
}

static void child_forged_daif(void)
{
	set_handler(SIGUSR1, forge_daif, 0);
	raise(SIGUSR1);
	_exit(2);
}

/* Skips the brk #0 that raised SIGTRAP: the saved pc is read back. */
static void skip_insn(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si;
	hits++;
	((ucontext_t *)uc)->uc_mcontext.pc += A64_INSN;
}

static void test_frame(void)
{
	test_fp();
	expect_signal(in_child(child_forged_el1), SIGSEGV, "a frame forged to EL1h");
	expect_signal(in_child(child_forged_daif), SIGSEGV, "a frame forged with IRQs masked");
	set_handler(SIGTRAP, skip_insn, 0);
	hits = 0;
	__asm__ volatile("brk #0");
	CHECK(hits == 1, "SIGTRAP handler ran %d times", (int)hits);
	signal(SIGTRAP, SIG_DFL);
	printf("t_sigframe: forged PSTATE gives SIGSEGV, a changed pc is taken ok\n");
}
#else
static void test_frame(void)
{
	printf("t_sigframe: not AArch64: frame layout checks skipped\n");
}
#endif

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	seen_addr = (uintptr_t)si->si_addr;
	seen_code = si->si_code;
	siglongjmp(env, 1);
}

static void child_segv_longjmp(void)
{
	set_handler(SIGSEGV, on_segv, 0);
	for (int round = 0; round < 2; round++) {
		if (sigsetjmp(env, 1) == 0) {
			*bad_ptr = 1;
			_exit(10);
		}
		if (seen_addr != UNMAPPED_ADDR || seen_code != SEGV_MAPERR) {
			printf("t_sigframe: round %d: si_addr %#lx code %d\n", round,
			       (unsigned long)seen_addr, seen_code);
			_exit(11);
		}
	}
	if (sigsetjmp(env, 1) == 0) {
		*(volatile char *)(uintptr_t)&child_segv_longjmp = 0; /* code is read-only */
		_exit(12);
	}
	if (seen_addr != (uintptr_t)&child_segv_longjmp || seen_code != SEGV_ACCERR)
		_exit(13);
}

static void fault_again(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	*bad_ptr = 2; /* SIGSEGV is blocked here: fatal */
}

static void child_fault_in_handler(void)
{
	set_handler(SIGSEGV, fault_again, 0);
	*bad_ptr = 1;
	_exit(3);
}

static void on_alt_handler(int sig, siginfo_t *si, void *uc)
{
	char here;
	stack_t ss, cur;

	(void)sig, (void)si, (void)uc;
	on_alt = &here >= altstack && &here < altstack + ALTSTACK_SIZE;
	sigaltstack(NULL, &cur);
	alt_flags = cur.ss_flags;
	ss.ss_sp = altstack;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	alt_change_errno = sigaltstack(&ss, NULL) == 0 ? 0 : errno;
}

static void test_altstack(void)
{
	stack_t ss = { .ss_size = SMALL_STACK }, old;

	altstack = malloc(ALTSTACK_SIZE);
	CHECK(altstack, "malloc");
	ss.ss_sp = altstack;
	errno = 0;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "small altstack: %s", strerror(errno));
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = BAD_SS_FLAGS;
	errno = 0;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL, "bad flags: %s", strerror(errno));
	CHECK(sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE), "no altstack at first");
	ss.ss_flags = 0;
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack: %s", strerror(errno));
	set_handler(SIGUSR2, on_alt_handler, SA_ONSTACK);
	raise(SIGUSR2);
	CHECK(on_alt, "the handler did not run on the alternate stack");
	CHECK(alt_flags == SS_ONSTACK, "ss_flags in the handler %#x, want SS_ONSTACK", alt_flags);
	CHECK(alt_change_errno == EPERM, "changing the altstack on it: errno %d, want EPERM",
	      alt_change_errno);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0 && old.ss_sp == altstack &&
	      old.ss_size == ALTSTACK_SIZE, "altstack after the handler: flags %#x", old.ss_flags);
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0, "disable: %s", strerror(errno));
	printf("t_sigframe: sigaltstack ok\n");
}

int main(void)
{
	test_frame();
	expect_exit0(in_child(child_segv_longjmp), "SIGSEGV handler with siglongjmp");
	expect_signal(in_child(child_fault_in_handler), SIGSEGV, "a fault in the SIGSEGV handler");
	printf("t_sigframe: SIGSEGV si_addr, si_code, siglongjmp ok\n");
	test_altstack();
	printf("PASS: t_sigframe\n");
	return 0;
}
