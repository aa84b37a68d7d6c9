/*
 * bench: micro-benchmarks of the kernel's basic paths, timed with
 * clock_gettime(CLOCK_MONOTONIC) over many iterations. Prints one line per
 * benchmark, "bench: NAME N ns/op":
 *
 *   getppid         a null system call
 *   yield_pingpong  two processes alternating through sched_yield; one op
 *                   is one yield and the switch it makes to the other
 *                   process (each timed loop turn is two: ours, theirs)
 *   pipe_roundtrip  one byte to a child and back through two pipes
 *   fork_exit_wait  fork a child that exits at once, and wait for it
 *   signal_handler  kill(self) -> handler -> rt_sigreturn
 *   futex_wake_run  two threads handing a turn back and forth through
 *                   FUTEX_WAIT/FUTEX_WAKE; one op is one hand-over (a wake
 *                   and the woken thread running)
 *   mutex_pingpong  two threads taking turns on one pthread mutex, each
 *                   waiting (condition variable) for the other's turn; one op
 *                   is one turn
 *   thread_create_join  pthread_create of a thread that returns at once,
 *                   and pthread_join
 *   scheme_roundtrip  (Anode only) an empty request to a user-space scheme
 *                   daemon and its reply: user -> daemon -> user
 *   scheme_read_1m  (Anode only) 64 MiB read from a daemon in 1 MiB
 *                   requests (it copies into the caller's buffer once, with
 *                   SCHEME_IOC_MSGWRITE); one op is one 1 MiB read
 *   zero_read_1m    the same 64 MiB from the kernel's zero: (Linux:
 *                   /dev/zero)
 *   and the file, memory and console rows of bench_rows.h.
 *
 * Under QEMU with -icount shift=0 a guest nanosecond is one instruction, so
 * the figures are repeatable and comparable with Linux on the same machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include "libscheme.h"

#define GETPPID_ITERS 100000
#define YIELD_ITERS 10000
#define PIPE_ITERS 10000
#define FORK_ITERS 1000
#define SIGNAL_ITERS 10000
#define FUTEX_ITERS 10000
#define MUTEX_ITERS 10000
#define THREAD_ITERS 1000
#define SCHEME_ITERS 10000
#define BULK_CHUNK (1024 * 1024)
#define BULK_TOTAL (64 * 1024 * 1024)
/* linux/futex.h (not in musl's headers): FUTEX_WAIT (0) and FUTEX_WAKE (1)
 * with FUTEX_PRIVATE_FLAG (128). */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static void die(const char *what)
{
	printf("bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void report(const char *name, int64_t ns, long iters)
{
	printf("bench: %s %lld ns/op\n", name, (long long)(ns / iters));
}

static pid_t fork_or_die(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	return pid;
}

static void reap(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("bench: child failed (status %#x)\n", status);
		exit(1);
	}
}

static void bench_getppid(void)
{
	int64_t t0 = now_ns();
	for (long i = 0; i < GETPPID_ITERS; i++)
		syscall(SYS_getppid);
	report("getppid", now_ns() - t0, GETPPID_ITERS);
}

static void bench_yield(void)
{
	int ready[2];
	char c = 0;

	if (pipe(ready) < 0)
		die("pipe");
	pid_t pid = fork_or_die();
	if (pid == 0) {
		close(ready[0]);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		for (long i = 0; i < YIELD_ITERS; i++)
			sched_yield();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)	/* the child is running */
		die("read");
	close(ready[0]);
	int64_t t0 = now_ns();
	for (long i = 0; i < YIELD_ITERS; i++)
		sched_yield();
	int64_t ns = now_ns() - t0;
	reap(pid);
	/* Each of our yields runs the child, whose yield runs us: the timed
	 * loop made 2 * YIELD_ITERS yields, each one switch. */
	report("yield_pingpong", ns, 2 * YIELD_ITERS);
}

static void bench_pipe(void)
{
	int to_child[2], to_parent[2];
	char c = 'x';

	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		die("pipe");
	pid_t pid = fork_or_die();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			if (write(to_parent[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	int64_t t0 = now_ns();
	for (long i = 0; i < PIPE_ITERS; i++) {
		if (write(to_child[1], &c, 1) != 1)
			die("write");
		if (read(to_parent[0], &c, 1) != 1)
			die("read");
	}
	int64_t ns = now_ns() - t0;
	close(to_child[1]);
	close(to_parent[0]);
	reap(pid);
	report("pipe_roundtrip", ns, PIPE_ITERS);
}

static void bench_fork(void)
{
	fflush(stdout);
	int64_t t0 = now_ns();
	for (long i = 0; i < FORK_ITERS; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid);
	}
	report("fork_exit_wait", now_ns() - t0, FORK_ITERS);
}

static volatile sig_atomic_t signal_hits;

static void on_signal(int sig)
{
	(void)sig;
	signal_hits++;
}

static void bench_signal(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t self = getpid();

	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		die("sigaction");
	int64_t t0 = now_ns();
	for (long i = 0; i < SIGNAL_ITERS; i++)
		kill(self, SIGUSR1);
	report("signal_handler", now_ns() - t0, SIGNAL_ITERS);
	if (signal_hits != SIGNAL_ITERS) {
		printf("bench: %d handler runs, want %d\n", (int)signal_hits, SIGNAL_ITERS);
		exit(1);
	}
}

/* The turn word: 0 for the main thread, 1 for the partner. */
static uint32_t turn;

static void take_turn(uint32_t me)
{
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != me)
		syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, 1 - me, NULL, NULL, 0);
}

static void give_turn(uint32_t to)
{
	__atomic_store_n(&turn, to, __ATOMIC_RELEASE);
	syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg)
{
	(void)arg;
	for (long i = 0; i < FUTEX_ITERS; i++) {
		take_turn(1);
		give_turn(0);
	}
	return NULL;
}

static void bench_futex(void)
{
	pthread_t t;

	turn = 0;
	if (pthread_create(&t, NULL, futex_partner, NULL))
		die("pthread_create");
	int64_t t0 = now_ns();
	for (long i = 0; i < FUTEX_ITERS; i++) {
		give_turn(1);
		take_turn(0);
	}
	int64_t ns = now_ns() - t0;
	pthread_join(t, NULL);
	report("futex_wake_run", ns, 2 * FUTEX_ITERS);
}

static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static long pp_turns;

/* Takes the odd (who 1) or even (who 0) turns up to MUTEX_ITERS. */
static void *mutex_turns(void *arg)
{
	long who = (long)(intptr_t)arg;

	pthread_mutex_lock(&pp_lock);
	while (pp_turns < MUTEX_ITERS) {
		while (pp_turns % 2 != who && pp_turns < MUTEX_ITERS)
			pthread_cond_wait(&pp_cond, &pp_lock);
		if (pp_turns < MUTEX_ITERS)
			pp_turns++;
		pthread_cond_signal(&pp_cond);
	}
	pthread_mutex_unlock(&pp_lock);
	return NULL;
}

static void bench_mutex(void)
{
	pthread_t t;

	int64_t t0 = now_ns();
	if (pthread_create(&t, NULL, mutex_turns, (void *)1))
		die("pthread_create");
	mutex_turns((void *)0);
	pthread_join(t, NULL);
	report("mutex_pingpong", now_ns() - t0, MUTEX_ITERS);
}

#include "bench_rows.h"
#include "bench_scheme.h"

static void *return_at_once(void *arg)
{
	return arg;
}

static void bench_threads(void)
{
	int64_t t0 = now_ns();
	for (long i = 0; i < THREAD_ITERS; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, return_at_once, NULL))
			die("pthread_create");
		pthread_join(t, NULL);
	}
	report("thread_create_join", now_ns() - t0, THREAD_ITERS);
}

