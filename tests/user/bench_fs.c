/*
 * bench_fs.c: one file row of tests/user/bench.c alone, for the profiler
 * (`make profile PROG=/tests/bench_fs ARGS="stat 20000"`): "stat N" stats
 * /tmp/bench_a/bench_b/bench_c N times, "open N" opens, reads 4 KiB and
 * closes it N times, "scheme N" reads 0 bytes N times from a forked
 * daemon's "bfs:" (an empty round trip). Prints the figure as bench.c
 * does, then exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "libscheme.h"
#include "usfork.h"

#define NS_PER_S 1000000000LL

static void die(const char *what)
{
	printf("bench_fs: %s: %s\n", what, strerror(errno));
	exit(1);
}

#include "bench_file.h"

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

#include "bench_scheme.h"

static void run_daemon(int notify_fd)
{
	static struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = usfork_open_one, [SCHEME_OP_READ] = usfork_read_none,
	} };

	usfork_serve(&srv, "bfs", notify_fd);
}

/* The daemon serving "bfs:" (empty reads); its pid. */
static pid_t start_daemon(void)
{
	int rd = 0;
	pid_t pid = usfork_daemon(run_daemon, &rd);

	if (pid < 0 || usfork_next(rd) != USFORK_READY)
		die("daemon");
	close(rd);
	return pid;
}

int main(int argc, char **argv)
{
	static char buf[FILE_BYTES];
	struct stat st;
	long n = argc > 2 ? atol(argv[2]) : 0;
	int64_t t0;

	if (argc != 3 || n <= 0 ||
	    (strcmp(argv[1], "stat") && strcmp(argv[1], "open") && strcmp(argv[1], "scheme"))) {
		printf("usage: bench_fs stat|open|scheme N\n");
		return 1;
	}
	if (argv[1][1] == 'c') {
		pid_t pid = start_daemon();

		printf("bench: scheme %lld ns/op\n", (long long)(time_empty_reads("bfs:", n) / n));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 0;
	}
	make_bench_file();
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (argv[1][0] == 's') {
			if (stat(BENCH_FILE, &st) != 0)
				die("stat");
			continue;
		}
		int fd = open(BENCH_FILE, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || close(fd) != 0)
			die(BENCH_FILE);
	}
	printf("bench: %s %lld ns/op\n", argv[1], (long long)((now_ns() - t0) / n));
	return 0;
}
