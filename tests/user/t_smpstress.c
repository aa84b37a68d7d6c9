/*
 * t_smpstress: threads, futexes, signals and pipes at once, on every CPU.
 *
 * Each of ROUNDS rounds runs four loads concurrently, every one with an
 * exact expected result, and checks them all:
 *   - mutex: WORKERS threads each add 1 to a shared counter INCS times
 *     under one pthread mutex (futex waits and wakes when contended) and to
 *     an atomic counter without it: both must end at WORKERS * INCS;
 *   - futex ping-pong: two threads pass a token PINGS times through raw
 *     FUTEX_WAIT/FUTEX_WAKE on one word: a lost wake-up hangs (the alarm
 *     fails the test), a double one breaks the strict alternation;
 *   - pipe: a child process writes PIPE_BYTES of a pseudo-random stream in
 *     chunks of varying size, the parent reads them and checksums: both
 *     ends compute the same FNV-1a over the same generator;
 *   - signals: a child sends SIGUSR1 SIGNALS times, waiting after each for
 *     the handler's acknowledgement on a pipe, so none may be merged: the
 *     handler must have run exactly SIGNALS times.
 * Threads are pinned round-robin to the online CPUs when there are several
 * (sched_setaffinity), so each load crosses CPUs, and each checks with
 * sched_getcpu that it runs where it was pinned. The whole test must end
 * within TIME_LIMIT_S (alarm). Also valid on Linux.
 * Prints "PASS: t_smpstress" or "FAIL: t_smpstress: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 3
#define WORKERS 4
#define INCS 10000
#define PINGS 1000
#define PIPE_BYTES (256 * 1024)
#define CHUNK_MAX 4000        /* above PIPE_BUF: writes may be split */
#define SIGNALS 500
#define TIME_LIMIT_S 240      /* TCG with 4 CPUs on a loaded 2-core host */
/* Linux UAPI linux/futex.h (not in musl's headers). */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

#define FAIL(...) do { \
	printf("FAIL: t_smpstress: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static int ncpus;

/* Pins the caller to CPU (n mod online CPUs) when there are several, and
 * checks it runs there afterwards. */
static void pin(int n)
{
	cpu_set_t set;
	int cpu;

	if (ncpus < 2)
		return;
	cpu = n % ncpus;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		FAIL("sched_setaffinity(CPU %d): %s", cpu, strerror(errno));
	if (sched_getcpu() != cpu)
		FAIL("pinned to CPU %d, running on %d", cpu, sched_getcpu());
}

/* ---- mutex and atomic counters ---- */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_count;
static atomic_long atomic_count;

static void *incrementer(void *arg)
{
	pin((int)(intptr_t)arg);
	for (int i = 0; i < INCS; i++) {
		pthread_mutex_lock(&lock);
		locked_count++;
		pthread_mutex_unlock(&lock);
		atomic_fetch_add(&atomic_count, 1);
	}
	return NULL;
}

/* ---- futex ping-pong ---- */
static atomic_int token; /* whose turn: 0 or 1 */
static int turns[2];

static void futex_wait(atomic_int *w, int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(atomic_int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pinger(void *arg)
{
	int me = (int)(intptr_t)arg;

	pin(me + 1);
	for (int i = 0; i < PINGS; i++) {
		int t;

		while ((t = atomic_load(&token)) != me)
			futex_wait(&token, t);
		turns[me]++;
		atomic_store(&token, !me);
		futex_wake(&token);
	}
	return NULL;
}

/* ---- pipe stream ---- */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

/* The stream itself: byte i of round r, and the expected checksum. */
static void stream_fill(uint64_t *s, unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)next_random(s);
}

static void pipe_writer(int fd, int round)
{
	static unsigned char buf[CHUNK_MAX];
	uint64_t s = 0x9e3779b97f4a7c15ULL + round, sizes = 0x2545f4914f6cdd1dULL + round;
	size_t left = PIPE_BYTES;

	pin(3);
	while (left) {
		size_t n = 1 + next_random(&sizes) % CHUNK_MAX;

		n = n < left ? n : left;
		stream_fill(&s, buf, n);
		for (size_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, n - off);

			if (w <= 0)
				_exit(2);
			off += (size_t)w;
		}
		left -= n;
	}
	_exit(0);
}

static void *pipe_reader(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static unsigned char buf[CHUNK_MAX];
	uint64_t *sum = malloc(sizeof(*sum)), got = 0;

	*sum = FNV_OFFSET;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			FAIL("pipe read: %s", strerror(errno));
		if (r == 0)
			break;
		*sum = fnv(*sum, buf, (size_t)r);
		got += (uint64_t)r;
	}
	if (got != PIPE_BYTES)
		FAIL("pipe: read %llu bytes of %d", (unsigned long long)got, PIPE_BYTES);
	return sum;
}

