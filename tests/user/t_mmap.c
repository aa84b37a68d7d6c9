/*
 * t_mmap: memory system calls.
 *
 * Anonymous private memory is zero and private to each process after fork;
 * MAP_SHARED anonymous memory is seen by both; a read-only private mapping
 * of a file holds the file's bytes (and zeros past its end); writing to it,
 * or to memory made read-only by mprotect, or touching unmapped memory,
 * kills the toucher with SIGSEGV; W+X mappings are refused; brk grows and
 * shrinks the heap; bad arguments give EINVAL; a descriptor that is bad or
 * cannot be mapped gives EBADF or ENODEV (POSIX's errors), and a MAP_FIXED
 * that fails leaves the old mapping in place; lengths, addresses and offsets
 * whose sums wrap past 2^64 (or past off_t) give Linux's errors, not success.
 * The wrap cases use raw system calls: musl's wrappers round and check
 * lengths themselves (its mprotect turns a length of ~0 into 0).
 * Prints "PASS: t_mmap" or "FAIL: t_mmap: <reason>".
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define PAGES 16
#define FILE_PATH "/etc/motd"
#define FILE_MAX 65536
#define BAD_FD 12345
#define TOP_PAGE (~0UL & ~(unsigned long)(PAGE - 1))  /* the last page of the 64-bit space */
/* The last page-aligned offset of off_t: off + a length passes off_t. */
#define OFF_LAST_PAGE ((off_t)(INT64_MAX & ~(int64_t)(PAGE - 1)))

#define FAIL(...) do { \
	printf("FAIL: t_mmap: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* Runs fn in a child; returns the signal that killed it, or 0. */
static int child_signal(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void write_byte(void *p)
{
	*(volatile char *)p = 1;
}

static void read_byte(void *p)
{
	(void)*(volatile char *)p;
}

static void test_private(void)
{
	char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED, "anonymous mmap: %s", strerror(errno));
	for (int i = 0; i < PAGES * PAGE; i++)
		CHECK(p[i] == 0, "anonymous memory not zero at %d", i);
	memset(p, 'p', PAGES * PAGE);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		memset(p, 'c', PAGES * PAGE);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "child failed");
	for (int i = 0; i < PAGES * PAGE; i++)
		CHECK(p[i] == 'p', "private page changed by the child at %d", i);
	CHECK(munmap(p, PAGES * PAGE) == 0, "munmap: %s", strerror(errno));
	CHECK(child_signal(read_byte, p) == SIGSEGV, "unmapped memory readable");
	printf("t_mmap: anonymous private memory ok\n");
}

static void test_shared(void)
{
	volatile int *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED, "shared mmap: %s", strerror(errno));
	p[0] = 1;
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* Both a page the parent touched and one nobody had touched. */
		p[0] = 42;
		p[PAGE / sizeof(int)] = 43;
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "child failed");
	CHECK(p[0] == 42 && p[PAGE / sizeof(int)] == 43, "shared writes not seen: %d %d",
	      p[0], p[PAGE / sizeof(int)]);
	munmap((void *)p, 2 * PAGE);
	printf("t_mmap: anonymous shared memory ok\n");
}

static void test_file(void)
{
	static char buf[FILE_MAX];
	int fd = open(FILE_PATH, O_RDONLY);
	ssize_t n;
	char *p;

	CHECK(fd >= 0, "open %s: %s", FILE_PATH, strerror(errno));
	n = read(fd, buf, sizeof(buf));
	CHECK(n > 0 && n < PAGE, "read %s: %zd", FILE_PATH, n);
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED,
	      "a shared writable mapping of a read-only file was allowed");
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "file mmap: %s", strerror(errno));
	CHECK(memcmp(p, buf, (size_t)n) == 0, "mapped bytes differ from the file");
	for (long i = n; i < PAGE; i++)
		CHECK(p[i] == 0, "byte %ld past the end of the file is not zero", i);
	CHECK(child_signal(write_byte, p) == SIGSEGV, "write to a read-only file mapping allowed");
	munmap(p, 2 * PAGE);
	close(fd);
	printf("t_mmap: read-only file mapping ok\n");
}

