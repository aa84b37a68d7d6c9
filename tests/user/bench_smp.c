/*
 * bench_smp: what SMP buys, for tools/bench/bench_smp.py (not a t_* test).
 * Prints `bench: NAME N ns/op` lines, as bench.c does:
 *   cpu_procs_N     N processes (1, 2, 4) each running WORK_UNITS units of
 *                   pure computation at once; ns per unit of the whole, so
 *                   the speed-up of N (throughput against one process)
 *                   is cpu_procs_1 / cpu_procs_N;
 *   mutex4_cpusK    4 threads taking one pthread mutex MUTEX_OPS times in
 *                   all, pinned to K CPUs (1 or all), started together at
 *                   a barrier: ns per lock/unlock, first start to last end;
 *   pipe_same_cpu,  a one-byte pipe round trip between two processes
 *   pipe_cross_cpu  pinned to one CPU, or to CPUs 0 and 1;
 *   pipe_unpinned   the same where the scheduler places them;
 *   scheme_same_cpu,  an empty request to a user-space scheme daemon and
 *   scheme_cross_cpu  its reply, caller and daemon pinned to one CPU, or
 *                   to CPUs 0 and 1 (bench.c's scheme_roundtrip, pinned;
 *                   Anode only).
 * Arguments (cpu, mutex, pipe, scheme) choose steps; none runs them all.
 * Pinning uses sched_setaffinity; with one CPU the cross-CPU figures are
 * skipped. A figure that does not come within BENCH_STEP_S seconds ends the
 * program with a message naming it (a hang is a bug to report, not a
 * number).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include "usfork.h"

#define WORK_UNITS 400
#define UNIT_LOOPS 100000
#define MUTEX_OPS 400000
#define MUTEX_THREADS 4
#define PIPE_ITERS 500
#define SCHEME_ITERS 500
#define BENCH_STEP_S 120

static const char *step = "start";

static void on_alarm(int sig)
{
	(void)sig;
	dprintf(STDOUT_FILENO, "bench_smp: %s did not finish in %d s\n", step, BENCH_STEP_S);
	_exit(1);
}

static int ncpus;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void report(const char *name, int64_t ns, long ops)
{
	printf("bench: %s %lld ns/op\n", name, (long long)(ns / ops));
	alarm(BENCH_STEP_S); /* the next figure's turn */
}

/* Runs the caller on cpu alone; NO_PIN leaves it where the scheduler
 * puts it. */
