/*
 * t_segv: a faulting user process is killed, and its parent survives.
 *
 * Each case runs in its own child, which must die of the named signal as
 * wait4 reports it (WIFSIGNALED, WTERMSIG): loads from a kernel address, the
 * null page and above user space, a store to the program's own (read-only)
 * code, a jump to a kernel address, and an undefined instruction (SIGILL).
 * The faults are made with inline assembly so that the compiler cannot turn
 * them into something else. Prints "PASS: t_segv" or "FAIL: t_segv: <reason>".
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_segv: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static void load(uintptr_t addr)
{
	uint64_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	(void)v;
}

static void load_kernel(void) { load(0xffffff0000000000); }
static void load_null(void) { load(0); }
static void load_above_user(void) { load(0x0001000000000000); }

static void store_code(void)
{
	__asm__ volatile("str xzr, [%0]" : : "r"((uintptr_t)store_code) : "memory");
}

static void jump_kernel(void)
{
	__asm__ volatile("br %0" : : "r"((uintptr_t)0xffffff0000000000) : "memory");
}

static void undefined_insn(void)
{
	__asm__ volatile("udf #0" : : : "memory");
}

static const struct {
	const char *name;
	void (*fn)(void);
	int sig;
} cases[] = {
	{ "load from kernel address 0xffffff0000000000", load_kernel, SIGSEGV },
	{ "load from address 0", load_null, SIGSEGV },
	{ "load from above user space", load_above_user, SIGSEGV },
	{ "store to read-only code", store_code, SIGSEGV },
	{ "jump to a kernel address", jump_kernel, SIGSEGV },
	{ "undefined instruction (udf #0)", undefined_insn, SIGILL },
};

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_segv: start\n");

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			FAIL("fork: %s", strerror(errno));
		if (pid == 0) {
			cases[i].fn();
			_exit(100);	/* survived the fault: wrong */
		}
		int status;
		if (wait4(pid, &status, 0, NULL) != pid)
			FAIL("wait4: %s", strerror(errno));
		if (!WIFSIGNALED(status))
			FAIL("%s: child not killed by a signal (status %#x%s)",
			     cases[i].name, status,
			     WIFEXITED(status) && WEXITSTATUS(status) == 100 ?
			     ", it carried on" : "");
		if (WTERMSIG(status) != cases[i].sig)
			FAIL("%s: child killed by signal %d, want %d",
			     cases[i].name, WTERMSIG(status), cases[i].sig);
		printf("t_segv: %s -> signal %d ok\n", cases[i].name, cases[i].sig);
	}
	printf("PASS: t_segv\n");
	return 0;
}
