/*
 * bench_file.h: the file the file-system benchmark rows read and stat,
 * /tmp/bench_a/bench_b/bench_c (4 KiB, three directories deep under /tmp,
 * which both Anode's and Linux's roots have), made afresh by each run.
 * Shared by bench.c (through bench_rows.h) and bench_fs.c (one row alone,
 * for the profiler); the includer provides die(const char *).
 */
#ifndef BENCH_FILE_H
#define BENCH_FILE_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define FILE_BYTES 4096
#define BENCH_DIR "/tmp/bench_a/bench_b"
#define BENCH_FILE BENCH_DIR "/bench_c"

static void mkdir_or_die(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die(path);
}

static void make_bench_file(void)
{
	static char data[FILE_BYTES];
	int fd;

	mkdir_or_die("/tmp/bench_a");
	mkdir_or_die(BENCH_DIR);
	memset(data, 'b', sizeof(data));
	fd = open(BENCH_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, sizeof(data)) != (ssize_t)sizeof(data) || close(fd) != 0)
		die(BENCH_FILE);
}

#endif
