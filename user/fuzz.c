/*
 * user/fuzz.c: /bin/fuzz, the system-call fuzzer (issue 13): the
 * supervisor. Usage: fuzz [SEED [CALLS [WORKERS]]].
 *
 * Runs as the unprivileged user: started as root (init= in the tests), it
 * drops to FUZZ_USER:FUZZ_USER with setgroups, setgid and setuid first.
 * It forks WORKERS worker processes (user/fuzz/worker.c), each with a few
 * threads making random system calls, until together they have made CALLS,
 * printing "fuzz: N calls" every PROGRESS_EVERY of them. A worker that ends,
 * by exit or by a signal (a random call can kill it), is started again and
 * counted: the kernel must survive anything a process does to itself, not
 * keep the process alive. A worker that makes no call for STALL_NS (all its
 * threads blocked, say reading a pipe only it can write) is killed with
 * SIGKILL and started again; one still there KILL_LIMIT_NS after that is a
 * failure (a process SIGKILL cannot end). A stopped one (a random SIGSTOP to
 * itself) is continued.
 *
 * At the end every worker is killed, what they created is removed, and the
 * memory the kernel holds for no process (free_kb) must be back where it
 * was after a warm-up round, before the measured one, once the daemons
 * have answered the closes queued to them (settle()). Prints "fuzz: seed S", each worker's first seed,
 * "fuzz: warm-up", "fuzz: done N calls in T s (R calls/s)" after the
 * warm-up and after the measured round, and exactly one "PASS: fuzz" or
 * "FAIL: fuzz: reason".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "meminfo.h"

#define DEFAULT_CALLS 100000UL
#define DEFAULT_WORKERS 4
#define PROGRESS_EVERY 5000UL
#define WARMUP_CALLS 2000UL
#define NSEC_PER_SEC 1000000000LL
#define TICK_NS 50000000L              /* the supervisor looks every 50 ms */
#define STALL_NS (2 * NSEC_PER_SEC)
#define KILL_LIMIT_NS (20 * NSEC_PER_SEC)
#define NR_MAX 512                     /* stall counts by call number */
#define SETTLE_DIR "/bin"              /* exists: mkdir is a round trip to file: */
#define RETRIES 1000
#define FUZZ_NAME "fuzz"               /* sys:context's name of its processes */
/*
 * What free_kb may move by for no leak, in kB. Its figure counts the heap
 * by the bytes its objects use (HeapFree), not by the slabs that history
 * left, the processes' memory to the page (UserFrames: what daemons and
 * the supervisor itself grew by is theirs), and wait4 returns only once a
 * worker's threads' stacks are freed. What is left is the kernel's own
 * memory for live processes and for stacks: the list of a process's page
 * tables (mm/uvm.c's as->tables) doubles when it gets one table more than
 * it has room for (seen: to 4 kB of heap), a level-3 table of the
 * kernel-stack area is kept once more stacks than ever are alive at once
 * (4 kB, mm/layout.h), and HeapFree is rounded down to the kB (up to
 * 1 kB). Runs of 30,000 calls at -smp 2 (seeds 20260 and 1 to 7) ended
 * between 4 kB kept (that list) and 0. A leak of 4 pages in a run, a page
 * per 7,500 calls, is past it. (Before: MemFree + HeapCached + each
 * process's mapped pages moved by -240 to +88 kB: a process's pages
 * counted the initfs pages it maps, which are no allocator's, the heap's
 * pages depended on which slabs history left half used, and a reaped
 * worker's last stack could still be on its way off its CPU.)
 */
#define MEM_SLACK_KB 12

#define FAIL(...) do { \
	printf("FAIL: fuzz: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

struct worker {
	pid_t pid;                 /* 0: slot empty */
	unsigned long incarnation; /* how many times started */
	unsigned long seen_calls;  /* slot calls at the last look */
	long long seen_ns;         /* when they last changed */
	long long killed_ns;       /* when it was sent SIGKILL, or 0 */
};

static struct fuzz_shared *sh;
static struct worker workers[FUZZ_WORKERS_MAX];
static int nworkers;
static uint64_t seed;
static unsigned long exits, signalled, stalls, stops, stall_nr[NR_MAX];

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * NSEC_PER_SEC + t.tv_nsec;
}

