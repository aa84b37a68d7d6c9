/*
 * bench_fs.c: one file row of tests/user/bench.c alone, for the profiler
 * (`make profile PROG=/tests/bench_fs ARGS="stat 20000"`): "stat N" stats
 * /tmp/bench_a/bench_b/bench_c N times, "open N" opens, reads 4 KiB and
 * closes it N times. Prints the figure as bench.c does, then exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#define FILE_BYTES 4096
#define DIR_A "/tmp/bench_a"
#define DIR_B DIR_A "/bench_b"
#define BENCH_FILE DIR_B "/bench_c"
#define NS_PER_S 1000000000LL

static void die(const char *what)
{
	printf("bench_fs: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void make_file(void)
{
	static char data[FILE_BYTES];
	int fd;

	if ((mkdir(DIR_A, 0755) != 0 && errno != EEXIST) || (mkdir(DIR_B, 0755) != 0 && errno != EEXIST))
		die("mkdir");
	memset(data, 'b', sizeof(data));
	fd = open(BENCH_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, sizeof(data)) != (ssize_t)sizeof(data) || close(fd) != 0)
		die(BENCH_FILE);
}

int main(int argc, char **argv)
{
	static char buf[FILE_BYTES];
	struct stat st;
	long n = argc > 2 ? atol(argv[2]) : 0;
	int64_t t0;

	if (argc != 3 || n <= 0 || (strcmp(argv[1], "stat") && strcmp(argv[1], "open"))) {
		printf("usage: bench_fs stat|open N\n");
		return 1;
	}
	make_file();
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
