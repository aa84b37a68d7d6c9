/*
 * t_sysregs: system calls keep the caller's x19-x28 (callee-saved in the
 * AAPCS64, and kept by the kernel for every call). Anode saves them into
 * the trap frame only when something reads or rewrites the whole frame
 * (arch/aarch64/vectors.S), so each path is checked: a null call, a yield
 * that switches to another process and back, the first FP use after a
 * switch (a trap of its own), a kill of self whose handler (which
 * scrambles x19-x28) runs on the way out and returns through rt_sigreturn,
 * and a raw fork (clone) in the parent and in the child.
 * Prints "PASS: t_sysregs" or "FAIL: t_sysregs: <reason>".
 */
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "t_sysregs"
#include "check.h"

#define KEPT 10          /* x19-x28 */
#define FIRST_KEPT 19
#define YIELDS 50
#define CHILD_BAD 1

/* The pattern in x(19 + i): a constant of its own per register. */
static uint64_t expected(int i)
{
	return 0xa5a5000000001900ULL + (uint64_t)(FIRST_KEPT + i);
}

#define SET_KEPT \
	"movz x19, #0x1913\n\tmovk x19, #0xa5a5, lsl #48\n\t" \
	"movz x20, #0x1914\n\tmovk x20, #0xa5a5, lsl #48\n\t" \
	"movz x21, #0x1915\n\tmovk x21, #0xa5a5, lsl #48\n\t" \
	"movz x22, #0x1916\n\tmovk x22, #0xa5a5, lsl #48\n\t" \
	"movz x23, #0x1917\n\tmovk x23, #0xa5a5, lsl #48\n\t" \
	"movz x24, #0x1918\n\tmovk x24, #0xa5a5, lsl #48\n\t" \
	"movz x25, #0x1919\n\tmovk x25, #0xa5a5, lsl #48\n\t" \
	"movz x26, #0x191a\n\tmovk x26, #0xa5a5, lsl #48\n\t" \
	"movz x27, #0x191b\n\tmovk x27, #0xa5a5, lsl #48\n\t" \
	"movz x28, #0x191c\n\tmovk x28, #0xa5a5, lsl #48\n\t"
#define STORE_KEPT \
	"stp x19, x20, [%[out], #0]\n\tstp x21, x22, [%[out], #16]\n\t" \
	"stp x23, x24, [%[out], #32]\n\tstp x25, x26, [%[out], #48]\n\t" \
	"stp x27, x28, [%[out], #64]\n\t"
#define CLOBBER_KEPT "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28"

/* One system call nr(a0, a1) with x19-x28 set to the pattern; what they
 * held after it in out. fp: also use an FP register right after. */
static long call_kept(long nr, long a0, long a1, uint64_t out[KEPT], int fp)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;

	if (fp)
		__asm__ volatile(SET_KEPT "svc #0\n\tfmov d0, x19\n\tfmov x19, d0\n\t" STORE_KEPT
				 : "+r"(x0) : "r"(x8), "r"(x1), [out] "r"(out)
				 : "memory", "d0", CLOBBER_KEPT);
	else
		__asm__ volatile(SET_KEPT "svc #0\n\t" STORE_KEPT
				 : "+r"(x0) : "r"(x8), "r"(x1), [out] "r"(out)
				 : "memory", CLOBBER_KEPT);
	return x0;
}

/* The first register of out that is not the pattern, or -1. */
static int first_bad(const uint64_t out[KEPT])
{
	for (int i = 0; i < KEPT; i++)
		if (out[i] != expected(i))
			return i;
	return -1;
}

static void check_kept(const char *what, const uint64_t out[KEPT])
{
	int i = first_bad(out);

	CHECK(i < 0, "%s: x%d is %#llx, want %#llx", what, FIRST_KEPT + i,
	      (unsigned long long)out[i], (unsigned long long)expected(i));
}

static volatile sig_atomic_t handled;

/* Runs between the kill's return and its caller: leaves x19-x28 changed
 * (rt_sigreturn must put the caller's back). */
static void handler(int sig)
{
	(void)sig;
	handled = 1;
	__asm__ volatile("mov x19, #1\n\tmov x20, #2\n\tmov x21, #3\n\tmov x22, #4\n\t"
			 "mov x23, #5\n\tmov x24, #6\n\tmov x25, #7\n\tmov x26, #8\n\t"
			 "mov x27, #9\n\tmov x28, #10\n\t" : : : CLOBBER_KEPT);
}

/* A raw fork: the parent's and the child's x19-x28 after the call. */
static void check_fork(void)
{
	uint64_t out[KEPT];
	long pid = call_kept(SYS_clone, SIGCHLD, 0, out, 0);
	int status;

	if (pid == 0)
		syscall(SYS_exit_group, first_bad(out) < 0 ? 0 : CHILD_BAD);
	CHECK(pid > 0, "clone: %ld", pid);
	check_kept("fork (parent)", out);
	CHECK(waitpid((pid_t)pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork (child): x19-x28 changed");
	printf("t_sysregs: fork kept x19-x28 in parent and child\n");
}

int main(void)
{
	uint64_t out[KEPT];
	struct sigaction sa;
	pid_t other;
	int status;

	setvbuf(stdout, NULL, _IONBF, 0);
	call_kept(SYS_getppid, 0, 0, out, 0);
	check_kept("getppid", out);
	printf("t_sysregs: getppid kept x19-x28\n");

	other = fork();
	CHECK(other >= 0, "fork");
	if (other == 0) {
		for (int i = 0; i < YIELDS; i++)
			sched_yield();
		_exit(0);
	}
	for (int i = 0; i < YIELDS; i++) {
		call_kept(SYS_sched_yield, 0, 0, out, i % 2);
		check_kept(i % 2 ? "sched_yield, then FP" : "sched_yield", out);
	}
	CHECK(waitpid(other, &status, 0) == other, "waitpid");
	printf("t_sysregs: sched_yield (with and without FP after) kept x19-x28\n");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
	CHECK(call_kept(SYS_kill, getpid(), SIGUSR1, out, 0) == 0, "kill");
	CHECK(handled, "the handler did not run");
	check_kept("kill + handler + rt_sigreturn", out);
	printf("t_sysregs: a handler on the way out of kill kept x19-x28\n");

	check_fork();
	printf("PASS: t_sysregs\n");
	return 0;
}