static void drop_privileges(void)
{
	if (getuid() == 0 &&
	    (setgroups(0, NULL) != 0 || setgid(FUZZ_USER) != 0 || setuid(FUZZ_USER) != 0))
		FAIL("dropping to %d:%d: %s", FUZZ_USER, FUZZ_USER, strerror(errno));
	if (geteuid() == 0 || getegid() == 0)
		FAIL("still privileged (uid %d, gid %d)", (int)geteuid(), (int)getegid());
	printf("fuzz: running as uid %d gid %d\n", (int)getuid(), (int)getgid());
}

static void start(int w)
{
	struct worker *k = &workers[w];
	uint64_t s = fuzz_mix(fuzz_mix(seed, (uint64_t)w), k->incarnation);
	pid_t pid;

	/* The workers may have removed, renamed or chmod'ed their working
	 * directory (they run as its owner): it is made usable again. */
	mkdir(FUZZ_ROOT, S_IRWXU);
	chmod(FUZZ_ROOT, S_IRWXU);
	mkdir(FUZZ_SCRATCH, S_IRWXU);
	chmod(FUZZ_SCRATCH, S_IRWXU);
	if (k->incarnation++ == 0)
		printf("fuzz: worker %d seed %#" PRIx64 "\n", w, s);
	__atomic_store_n(&sh->slot[w].calls, 0, __ATOMIC_RELAXED);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		worker_run(sh, w, s);
	}
	*k = (struct worker){ .pid = pid, .incarnation = k->incarnation, .seen_ns = now_ns() };
}

/* A worker's calls under way, for messages. */
static const char *calls_under_way(int w)
{
	static char buf[64];
	int len = 0;

	for (int t = 0; t < FUZZ_THREADS; t++)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " %d",
				__atomic_load_n(&sh->slot[w].last_nr[t], __ATOMIC_RELAXED));
	return buf;
}

/* Reaps what has ended (restarting it if again) and continues what stopped. */
static void reap(int again)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED)) > 0) {
		int w;

		for (w = 0; w < nworkers && workers[w].pid != pid; w++)
			;
		if (w == nworkers)
			continue; /* a worker's CLONE_PARENT child: it exited at once */
		if (WIFSTOPPED(status)) {
			stops++;
			kill(pid, SIGCONT);
			continue;
		}
		if (workers[w].killed_ns)
			stalls++;
		else if (WIFSIGNALED(status))
			signalled++;
		else
			exits++;
		workers[w].pid = 0;
		if (again)
			start(w);
	}
}

/* Kills workers that made no call for STALL_NS; fails if one outlives its
 * SIGKILL by KILL_LIMIT_NS. */
static void watchdog(void)
{
	long long now = now_ns();

	for (int w = 0; w < nworkers; w++) {
		struct worker *k = &workers[w];
		unsigned long calls = __atomic_load_n(&sh->slot[w].calls, __ATOMIC_RELAXED);

		if (!k->pid)
			continue;
		if (k->killed_ns) {
			if (now - k->killed_ns > KILL_LIMIT_NS)
				FAIL("worker %d (pid %d) still runs %lld s after SIGKILL (calls under way:%s)",
				     w, (int)k->pid, KILL_LIMIT_NS / NSEC_PER_SEC, calls_under_way(w));
			continue;
		}
		if (calls != k->seen_calls) {
			k->seen_calls = calls;
			k->seen_ns = now;
		} else if (now - k->seen_ns > STALL_NS) {
			for (int t = 0; t < FUZZ_THREADS; t++) {
				int nr = __atomic_load_n(&sh->slot[w].last_nr[t], __ATOMIC_RELAXED);

				if (nr >= 0 && nr < NR_MAX)
					stall_nr[nr]++;
			}
			printf("fuzz: worker %d (pid %d) made no call in %lld s (calls under way:%s); "
			       "killing it\n", w, (int)k->pid, STALL_NS / NSEC_PER_SEC, calls_under_way(w));
			kill(k->pid, SIGKILL);
			k->killed_ns = now;
		}
	}
}