/* The bench daemon: a 1-byte read is the empty request (answered 0 at
 * once); a longer one is filled from a buffer of its own, allocated in
 * the daemon (a static one would make every fork of the bench walk it). */
static uint8_t *bulk;

static int bench_daemon_read(struct scheme_server *srv, const struct scheme_request *q,
			     struct scheme_reply *r)
{
	uint64_t len = q->args[SCHEME_ARG_LEN];

	r->result = len <= 1 ? 0 : scheme_msg_write(srv, q->tag, 0, bulk, len < BULK_CHUNK ? len : BULK_CHUNK);
	return SCHEME_REPLY_NOW;
}

static int bench_daemon_open(struct scheme_server *srv, const struct scheme_request *q,
			     struct scheme_reply *r)
{
	(void)srv;
	(void)q;
	r->result = 1;
	return SCHEME_REPLY_NOW;
}

/* Starts the daemon serving "bench:"; its pid, or 0 where it cannot
 * register: the rows are then left out. */
static pid_t start_bench_daemon(void)
{
	int ready[2];
	char c;
	pid_t pid;

	if (pipe(ready))
		die("pipe");
	pid = fork_or_die();
	if (pid == 0) {
		struct scheme_server srv = { .ops = { [SCHEME_OP_OPEN] = bench_daemon_open,
						      [SCHEME_OP_READ] = bench_daemon_read } };

		bulk = calloc(1, BULK_CHUNK);
		srv.fd = bulk ? scheme_register_name("bench", O_CLOEXEC) : -1;
		c = srv.fd >= 0 ? 'R' : 'X';
		if (write(ready[1], &c, 1) != 1 || srv.fd < 0)
			_exit(0);
		scheme_serve(&srv);
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1 || c != 'R') {
		reap(pid);
		pid = 0;
	}
	close(ready[0]);
	return pid;
}

/* Reads BULK_TOTAL bytes from path in BULK_CHUNK reads; one op per read. */
static void bench_bulk(const char *name, const char *path)
{
	uint8_t *buf = malloc(BULK_CHUNK);
	int fd = open(path, O_RDONLY);
	int64_t t0;

	if (!buf || fd < 0)
		die(path);
	memset(buf, 1, BULK_CHUNK); /* fault the buffer in before the clock starts */
	t0 = now_ns();
	for (long done = 0; done < BULK_TOTAL; done += BULK_CHUNK)
		if (read(fd, buf, BULK_CHUNK) != BULK_CHUNK)
			die(name);
	report(name, now_ns() - t0, BULK_TOTAL / BULK_CHUNK);
	close(fd);
	free(buf);
}

static void bench_scheme(void)
{
	pid_t daemon = start_bench_daemon();

	if (!daemon)
		return;
	report("scheme_roundtrip", time_empty_reads("bench:", SCHEME_ITERS), SCHEME_ITERS);
	bench_bulk("scheme_read_1m", "bench:");
	kill(daemon, SIGKILL); /* the daemon serves until killed */
	waitpid(daemon, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], BENCH_EXIT_ARG) == 0)
		return 0; /* fork_exec_wait's child */
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_getppid();
	bench_yield();
	bench_pipe();
	bench_fork();
	bench_signal();
	bench_futex();
	bench_mutex();
	bench_threads();
	if (scheme_kernel_present())
		bench_scheme();
	/* Anode's kernel zero:, else (Linux) /dev/zero. */
	bench_bulk("zero_read_1m", scheme_kernel_present() ? "zero:" : "/dev/zero");
	bench_file_rows(argv[0]);
	return 0;
}
