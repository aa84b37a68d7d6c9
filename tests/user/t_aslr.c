/*
 * tests/user/t_aslr.c: user-space address-space layout randomization. The
 * program execs itself (/proc/self/exe) as a probe several times; each
 * probe reports, through a pipe, the address of a stack variable, of a new
 * anonymous mapping, its initial program break and its own code. Randomized,
 * each of the first three differs between some two probes (RUNS of them:
 * equality by chance in all is negligible), and so does the code address
 * when the program is static-pie (t_aslr_pie.c, __PIE__); each probe's
 * layout is in order (heap below mmap below stack, code below stack: Linux
 * maps a static-pie program among the mmaps and its heap low, Anode both
 * below the mmaps). Probes exec'd after personality(ADDR_NO_RANDOMIZE)
 * see the same addresses every time. `t_aslr fixed` (the machine booted
 * with `norandmaps`) expects fixed addresses in both cases.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TEST_NAME /* t_aslr_pie.c names itself */
#define TEST_NAME "t_aslr"
#endif
#include "check.h"

#define RUNS 4
#define PROBE_ARG "probe"
#define FIXED_ARG "fixed"
#define SELF "/proc/self/exe"

enum { STACK, MMAP, BRK, CODE, NADDR };
static const char *const names[NADDR] = { "stack", "mmap", "brk", "code" };
#ifdef __PIE__
#define CODE_MOVES 1 /* static-pie: loaded at a random address */
#else
#define CODE_MOVES 0 /* linked at a fixed address */
#endif

/* The probe: one line "stack mmap brk code" in hex on stdout. */
static int probe(void)
{
	volatile int local = 0;
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long brk0 = syscall(SYS_brk, 0);

	if (m == MAP_FAILED)
		return 1;
	printf("%lx %lx %lx %lx\n", (unsigned long)(uintptr_t)&local, (unsigned long)(uintptr_t)m,
	       (unsigned long)brk0, (unsigned long)(uintptr_t)probe);
	return 0;
}

/* Runs one probe (after personality(persona) in the child) and reads its line. */
static void run_probe(const char *self, unsigned long persona, unsigned long out[NADDR])
{
	int fds[2], status;
	char line[128] = "";
	ssize_t n, got = 0;
	pid_t pid;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		if (personality(persona) == -1)
			_exit(2);
		execl(SELF, self, PROBE_ARG, (char *)NULL);
		execl(self, self, PROBE_ARG, (char *)NULL);
		_exit(3);
	}
	close(fds[1]);
	while ((n = read(fds[0], line + got, sizeof(line) - 1 - got)) > 0)
		got += n;
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "probe failed (status %#x)", status);
	CHECK(sscanf(line, "%lx %lx %lx %lx", &out[STACK], &out[MMAP], &out[BRK], &out[CODE]) == NADDR,
	      "probe said \"%s\"", line);
	CHECK(out[BRK] < out[MMAP] && out[MMAP] < out[STACK] && out[CODE] < out[STACK],
	      "layout out of order: stack %#lx mmap %#lx brk %#lx code %#lx", out[STACK], out[MMAP],
	      out[BRK], out[CODE]);
}

/* Whether address k took more than one value over the runs. */
static int varies(unsigned long a[RUNS][NADDR], int k)
{
	for (int r = 1; r < RUNS; r++)
		if (a[r][k] != a[0][k])
			return 1;
	return 0;
}

static void check_runs(const char *self, unsigned long persona, int want_random, const char *what)
{
	unsigned long a[RUNS][NADDR];

	for (int r = 0; r < RUNS; r++) {
		run_probe(self, persona, a[r]);
		printf("%s %d: stack %#lx mmap %#lx brk %#lx code %#lx\n", what, r, a[r][STACK],
		       a[r][MMAP], a[r][BRK], a[r][CODE]);
	}
	for (int k = 0; k < NADDR; k++) {
		int want = want_random && (k != CODE || CODE_MOVES);

		CHECK(varies(a, k) == want, "%s: %s address %s over %d runs", what, names[k],
		      want ? "never changed" : "changed", RUNS);
	}
}

int main(int argc, char **argv)
{
	int fixed = argc > 1 && strcmp(argv[1], FIXED_ARG) == 0;

	if (argc > 1 && strcmp(argv[1], PROBE_ARG) == 0)
		return probe();
	check_runs(argv[0], PER_LINUX, !fixed, "default");
	check_runs(argv[0], PER_LINUX | ADDR_NO_RANDOMIZE, 0, "ADDR_NO_RANDOMIZE");
	/* The flag is the persona's: a query sees it; PER_LINUX clears it. */
	CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE) == PER_LINUX, "personality did not answer the old persona");
	CHECK(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE), "the query lost ADDR_NO_RANDOMIZE");
	CHECK(personality(PER_LINUX) == (PER_LINUX | ADDR_NO_RANDOMIZE), "clearing did not answer the flag");
	printf("PASS: " TEST_NAME "\n");
	return 0;
}