static void test_protect(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[0] = 'x';
	p[PAGE] = 'y';
	CHECK(mprotect(p, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	CHECK(p[0] == 'x', "contents lost by mprotect");
	CHECK(child_signal(write_byte, p) == SIGSEGV, "write to a read-only page allowed");
	CHECK(child_signal(write_byte, p + PAGE) == 0, "the second page lost its write permission");
	CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back: %s", strerror(errno));
	p[0] = 'z';
	CHECK(mprotect(p, PAGE, PROT_NONE) == 0, "mprotect none: %s", strerror(errno));
	CHECK(child_signal(read_byte, p) == SIGSEGV, "PROT_NONE page readable");
	munmap(p, 2 * PAGE);
	printf("t_mmap: mprotect ok\n");
}

static void test_errors(void)
{
	void *p;

	errno = 0;
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "zero-length mmap: errno %d", errno);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "mmap without MAP_PRIVATE or MAP_SHARED: errno %d", errno);
	errno = 0;
	CHECK(mmap((void *)(PAGE + 1), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	      MAP_FAILED && errno == EINVAL, "unaligned MAP_FIXED: errno %d", errno);
	errno = 0;
	CHECK(munmap((void *)(PAGE + 1), PAGE) == -1 && errno == EINVAL, "unaligned munmap: errno %d", errno);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 12345, 0) == MAP_FAILED && errno == EBADF,
	      "file mmap of a bad descriptor: errno %d", errno);
	/* The rest of the address space stays usable after the failures. */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap after errors: %s", strerror(errno));
	munmap(p, PAGE);
	printf("t_mmap: bad arguments refused ok\n");
}

/* Whether all n bytes at p are c. */
static int all_bytes(const char *p, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void test_bad_descriptors(void)
{
	int fds[2];

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, BAD_FD, 0) == MAP_FAILED && errno == EBADF,
	      "shared mmap of a bad descriptor: errno %d, not EBADF", errno);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fds[0], 0) == MAP_FAILED && errno == ENODEV,
	      "private mmap of a pipe: errno %d, not ENODEV", errno);
	errno = 0;
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fds[0], 0) == MAP_FAILED && errno == ENODEV,
	      "shared mmap of a pipe: errno %d, not ENODEV", errno);
	close(fds[0]);
	close(fds[1]);
	printf("t_mmap: EBADF and ENODEV ok\n");
}

/* Whether all n bytes at p are still c, checked in a child: a lost
 * mapping kills the child, not this test. */
