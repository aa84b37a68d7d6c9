/*
 * t_pipe: pipes between processes.
 *
 * A child writes a patterned stream larger than a pipe's buffer; the parent
 * reads it back intact and then sees end-of-file once the writer has exited
 * (and its own write end is closed). Writing with no reader left fails with
 * EPIPE (SIGPIPE is ignored so that Linux, like Anode, just returns the
 * error). An O_NONBLOCK pipe's empty read fails with EAGAIN. O_CLOEXEC shows
 * as FD_CLOEXEC through fcntl(F_GETFD), and only when asked for.
 * Writes of PIPE_BUF bytes from several writers arrive whole; two readers
 * of one pipe never get the same bytes; descriptor calls that fail (dup,
 * dup3, fcntl F_DUPFD) leave no reference behind, so the reader still sees
 * end-of-file.
 * Prints "PASS: t_pipe" or "FAIL: t_pipe: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define STREAM_BYTES (256 * 1024)	/* several pipe buffers' worth */
#define ATOMIC_WRITERS 3
#define ATOMIC_RECORDS 48		/* PIPE_BUF-byte records per writer */
#define ATOMIC_READ 1000		/* the reader's read size: not a divisor of PIPE_BUF */
#define SEQ_RECORDS 4096		/* numbered records for the two readers */
#define SEQ_READERS 2
#define HUGE_FD 100000			/* beyond any descriptor limit */
#define FD_FILL_MAX 4096		/* fill the table only if the limit is this small */

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

/* Forks a child that closes other_end (its copy of the pipe's other end)
 * and exits with fn(fd, arg). */
static pid_t spawn(int (*fn)(int, int), int fd, int arg, int other_end)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		close(other_end);
		_exit(fn(fd, arg));
	}
	return pid;
}

static void reap(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("%s child failed (status %#x)", what, status);
}

/* Reads exactly n bytes, ATOMIC_READ at a time, yielding after each read
 * so that writers run while the pipe has only a little room (on one CPU
 * they would otherwise mostly find it empty); 0 at EOF. */
static size_t read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got < ATOMIC_READ ? n - got : ATOMIC_READ);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		sched_yield();
	}
	return got;
}

static int atomic_writer(int fd, int id)
{
	static unsigned char rec[PIPE_BUF];

	memset(rec, 'A' + id, sizeof(rec));
	for (int i = 0; i < ATOMIC_RECORDS; i++)
		if (write(fd, rec, sizeof(rec)) != (ssize_t)sizeof(rec))
			return 2;
	return 0;
}

/* Several writers each write PIPE_BUF-byte records of their own byte;
 * POSIX makes each write atomic, so at every multiple of PIPE_BUF in the
 * stream a whole record of one byte starts. The reader takes less than a
 * record per read, so the writers keep finding room for only part of one. */
static void atomic_test(void)
{
	static unsigned char rec[PIPE_BUF];
	int fds[2], counts[ATOMIC_WRITERS] = { 0 };
	pid_t pids[ATOMIC_WRITERS];

	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	for (int w = 0; w < ATOMIC_WRITERS; w++)
		pids[w] = spawn(atomic_writer, fds[1], w, fds[0]);
	close(fds[1]);
	for (int r = 0;; r++) {
		size_t got = read_full(fds[0], rec, sizeof(rec));
		if (got == 0)
			break;
		if (got != sizeof(rec))
			FAIL("stream ended inside record %d (%zu bytes)", r, got);
		for (size_t i = 0; i < sizeof(rec); i++)
			if (rec[i] != rec[0])
				FAIL("record %d mixes writers: byte %zu is %c after %c", r, i, rec[i], rec[0]);
		if (rec[0] < 'A' || rec[0] >= 'A' + ATOMIC_WRITERS)
			FAIL("record %d holds unknown byte %#x", r, rec[0]);
		counts[rec[0] - 'A']++;
	}
	for (int w = 0; w < ATOMIC_WRITERS; w++) {
		reap(pids[w], "atomic writer");
		if (counts[w] != ATOMIC_RECORDS)
			FAIL("writer %d: %d records arrived, want %d", w, counts[w], ATOMIC_RECORDS);
	}
	close(fds[0]);
	printf("t_pipe: %d writers x %d records of PIPE_BUF bytes arrived whole ok\n",
	       ATOMIC_WRITERS, ATOMIC_RECORDS);
}

struct seq_record {
	uint32_t seq, check;
};
#define SEQ_CHECK(seq) (~(seq) * 2654435761u)

/* Filled by the two readers: seen[r][seq] counts how often reader r got
 * record seq (shared memory, so the parent can compare). */
