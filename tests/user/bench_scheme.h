/*
 * tests/user/bench_scheme.h: the empty scheme round trip as the benchmarks
 * time it (bench.c, bench_smp.c, bench_fs.c): open a daemon's file, one
 * read to warm both sides up (their first faults), then n one-byte reads
 * the daemon answers with 0 bytes. The includer provides
 * die(const char *) and now_ns().
 */
#ifndef BENCH_SCHEME_H
#define BENCH_SCHEME_H

#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

/* ns for n empty reads of path (the warm-up read not counted). */
static int64_t time_empty_reads(const char *path, long n)
{
	char c;
	int fd = open(path, O_RDONLY);
	int64_t t0;

	if (fd < 0)
		die(path);
	if (read(fd, &c, 1) != 0)
		die("scheme read");
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (read(fd, &c, 1) != 0)
			die("scheme read");
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

#endif
