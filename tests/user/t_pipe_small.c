/*
 * t_pipe_small: pipe reads and writes of one to eight bytes (a kernel may
 * move these through a register, a word at a time, instead of its general
 * copy), at every alignment of the user buffer.
 *
 * Every length 1..8 at every offset 0..7 of the buffer goes through a pipe
 * and back intact, the bytes around the buffer untouched by the read. A
 * buffer that ends at the last byte before a PROT_NONE page works; one
 * that reaches into it gives EFAULT: a write takes nothing, a read leaves
 * the bytes in the pipe for the next read. A small write with a bad
 * buffer still fails first with EPIPE when no reader is left (SIGPIPE
 * ignored) and with EAGAIN when an O_NONBLOCK pipe is full, as on Linux.
 * Prints "PASS: t_pipe_small" or "FAIL: t_pipe_small: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WORD 8			/* the largest length tried: one register */
#define GUARD 16		/* bytes checked on each side of a read's buffer */
#define FILL 0xa5		/* what those bytes hold */

#define FAIL(...) do { \
	printf("FAIL: t_pipe_small: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static unsigned char pattern(size_t len, size_t off, size_t i)
{
	return (unsigned char)(len * 31 + off * 7 + i + 1);
}

/* Every length at every alignment, each way. */
static void alignment_test(void)
{
	static unsigned char src[2 * WORD + WORD], dst[GUARD + 2 * WORD + GUARD];
	int fds[2];

	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	for (size_t len = 1; len <= WORD; len++) {
		for (size_t off = 0; off < WORD; off++) {
			unsigned char *s = src + off, *d = dst + GUARD + (WORD - 1 - off);

			for (size_t i = 0; i < len; i++)
				s[i] = pattern(len, off, i);
			memset(dst, FILL, sizeof(dst));
			if (write(fds[1], s, len) != (ssize_t)len)
				FAIL("write of %zu at offset %zu: %s", len, off, strerror(errno));
			if (read(fds[0], d, len) != (ssize_t)len)
				FAIL("read of %zu at offset %zu: %s", len, off, strerror(errno));
			for (size_t i = 0; i < sizeof(dst); i++) {
				size_t at = (size_t)(d - dst);
				unsigned char want = i >= at && i < at + len ? pattern(len, off, i - at) : FILL;

				if (dst[i] != want)
					FAIL("len %zu offset %zu: byte %zu is %#x, not %#x", len, off, i,
					     dst[i], want);
			}
		}
	}
	close(fds[0]);
	close(fds[1]);
	printf("t_pipe_small: lengths 1..%d at offsets 0..%d ok\n", WORD, WORD - 1);
}

/* A page followed by a PROT_NONE page: its last bytes. */
static unsigned char *page_end(void)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	if (mprotect(p + page, (size_t)page, PROT_NONE) < 0)
		FAIL("mprotect: %s", strerror(errno));
	return p + page;
}

static void expect_fault(ssize_t n, const char *what, size_t len)
{
	if (n != -1 || errno != EFAULT)
		FAIL("%s of %zu crossing into PROT_NONE: %zd (%s), not EFAULT", what, len, n,
		     n < 0 ? strerror(errno) : "no error");
}

/* Buffers at a page's end: up to it works, past it faults and moves nothing. */
static void edge_test(void)
{
	unsigned char *end = page_end(), got[WORD];
	int fds[2];

	if (pipe2(fds, O_NONBLOCK) < 0)
		FAIL("pipe2: %s", strerror(errno));
	for (size_t len = 1; len <= WORD; len++) {
		for (size_t i = 0; i < len; i++)
			end[-(long)len + (long)i] = pattern(len, 0, i);
		if (write(fds[1], end - len, len) != (ssize_t)len)
			FAIL("write of %zu ending at the page's end: %s", len, strerror(errno));
		if (read(fds[0], end - len, len) != (ssize_t)len)
			FAIL("read of %zu ending at the page's end: %s", len, strerror(errno));
		for (size_t i = 0; i < len; i++)
			if (end[-(long)len + (long)i] != pattern(len, 0, i))
				FAIL("len %zu at the page's end: byte %zu wrong", len, i);
		/* One byte into the PROT_NONE page: nothing goes in. */
		expect_fault(write(fds[1], end - len + 1, len), "write", len);
		if (read(fds[0], got, 1) != -1 || errno != EAGAIN)
			FAIL("a faulting write of %zu left bytes in the pipe", len);
		/* A read that faults leaves the bytes for the next one. */
		if (write(fds[1], end - len, len) != (ssize_t)len)
			FAIL("write of %zu: %s", len, strerror(errno));
		expect_fault(read(fds[0], end - len + 1, len), "read", len);
		if (read(fds[0], got, len) != (ssize_t)len)
			FAIL("a faulting read of %zu took bytes", len);
		for (size_t i = 0; i < len; i++)
			if (got[i] != pattern(len, 0, i))
				FAIL("after a faulting read of %zu: byte %zu wrong", len, i);
	}
	close(fds[0]);
	close(fds[1]);
	printf("t_pipe_small: page-end buffers ok, EFAULT moves nothing\n");
}

/* EPIPE and EAGAIN come before a bad buffer's EFAULT. */
static void error_order_test(void)
{
	unsigned char *bad = page_end(), byte = 0;
	int fds[2];
	long n = 0;

	if (pipe2(fds, O_NONBLOCK) < 0)
		FAIL("pipe2: %s", strerror(errno));
	while (write(fds[1], &byte, 1) == 1)
		n++;
	if (errno != EAGAIN || n == 0)
		FAIL("filling the pipe: %s after %ld bytes", strerror(errno), n);
	if (write(fds[1], bad, 1) != -1 || errno != EAGAIN)
		FAIL("a bad 1-byte write to a full O_NONBLOCK pipe: %s, not EAGAIN", strerror(errno));
	close(fds[0]);
	if (write(fds[1], bad, 1) != -1 || errno != EPIPE)
		FAIL("a bad 1-byte write with no reader: %s, not EPIPE", strerror(errno));
	close(fds[1]);
	printf("t_pipe_small: EAGAIN and EPIPE before EFAULT ok\n");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	alignment_test();
	edge_test();
	error_order_test();
	printf("PASS: t_pipe_small\n");
	return 0;
}