static unsigned char (*seen)[SEQ_RECORDS];

static int seq_reader(int fd, int r)
{
	struct seq_record rec;

	for (;;) {
		ssize_t n = read(fd, &rec, sizeof(rec));
		if (n == 0)
			return 0;
		if (n != (ssize_t)sizeof(rec))
			return 3; /* a torn record: writes of 8 bytes are atomic */
		if (rec.seq >= SEQ_RECORDS || rec.check != SEQ_CHECK(rec.seq))
			return 4;
		seen[r][rec.seq]++;
	}
}

/* Two processes read one pipe: every record written is read exactly once,
 * by one of them. */
static void two_readers_test(void)
{
	int fds[2];
	pid_t pids[SEQ_READERS];

	seen = mmap(NULL, sizeof(*seen) * SEQ_READERS, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (seen == MAP_FAILED)
		FAIL("mmap shared: %s", strerror(errno));
	if (pipe(fds) < 0)
		FAIL("pipe: %s", strerror(errno));
	for (int r = 0; r < SEQ_READERS; r++)
		pids[r] = spawn(seq_reader, fds[0], r, fds[1]);
	close(fds[0]);
	for (uint32_t i = 0; i < SEQ_RECORDS; i++) {
		struct seq_record rec = { i, SEQ_CHECK(i) };
		if (write(fds[1], &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
			FAIL("write of record %u: %s", i, strerror(errno));
	}
	close(fds[1]);
	for (int r = 0; r < SEQ_READERS; r++)
		reap(pids[r], "reader");
	for (int i = 0; i < SEQ_RECORDS; i++)
		if (seen[0][i] + seen[1][i] != 1)
			FAIL("record %d read %d + %d times", i, seen[0][i], seen[1][i]);
	munmap(seen, sizeof(*seen) * SEQ_READERS);
	printf("t_pipe: two readers got each of %d records once ok\n", SEQ_RECORDS);
}

/* The write end's failed duplications must not keep the pipe open: after
 * they fail and the one real write end is closed, the reader sees EOF. */
static void failed_dup_test(void)
{
	int fds[2];
	char c;
	struct rlimit lim;

	if (pipe2(fds, O_NONBLOCK) < 0)
		FAIL("pipe2: %s", strerror(errno));
	errno = 0;
	if (fcntl(fds[1], F_DUPFD, HUGE_FD) != -1 || errno != EINVAL)
		FAIL("F_DUPFD %d: errno %d, want EINVAL", HUGE_FD, errno);
	errno = 0;
	if (fcntl(fds[1], F_DUPFD_CLOEXEC, HUGE_FD) != -1 || errno != EINVAL)
		FAIL("F_DUPFD_CLOEXEC %d: errno %d, want EINVAL", HUGE_FD, errno);
	errno = 0;
	if (dup3(fds[1], HUGE_FD, 0) != -1 || errno != EBADF)
		FAIL("dup3 to %d: errno %d, want EBADF", HUGE_FD, errno);
	errno = 0;
	if (dup3(fds[1], fds[1] + 1, ~O_CLOEXEC) != -1 || errno != EINVAL)
		FAIL("dup3 with bad flags: errno %d, want EINVAL", errno);
	/* A full table: dup, F_DUPFD and pipe2 fail with EMFILE. */
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur <= FD_FILL_MAX) {
		int spare[2];
		while (dup(fds[1]) >= 0)
			;
		if (errno != EMFILE)
			FAIL("dup on a full table: errno %d, want EMFILE", errno);
		errno = 0;
		if (fcntl(fds[1], F_DUPFD, 0) != -1 || errno != EMFILE)
			FAIL("F_DUPFD on a full table: errno %d, want EMFILE", errno);
		/* One free slot: pipe2 needs two. */
		close(fds[1] + 1);
		errno = 0;
		if (pipe(spare) != -1 || errno != EMFILE)
			FAIL("pipe with one free descriptor: errno %d, want EMFILE", errno);
		for (int fd = fds[1] + 1; fd < (int)lim.rlim_cur; fd++)
			close(fd);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], &c, 1);
	if (n != 0)
		FAIL("read after the last writer closed: %zd (errno %d), want 0 (EOF): "
		     "a failed dup kept a reference", n, errno);
	close(fds[0]);
	printf("t_pipe: failed dup/dup3/F_DUPFD/pipe leave no reference ok\n");
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
	failed_dup_test();
	atomic_test();
	two_readers_test();
	printf("PASS: t_pipe\n");
	return 0;
}