static int still_bytes(const char *p, char c, size_t n)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(all_bytes(p, c, n) ? 0 : 1);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A MAP_FIXED over a live mapping that fails must leave that mapping whole. */
static void test_fixed_failure_keeps_old(void)
{
	int fds[2], fd = open(FILE_PATH, O_RDONLY);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(fd >= 0, "open %s: %s", FILE_PATH, strerror(errno));
	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(p, 'o', 2 * PAGE);
	const struct {
		const char *what;
		int fd, flags, err;
		off_t off;
	} cases[] = {
		{ "a bad descriptor", BAD_FD, MAP_PRIVATE, EBADF, 0 },
		{ "a bad descriptor, MAP_SHARED", BAD_FD, MAP_SHARED, EBADF, 0 },
		{ "an unaligned offset", fd, MAP_PRIVATE, EINVAL, 1 },
		{ "an offset whose end passes off_t", fd, MAP_PRIVATE, EOVERFLOW, OFF_LAST_PAGE },
		{ "a pipe", fds[0], MAP_PRIVATE, ENODEV, 0 },
		{ "a pipe, MAP_SHARED", fds[0], MAP_SHARED, ENODEV, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		errno = 0;
		CHECK(mmap(p, 2 * PAGE, PROT_READ, cases[i].flags | MAP_FIXED, cases[i].fd, cases[i].off) ==
		      MAP_FAILED && errno == cases[i].err, "MAP_FIXED with %s: errno %d, not %d",
		      cases[i].what, errno, cases[i].err);
		CHECK(still_bytes(p, 'o', 2 * PAGE), "a failed MAP_FIXED with %s lost the old mapping",
		      cases[i].what);
	}
	munmap(p, 2 * PAGE);
	close(fds[0]);
	close(fds[1]);
	close(fd);
	printf("t_mmap: failed MAP_FIXED keeps the old mapping ok\n");
}

/* A raw system call that must have failed with err (read at once, before
 * anything else can change errno). */
static void expect_errno(const char *what, long ret, int err)
{
	int e = errno;

	CHECK(ret == -1 && e == err, "%s: returned %ld, errno %d, not %d", what, ret, ret == -1 ? e : 0, err);
}

static void test_wrapping_ranges(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long brk_now = syscall(SYS_brk, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(p, 'w', 2 * PAGE);
	/* Rounded up to pages the length wraps to 0: the end is not past the start. */
	expect_errno("mprotect(p, ~0)", syscall(SYS_mprotect, p, ~0UL, PROT_READ), ENOMEM);
	expect_errno("mprotect(p, ~0 - 8192)", syscall(SYS_mprotect, p, ~0UL - 8192, PROT_READ), ENOMEM);
	expect_errno("mprotect of the top page", syscall(SYS_mprotect, TOP_PAGE, PAGE, PROT_READ), ENOMEM);
	expect_errno("munmap(p, ~0)", syscall(SYS_munmap, p, ~0UL), EINVAL);
	expect_errno("munmap over the top", syscall(SYS_munmap, TOP_PAGE, 2 * PAGE), EINVAL);
	expect_errno("mmap of ~0 bytes",
		     syscall(SYS_mmap, 0, ~0UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	expect_errno("mmap of ~0 - 8192 bytes",
		     syscall(SYS_mmap, 0, ~0UL - 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	expect_errno("MAP_FIXED over the top",
		     syscall(SYS_mmap, TOP_PAGE, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			     -1, 0), ENOMEM);
	CHECK(syscall(SYS_mprotect, p, 0, PROT_READ) == 0, "mprotect of 0 bytes failed");
	CHECK(all_bytes(p, 'w', 2 * PAGE), "a failed call changed the mapping");
	CHECK(child_signal(write_byte, p) == 0, "a failed mprotect took the write permission");
	CHECK(syscall(SYS_brk, ~0UL) == brk_now && syscall(SYS_brk, ~0UL - 4000) == brk_now,
	      "brk near 2^64 moved the break");
	munmap(p, 2 * PAGE);
	printf("t_mmap: wrapping ranges refused ok\n");
}

static void test_brk(void)
{
	char *start = (char *)syscall(SYS_brk, 0), *end;

	CHECK(start != NULL, "brk(0) returned 0");
	end = (char *)syscall(SYS_brk, start + 8 * PAGE);
	CHECK(end == start + 8 * PAGE, "brk did not grow: %p -> %p", (void *)start, (void *)end);
	memset(start, 'b', 8 * PAGE);
	CHECK((char *)syscall(SYS_brk, start + PAGE) == start + PAGE, "brk did not shrink");
	CHECK(child_signal(read_byte, start + 4 * PAGE) == SIGSEGV, "memory above a shrunk brk readable");
	CHECK((char *)syscall(SYS_brk, (char *)8) == start + PAGE, "brk below its start accepted");
	printf("t_mmap: brk ok\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_private();
	test_shared();
	test_file();
	test_protect();
	test_errors();
	test_bad_descriptors();
	test_fixed_failure_keeps_old();
	test_wrapping_ranges();
	test_brk();
	printf("PASS: t_mmap\n");
	return 0;
}