#define NO_PIN (-1)
static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu == NO_PIN)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void unpin(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < ncpus; i++)
		CPU_SET(i, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void work(void)
{
	volatile uint64_t x = 1;

	for (long u = 0; u < WORK_UNITS; u++)
		for (long i = 0; i < UNIT_LOOPS; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
}

static void bench_cpu(int procs)
{
	pid_t pids[8];
	char name[32];
	int64_t t0 = now_ns();

	for (int i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			work();
			_exit(0);
		}
	}
	for (int i = 0; i < procs; i++)
		waitpid(pids[i], NULL, 0);
	snprintf(name, sizeof(name), "cpu_procs_%d", procs);
	report(name, now_ns() - t0, (long)procs * WORK_UNITS);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* The workers start together: without it the first thread could be done
 * before the last is created, and the figure would time thread creation
 * instead of contention. Each notes its own start and end, so the figure
 * spans the first start to the last end whoever runs when (with one CPU,
 * the creating thread might not run again until the workers are done). */
static pthread_barrier_t start;
static int64_t began[MUTEX_THREADS], ended[MUTEX_THREADS];
static long shared; /* under lock */

static void *mutex_worker(void *arg)
{
	int me = (int)(intptr_t)arg;

	pthread_barrier_wait(&start);
	began[me] = now_ns();
	for (int i = 0; i < MUTEX_OPS / MUTEX_THREADS; i++) {
		pthread_mutex_lock(&lock);
		shared++;
		pthread_mutex_unlock(&lock);
	}
	ended[me] = now_ns();
	return NULL;
}

static void bench_mutex(int cpus)
{
	pthread_t t[MUTEX_THREADS];
	char name[32];
	int64_t first = INT64_MAX, last = 0;

	step = "mutex";
	if (cpus == 1)
		pin(0); /* threads inherit it */
	shared = 0;
	if (pthread_barrier_init(&start, NULL, MUTEX_THREADS))
		die("pthread_barrier_init");
	for (int i = 0; i < MUTEX_THREADS; i++)
		if (pthread_create(&t[i], NULL, mutex_worker, (void *)(intptr_t)i))
			die("pthread_create");
	for (int i = 0; i < MUTEX_THREADS; i++) {
		pthread_join(t[i], NULL);
		first = began[i] < first ? began[i] : first;
		last = ended[i] > last ? ended[i] : last;
	}
	snprintf(name, sizeof(name), "mutex4_cpus%d", cpus);
	report(name, last - first, MUTEX_OPS);
	if (shared != MUTEX_OPS) { /* a lost update: the mutex failed */
		printf("bench_smp: the mutex lost updates: %ld of %d\n", shared, MUTEX_OPS);
		exit(1);
	}
	pthread_barrier_destroy(&start);
	unpin();
}

static void bench_pipe(const char *name, int parent_cpu, int child_cpu)
{
	int down[2], up[2];
	char c = 'x';
	pid_t pid;
	int64_t t0;

	step = name;
	if (pipe(down) || pipe(up))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* Its copies of the parent's ends would keep the pipes open:
		 * its read would never see EOF, nor the parent's waitpid end. */
		close(down[1]);
		close(up[0]);
		pin(child_cpu);
		while (read(down[0], &c, 1) == 1)
			if (write(up[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	pin(parent_cpu);
	close(down[0]);
	close(up[1]);
	t0 = now_ns();
	for (int i = 0; i < PIPE_ITERS; i++)
		if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1)
			die("pipe round trip");
	report(name, now_ns() - t0, PIPE_ITERS);
	close(down[1]);
	close(up[0]);
	waitpid(pid, NULL, 0);
	unpin();
}

#include "bench_scheme.h" /* uses die and now_ns */

/* The CPU bench_scheme's daemon is pinned to (set before the fork). */
static int daemon_cpu;

static void run_daemon(int notify_fd)
{
	static struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = usfork_open_one, [SCHEME_OP_READ] = usfork_read_none,
	} };

	pin(daemon_cpu);
	usfork_serve(&srv, "benchsmp", notify_fd);
}

/* A daemon serving "benchsmp:" pinned to dcpu, and the caller pinned to
 * caller_cpu timing SCHEME_ITERS empty reads of it. */
static void bench_scheme(const char *name, int caller_cpu, int dcpu)
{
	int rd = 0;
	pid_t pid;

	step = name;
	daemon_cpu = dcpu;
	pid = usfork_daemon(run_daemon, &rd);
	if (pid < 0 || usfork_next(rd) != USFORK_READY)
		die("scheme daemon");
	close(rd);
	pin(caller_cpu);
	report(name, time_empty_reads("benchsmp:", SCHEME_ITERS), SCHEME_ITERS);
	kill(pid, SIGKILL); /* the daemon serves until killed */
	waitpid(pid, NULL, 0);
	unpin();
}

/* Whether step name was asked for: every step when no argument names one
 * (`bench_smp mutex` runs only the mutex rows, e.g. under make profile). */
static int wanted(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	printf("bench_smp: %d CPUs\n", ncpus);
	signal(SIGALRM, on_alarm);
	alarm(BENCH_STEP_S);
	if (wanted(argc, argv, "cpu"))
		for (int n = 1; n <= 4; n *= 2)
			bench_cpu(n);
	if (wanted(argc, argv, "mutex")) {
		bench_mutex(1);
		if (ncpus > 1)
			bench_mutex(ncpus);
	}
	if (wanted(argc, argv, "pipe")) {
		bench_pipe("pipe_same_cpu", 0, 0);
		if (ncpus > 1)
			bench_pipe("pipe_cross_cpu", 0, 1);
		bench_pipe("pipe_unpinned", NO_PIN, NO_PIN);
	}
	if (wanted(argc, argv, "scheme") && scheme_kernel_present()) { /* Linux: no schemes */
		bench_scheme("scheme_same_cpu", 0, 0);
		if (ncpus > 1)
			bench_scheme("scheme_cross_cpu", 0, 1);
	}
	return 0;
}
