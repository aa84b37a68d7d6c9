/*
 * t_pipe: pipes between processes.
 *
 * A child writes a patterned stream larger than a pipe's buffer; the parent
 * reads it back intact and then sees end-of-file once the writer has exited
 * (and its own write end is closed). Writing with no reader left fails with
 * EPIPE (SIGPIPE is ignored so that Linux, like Anode, just returns the
 * error). An O_NONBLOCK pipe's empty read fails with EAGAIN. O_CLOEXEC shows
 * as FD_CLOEXEC through fcntl(F_GETFD), and only when asked for.
 * Prints "PASS: t_pipe" or "FAIL: t_pipe: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STREAM_BYTES (256 * 1024)	/* several pipe buffers' worth */

#define FAIL(...) do { \
	printf("FAIL: t_pipe: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 10));
}

static void stream_test(void)
{
	static unsigned char buf[4096];
	int fds[2];

	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		for (size_t off = 0; off < STREAM_BYTES;) {
			size_t n = STREAM_BYTES - off < 1000 ? STREAM_BYTES - off : 1000;
			for (size_t i = 0; i < n; i++)
				buf[i] = pattern(off + i);
			ssize_t w = write(fds[1], buf, n);
			if (w <= 0)
				_exit(2);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);

	size_t total = 0;
	for (;;) {
		ssize_t n = read(fds[0], buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			FAIL("read: %s", strerror(errno));
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != pattern(total + (size_t)i))
				FAIL("byte %zu is %#x, want %#x", total + (size_t)i,
				     buf[i], pattern(total + (size_t)i));
		total += (size_t)n;
	}
	if (total != STREAM_BYTES)
		FAIL("read %zu bytes before EOF, want %d", total, STREAM_BYTES);
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		FAIL("writer child failed (status %#x)", status);
	/* EOF stays EOF. */
	if (read(fds[0], buf, sizeof(buf)) != 0)
		FAIL("second read after EOF did not return 0");
	close(fds[0]);
	printf("t_pipe: %d bytes through a pipe, then EOF ok\n", STREAM_BYTES);
}

static void epipe_test(void)
{
	int fds[2];

	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	/* The only reader is a child that closes it and exits. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		close(fds[1]);
		_exit(0);
	}
	close(fds[0]);
	waitpid(pid, NULL, 0);
	errno = 0;
	ssize_t w = write(fds[1], "x", 1);
	if (w != -1 || errno != EPIPE)
		FAIL("write with no reader returned %zd, errno %d, want -1/EPIPE",
		     w, errno);
	close(fds[1]);
	printf("t_pipe: write with no reader -> EPIPE ok\n");
}

static void nonblock_test(void)
{
	int fds[2];
	char c;

	if (pipe2(fds, O_NONBLOCK) < 0)
		FAIL("pipe2(O_NONBLOCK): %s", strerror(errno));
	if (!(fcntl(fds[0], F_GETFL) & O_NONBLOCK))
		FAIL("F_GETFL does not show O_NONBLOCK");
	errno = 0;
	ssize_t n = read(fds[0], &c, 1);
	if (n != -1 || errno != EAGAIN)
		FAIL("empty O_NONBLOCK read returned %zd, errno %d, want -1/EAGAIN",
		     n, errno);
	if (write(fds[1], "y", 1) != 1 || read(fds[0], &c, 1) != 1 || c != 'y')
		FAIL("O_NONBLOCK pipe does not carry a byte");
	close(fds[0]);
	close(fds[1]);
	printf("t_pipe: O_NONBLOCK read of an empty pipe -> EAGAIN ok\n");
}

static void cloexec_test(void)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		FAIL("pipe2(O_CLOEXEC): %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		if (fcntl(fds[i], F_GETFD) != FD_CLOEXEC)
			FAIL("pipe2(O_CLOEXEC) end %d: F_GETFD is %d, want FD_CLOEXEC",
			     i, fcntl(fds[i], F_GETFD));
	if (fcntl(fds[0], F_SETFD, 0) < 0 || fcntl(fds[0], F_GETFD) != 0)
		FAIL("F_SETFD 0 did not clear FD_CLOEXEC");
	close(fds[0]);
	close(fds[1]);

	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		if (fcntl(fds[i], F_GETFD) != 0)
			FAIL("plain pipe end %d has FD_CLOEXEC set", i);
	close(fds[0]);
	close(fds[1]);
	printf("t_pipe: O_CLOEXEC visible through F_GETFD ok\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	printf("t_pipe: start\n");
	stream_test();
	epipe_test();
	nonblock_test();
	cloexec_test();
	printf("PASS: t_pipe\n");
	return 0;
}