/* Waits for every worker to end (they were all sent SIGKILL), then for
 * any other child. */
static void stop_all(void)
{
	long long t0 = now_ns();

	for (int w = 0; w < nworkers; w++)
		if (workers[w].pid && !workers[w].killed_ns) {
			kill(workers[w].pid, SIGKILL);
			workers[w].killed_ns = t0;
			workers[w].seen_calls = ~0UL; /* counted as a stop, not a stall */
		}
	for (;;) {
		int left = 0;
		struct timespec tick = { 0, TICK_NS };

		reap(0);
		for (int w = 0; w < nworkers; w++)
			left += workers[w].pid != 0;
		if (!left)
			break;
		watchdog();
		nanosleep(&tick, NULL);
	}
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

/* t_enomem's settle: mkdir of an existing directory is a round trip to
 * file:'s daemon that changes nothing, answered after every close queued
 * before it. */
static void settle(void)
{
	for (int i = 0; i < RETRIES; i++) {
		if (mkdir(SETTLE_DIR, 0) == 0)
			FAIL("mkdir %s: it did not exist", SETTLE_DIR);
		if (errno == EEXIST || errno == EACCES)
			return;
	}
	FAIL("mkdir %s: %s", SETTLE_DIR, strerror(errno));
}

/* sys:context when a figure was taken ("PID PPID NAME STATE CPU_MS
 * MEM_KB" lines), printed if memory did not come back. */
static char context[2][4096];

/* Loads sys:context into buf. */
static void load_context(char *buf, size_t size)
{
	int fd = open("sys:context", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/*
 * The memory in kB that holds no kernel object: MemFree + HeapFree (the
 * unused room in the heap's pages, whatever the slabs' history) +
 * UserFrames (the pages the live processes map and their page tables,
 * mm/uvm_resident.h). A daemon's heap may keep a page more after serving
 * the workers and the supervisor's stack and buffers grow as it prints;
 * neither is the kernel's leak. A page no live process maps is not in
 * UserFrames, so a leaked one still counts. The workers are all reaped
 * first (stop_all): wait4 returns only once a child's memory, its
 * threads' kernel stacks included, is back (kernel/proc.c). -1 where
 * there is no sys:meminfo.
 */
static long free_kb(const char *when)
{
	unsigned long free, heap, heap_free, user;
	int err;

	settle();
	load_context(context[strcmp(when, "before") != 0], sizeof(context[0]));
	err = meminfo_load();
	if (err == ENOENT)
		return -1;
	if (err || meminfo_get("MemFree", &free) || meminfo_get("KernelHeap", &heap) ||
	    meminfo_get("HeapFree", &heap_free) || meminfo_get("UserFrames", &user))
		FAIL("reading %s: %s", MEMINFO, err ? strerror(err) : "a figure is missing");
	printf("fuzz: memory %s: MemFree %lu kB, KernelHeap %lu kB, HeapFree %lu kB, "
	       "UserFrames %lu kB\n", when, free, heap, heap_free, user);
	return (long)(free + heap_free + user);
}

static void prepare_tree(void)
{
	if (cleanup_tree(FUZZ_ROOT) != 0)
		FAIL("cannot remove an old %s", FUZZ_ROOT);
	if (mkdir(FUZZ_ROOT, S_IRWXU) != 0 || mkdir(FUZZ_SCRATCH, S_IRWXU) != 0)
		FAIL("mkdir %s: %s", FUZZ_SCRATCH, strerror(errno));
}

static void report_stalls(void)
{
	char line[256];
	int len = 0;

	for (int nr = 0; nr < NR_MAX && len < (int)sizeof(line) - 16; nr++)
		if (stall_nr[nr])
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %d:%lu", nr, stall_nr[nr]);
	printf("fuzz: workers restarted: %lu exited, %lu killed by a signal, %lu stalled "
	       "(calls under way:%s); %lu stops continued\n", exits, signalled, stalls,
	       len ? line : " none", stops);
}

/* Runs the workers until they have made calls in all (printing progress
 * if asked), then stops them: the seconds it took. */
static double run_phase(unsigned long calls, int progress)
{
	unsigned long next = PROGRESS_EVERY, total;
	long long t0 = now_ns();

	__atomic_store_n(&sh->total, 0, __ATOMIC_RELAXED);
	for (int w = 0; w < nworkers; w++)
		start(w);
	while ((total = __atomic_load_n(&sh->total, __ATOMIC_RELAXED)) < calls) {
		struct timespec tick = { 0, TICK_NS };

		for (; progress && total >= next; next += PROGRESS_EVERY)
			printf("fuzz: %lu calls\n", next);
		reap(1);
		watchdog();
		nanosleep(&tick, NULL);
	}
	stop_all();
	if (cleanup_tree(FUZZ_ROOT) != 0)
		FAIL("cannot remove %s", FUZZ_ROOT);
	mq_unlink("/fuzzq0");
	mq_unlink("/fuzzq1");
	return (double)(now_ns() - t0) / NSEC_PER_SEC;
}

/* Prints the totals of a round; the warm-up prints its own too, so that
 * the supervisor's pages for them (printf's floating point, these
 * functions) are there when the first memory figure is taken. */
static void report_done(double secs)
{
	unsigned long total = __atomic_load_n(&sh->total, __ATOMIC_RELAXED);

	printf("fuzz: done %lu calls in %.1f s (%.0f calls/s)\n", total, secs, total / secs);
	report_stalls();
}

/* Fails if a process of the fuzzer's other than itself is still listed in
 * the figure's sys:context: every worker was reaped, and whatever a worker
 * started must have ended with it (a worker that exec'd /bin/fuzz once left
 * workers of its own running). */
static void check_none_left(const char *ctx)
{
	const char *line = ctx;

	while (line && *line) {
		int pid, ppid;
		char name[32];

		if (sscanf(line, "%d %d %31s", &pid, &ppid, name) == 3 && pid != getpid() &&
		    strncmp(name, FUZZ_NAME, strlen(FUZZ_NAME)) == 0)
			FAIL("process %d (%s, parent %d) outlived the workers", pid, name, ppid);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

int main(int argc, char **argv)
{
	unsigned long calls = DEFAULT_CALLS;
	long before, after;
	sigset_t all;
	double secs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)now_ns();
	if (argc > 2)
		calls = strtoul(argv[2], NULL, 0);
	nworkers = argc > 3 ? atoi(argv[3]) : DEFAULT_WORKERS;
	if (nworkers < 1 || nworkers > FUZZ_WORKERS_MAX || calls == 0)
		FAIL("usage: fuzz [SEED [CALLS [WORKERS (1..%d)]]]", FUZZ_WORKERS_MAX);
	printf("fuzz: seed %" PRIu64 ", %lu calls, %d workers of %d threads\n", seed, calls,
	       nworkers, FUZZ_THREADS);
	drop_privileges();
	/* The workers can signal only themselves (calls.c); the supervisor
	 * still blocks what it can, a last line of defence. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	pool_paths_init();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	/* A warm-up round first, so that what the kernel and the daemons keep
	 * once for good (caches, tables grown to their size) is counted in
	 * the first figure, as t_enomem's warm-up rounds do. */
	prepare_tree();
	printf("fuzz: warm-up\n");
	report_done(run_phase(WARMUP_CALLS, 0));
	before = free_kb("before");
	prepare_tree();
	secs = run_phase(calls, 1);
	report_done(secs);
	after = free_kb("after");
	check_none_left(context[1]);
	if (before >= 0 && labs(after - before) > MEM_SLACK_KB) {
		printf("fuzz: processes before:\n%sfuzz: processes after:\n%s", context[0], context[1]);
		FAIL("MemFree + HeapFree + UserFrames changed by %ld kB (more than %d)", after - before,
		     MEM_SLACK_KB);
	}
	printf("PASS: fuzz\n");
	return 0;
}