static uint64_t expected_sum(int round)
{
	static unsigned char buf[CHUNK_MAX];
	uint64_t s = 0x9e3779b97f4a7c15ULL + round, sizes = 0x2545f4914f6cdd1dULL + round;
	uint64_t h = FNV_OFFSET;
	size_t left = PIPE_BYTES;

	while (left) {
		size_t n = 1 + next_random(&sizes) % CHUNK_MAX;

		n = n < left ? n : left;
		stream_fill(&s, buf, n);
		h = fnv(h, buf, n);
		left -= n;
	}
	return h;
}

/* ---- acknowledged signals ---- */
static volatile sig_atomic_t handled;
static int ack_fd;

static void on_usr1(int sig)
{
	char c = 1;
	int saved = errno;

	(void)sig;
	handled++;
	if (write(ack_fd, &c, 1) != 1)
		_exit(3);
	errno = saved;
}

static void signal_sender(pid_t target, int ack_read)
{
	char c;

	pin(2);
	for (int i = 0; i < SIGNALS; i++) {
		if (kill(target, SIGUSR1))
			_exit(4);
		while (read(ack_read, &c, 1) != 1)
			if (errno != EINTR)
				_exit(5);
	}
	_exit(0);
}

static pid_t spawn(void (*fn)(int, int), int a, int b)
{
	pid_t pid = fork();

	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0)
		fn(a, b);
	return pid;
}

static void reap(pid_t pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			FAIL("waitpid (%s): %s", what, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("%s child: status %#x", what, status);
}

static void sender_main(int target, int ack_read)
{
	signal_sender((pid_t)target, ack_read);
}

static void writer_main(int fd, int round)
{
	pipe_writer(fd, round);
}

static void round_run(int round)
{
	pthread_t inc[WORKERS], ping[2], reader;
	int data[2], ack[2];
	pid_t writer, sender;
	uint64_t *sum;

	locked_count = 0;
	atomic_store(&atomic_count, 0);
	atomic_store(&token, 0);
	turns[0] = turns[1] = 0;
	handled = 0;
	if (pipe(data) || pipe(ack))
		FAIL("pipe: %s", strerror(errno));
	ack_fd = ack[1];

	writer = spawn(writer_main, data[1], round);
	close(data[1]);
	sender = spawn(sender_main, getpid(), ack[0]);
	if (pthread_create(&reader, NULL, pipe_reader, (void *)(intptr_t)data[0]))
		FAIL("pthread_create (reader)");
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&inc[i], NULL, incrementer, (void *)(intptr_t)i))
			FAIL("pthread_create (incrementer %d)", i);
	for (int i = 0; i < 2; i++)
		if (pthread_create(&ping[i], NULL, pinger, (void *)(intptr_t)i))
			FAIL("pthread_create (pinger %d)", i);

	for (int i = 0; i < WORKERS; i++)
		pthread_join(inc[i], NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(ping[i], NULL);
	pthread_join(reader, (void **)&sum);
	reap(writer, "pipe writer");
	reap(sender, "signal sender");
	close(data[0]);
	close(ack[0]);
	close(ack[1]);

	if (locked_count != (long)WORKERS * INCS)
		FAIL("round %d: mutex counter %ld, expected %d", round, locked_count, WORKERS * INCS);
	if (atomic_load(&atomic_count) != (long)WORKERS * INCS)
		FAIL("round %d: atomic counter %ld", round, atomic_load(&atomic_count));
	if (turns[0] != PINGS || turns[1] != PINGS)
		FAIL("round %d: ping-pong turns %d/%d", round, turns[0], turns[1]);
	if (*sum != expected_sum(round))
		FAIL("round %d: pipe checksum %#llx, expected %#llx", round,
		     (unsigned long long)*sum, (unsigned long long)expected_sum(round));
	if (handled != SIGNALS)
		FAIL("round %d: %d signals handled, expected %d", round, (int)handled, SIGNALS);
	free(sum);
	printf("t_smpstress: round %d ok\n", round);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	printf("t_smpstress: %d CPUs online\n", ncpus);
	alarm(TIME_LIMIT_S); /* SIGALRM's default action ends a hung test */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		FAIL("sigaction: %s", strerror(errno));
	for (int r = 0; r < ROUNDS; r++)
		round_run(r);
	printf("PASS: t_smpstress\n");
	return 0;
}
