/*
 * t_fpswitch: every thread's FP/SIMD registers survive switches (Anode
 * loads them lazily, on the first use after a switch, and saves them at
 * the switch only if loaded). Four threads and a forked child each fill
 * v0-v31 and FPCR's rounding mode with their own pattern, yield
 * YIELDS times from inside the same asm block (nothing but the kernel
 * runs between), and read them back; on several CPUs they also move
 * between CPUs. A forked child starts with its parent's d8-d15 (callee-
 * saved, so fork's C code keeps them) as they were when the parent
 * entered fork, though the parent had them live in the registers.
 * Prints "PASS: t_fpswitch" or "FAIL: t_fpswitch: <reason>".
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_fpswitch: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

#define THREADS 4
#define YIELDS 2000
#define VREGS 32
#define QWORDS (VREGS * 2)            /* two 64-bit halves per register */
#define FPCR_RMODE_SHIFT 22           /* FPCR.RMode (Arm ARM C5.2.8) */
#define FPCR_RMODE_MASK (3UL << FPCR_RMODE_SHIFT)
#define CALLEE_SAVED_D 8              /* d8-d15 (AAPCS64) */

struct fp_image {
	uint64_t q[QWORDS] __attribute__((aligned(16)));
	uint64_t fpcr;
};

static void fill(struct fp_image *im, unsigned seed)
{
	for (int i = 0; i < QWORDS; i++)
		im->q[i] = 0x0101010101010101ULL * (uint64_t)(seed + 1) ^ (uint64_t)i << 40;
	im->fpcr = (uint64_t)(seed % 4) << FPCR_RMODE_SHIFT;
}

/* Loads in, yields n times, stores to out: one asm block, so only the
 * kernel runs between the load and the store. */
static void spin(const struct fp_image *in, struct fp_image *out, long n)
{
	register long x8 __asm__("x8") = SYS_sched_yield;
	register long x0 __asm__("x0");
	const uint64_t *src = in->q;
	uint64_t *dst = out->q;
	uint64_t fpcr = in->fpcr, fpcr_out;

	__asm__ volatile(
		"msr fpcr, %[fpcr]\n\t"
		"ldp q0, q1, [%[s], #0]\n\tldp q2, q3, [%[s], #32]\n\t"
		"ldp q4, q5, [%[s], #64]\n\tldp q6, q7, [%[s], #96]\n\t"
		"ldp q8, q9, [%[s], #128]\n\tldp q10, q11, [%[s], #160]\n\t"
		"ldp q12, q13, [%[s], #192]\n\tldp q14, q15, [%[s], #224]\n\t"
		"ldp q16, q17, [%[s], #256]\n\tldp q18, q19, [%[s], #288]\n\t"
		"ldp q20, q21, [%[s], #320]\n\tldp q22, q23, [%[s], #352]\n\t"
		"ldp q24, q25, [%[s], #384]\n\tldp q26, q27, [%[s], #416]\n\t"
		"ldp q28, q29, [%[s], #448]\n\tldp q30, q31, [%[s], #480]\n\t"
		"1:\n\tsvc #0\n\tsubs %[n], %[n], #1\n\tb.ne 1b\n\t"
		"stp q0, q1, [%[d], #0]\n\tstp q2, q3, [%[d], #32]\n\t"
		"stp q4, q5, [%[d], #64]\n\tstp q6, q7, [%[d], #96]\n\t"
		"stp q8, q9, [%[d], #128]\n\tstp q10, q11, [%[d], #160]\n\t"
		"stp q12, q13, [%[d], #192]\n\tstp q14, q15, [%[d], #224]\n\t"
		"stp q16, q17, [%[d], #256]\n\tstp q18, q19, [%[d], #288]\n\t"
		"stp q20, q21, [%[d], #320]\n\tstp q22, q23, [%[d], #352]\n\t"
		"stp q24, q25, [%[d], #384]\n\tstp q26, q27, [%[d], #416]\n\t"
		"stp q28, q29, [%[d], #448]\n\tstp q30, q31, [%[d], #480]\n\t"
		"mrs %[fo], fpcr\n\tmsr fpcr, xzr"
		: [n] "+r"(n), "=r"(x0), [fo] "=&r"(fpcr_out)
		: [s] "r"(src), [d] "r"(dst), [fpcr] "r"(fpcr), "r"(x8)
		: "memory", "cc", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",
		  "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20",
		  "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	out->fpcr = fpcr_out & FPCR_RMODE_MASK;
}

/* 0 if seed's pattern came back whole, else a nonzero code. */
static long run(unsigned seed)
{
	struct fp_image in, out;

	fill(&in, seed);
	memset(&out, 0, sizeof(out));
	spin(&in, &out, YIELDS);
	for (int i = 0; i < QWORDS; i++)
		if (out.q[i] != in.q[i])
			return 1 + i;
	return out.fpcr == in.fpcr ? 0 : QWORDS + 1;
}

static void *thread_main(void *arg)
{
	return (void *)run((unsigned)(uintptr_t)arg);
}

/* The parent's d8-d15 live in the registers at fork; the child's copy. */
static void check_fork_copy(void)
{
	uint64_t d[CALLEE_SAVED_D], want = 0x5a5a5a5a12345678ULL;
	int status;
	pid_t pid;

	__asm__ volatile("fmov d8, %0\n\tfmov d9, %0\n\tfmov d10, %0\n\tfmov d11, %0\n\t"
			 "fmov d12, %0\n\tfmov d13, %0\n\tfmov d14, %0\n\tfmov d15, %0"
			 :: "r"(want) : "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15");
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	__asm__ volatile("fmov %0, d8\n\tfmov %1, d9\n\tfmov %2, d10\n\tfmov %3, d11\n\t"
			 "fmov %4, d12\n\tfmov %5, d13\n\tfmov %6, d14\n\tfmov %7, d15"
			 : "=r"(d[0]), "=r"(d[1]), "=r"(d[2]), "=r"(d[3]), "=r"(d[4]), "=r"(d[5]),
			   "=r"(d[6]), "=r"(d[7]));
	if (pid == 0) {
		for (int i = 0; i < CALLEE_SAVED_D; i++)
			if (d[i] != want)
				_exit(1 + i);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("fork: the child's d%d is not the parent's", WEXITSTATUS(status) + 7);
	for (int i = 0; i < CALLEE_SAVED_D; i++)
		if (d[i] != want)
			FAIL("fork: the parent's d%d changed", 8 + i);
	printf("t_fpswitch: fork copies live registers\n");
}

int main(void)
{
	pthread_t th[THREADS];
	int status;
	long r;
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	check_fork_copy();
	child = fork();
	if (child < 0)
		FAIL("fork");
	if (child == 0)
		_exit(run(THREADS + 1) ? 1 : 0);
	for (unsigned i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, thread_main, (void *)(uintptr_t)(i + 1)))
			FAIL("pthread_create");
	r = run(0);
	if (r)
		FAIL("main thread: word %ld differs after %d yields", r - 1, YIELDS);
	for (int i = 0; i < THREADS; i++) {
		void *res;

		if (pthread_join(th[i], &res))
			FAIL("pthread_join");
		if (res)
			FAIL("thread %d: word %ld differs after %d yields", i + 1, (long)res - 1, YIELDS);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("forked child: its registers changed across yields");
	printf("t_fpswitch: %d threads and a child kept v0-v31 and FPCR over %d yields\n",
	       THREADS + 1, YIELDS);
	printf("PASS: t_fpswitch\n");
	return 0;
}
