/*
 * t_reapmem: when wait4 returns a child's exit, all the child's memory is
 * back, its threads' kernel stacks included (issue 13: the fuzzer's end
 * figure). A dead thread's stack is freed by the next thread to run on its
 * CPU (sched/switch.c); the kernel reaps a zombie only once every thread
 * made for it is freed (kernel/proc.c: proc_thread_freed), so that no
 * program has to run on every CPU first to see its memory back.
 *
 * ROUNDS rounds, after WARMUP ones: read the free figure (MemFree +
 * HeapCached of sys:meminfo), fork a child that starts THREADS threads and
 * ends with exit_group while most of them still run (one has ended by
 * itself), reap it, read the figure again: it must be the same to the kB
 * in every round. Odd rounds reap with a blocking waitpid; even ones wait
 * for SIGCHLD and then reap with WNOHANG, which must find the child (a
 * zombie whose threads are still being freed is waited for, not reported
 * as "nothing yet"). Nothing is printed between two readings, so that the
 * console daemon does no work in between. Run at -smp 1 (test_user.py)
 * and -smp 4 (test_smp.py), where the child's threads end on another
 * CPU. On Linux only the waits are checked (no sys:meminfo).
 * Prints "PASS: t_reapmem" or "FAIL: t_reapmem: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meminfo.h"

#define ROUNDS 300
#define WARMUP 10
#define THREADS 3
#define SPIN_YIELDS 1000 /* a running thread's yields before it would end */
#define CHILD_STATUS 7

#define FAIL(...) do { \
	printf("FAIL: t_reapmem: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* MemFree + HeapCached in kB; 0 where there is no sys:meminfo (Linux). */
static unsigned long figure(void)
{
	unsigned long free_kb, cached_kb;
	int err = meminfo_load();

	if (err == ENOENT)
		return 0;
	if (err)
		FAIL("reading %s: %s", MEMINFO, strerror(err));
	if (meminfo_get("MemFree", &free_kb) < 0 || meminfo_get("HeapCached", &cached_kb) < 0)
		FAIL("no MemFree or HeapCached line in %s", MEMINFO);
	return free_kb + cached_kb;
}

static volatile int started; /* threads that have run */

static void *spinner(void *arg)
{
	__atomic_add_fetch(&started, 1, __ATOMIC_RELAXED);
	if (arg)
		return NULL; /* the one that ends by itself */
	for (int i = 0; i < SPIN_YIELDS; i++)
		sched_yield();
	return NULL;
}

/* The child: THREADS threads, then exit_group while they run. */
static void child(void)
{
	pthread_t t;

	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t, NULL, spinner, i == 0 ? (void *)1 : NULL) != 0)
			_exit(1);
	while (__atomic_load_n(&started, __ATOMIC_RELAXED) < THREADS)
		sched_yield();
	_exit(CHILD_STATUS);
}

/* Reaps pid: blocking, or once SIGCHLD came with WNOHANG. */
static void reap(pid_t pid, int nohang, int round)
{
	sigset_t chld;
	int status, sig;
	pid_t got;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (nohang) {
		if (sigwait(&chld, &sig) != 0)
			FAIL("round %d: sigwait: %s", round, strerror(errno));
		got = waitpid(pid, &status, WNOHANG);
	} else {
		got = waitpid(pid, &status, 0);
		/* Its SIGCHLD is pending now: taken, so that the next
		 * round's sigwait waits for that round's child. */
		if (got == pid && sigwait(&chld, &sig) != 0)
			FAIL("round %d: sigwait after waitpid: %s", round, strerror(errno));
	}
	if (got != pid)
		FAIL("round %d: waitpid%s gave %d (%s), not the child %d", round,
		     nohang ? " with WNOHANG after SIGCHLD" : "", (int)got,
		     got < 0 ? strerror(errno) : "no error", (int)pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_STATUS)
		FAIL("round %d: child status %#x", round, status);
}

int main(void)
{
	sigset_t chld;
	long worst = 0;
	int bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* SIGCHLD blocked, so that sigwait takes it. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	printf("t_reapmem: %ld CPUs online, %d rounds of a child with %d threads\n",
	       sysconf(_SC_NPROCESSORS_ONLN), ROUNDS, THREADS);
	for (int round = 0; round < WARMUP + ROUNDS; round++) {
		unsigned long before = figure(), after;
		pid_t pid = fork();

		if (pid < 0)
			FAIL("round %d: fork: %s", round, strerror(errno));
		if (pid == 0)
			child();
		reap(pid, round % 2 == 0, round);
		after = figure();
		if (round >= WARMUP && after != before) {
			bad++;
			if (labs((long)after - (long)before) > labs(worst))
				worst = (long)after - (long)before;
		}
	}
	printf("t_reapmem: %d of %d rounds ended with memory not back (worst %+ld kB)\n", bad,
	       ROUNDS, worst);
	if (bad)
		FAIL("%d rounds: memory not back when wait returned (worst %+ld kB)", bad, worst);
	printf("PASS: t_reapmem\n");
	return 0;
}
