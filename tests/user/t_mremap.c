/*
 * t_mremap: mremap, madvise and msync as C libraries use them.
 * mremap shrinks in place (the tail faults), grows a private anonymous
 * mapping in place when the space after it is free and moves it otherwise
 * (MREMAP_MAYMOVE; contents kept, the old range unmapped), fails with
 * ENOMEM when it cannot grow without moving, EFAULT for an unmapped old
 * range, EINVAL for bad flags, an unaligned address or a zero new length;
 * madvise(MADV_DONTNEED) makes private anonymous pages read zero again and
 * leaves shared ones, other advice is accepted, a range with a hole is
 * ENOMEM (the mapped parts dropped all the same, as Linux does) and unknown advice EINVAL; msync checks its flags (EINVAL) and
 * the range (ENOMEM). Prints "PASS: t_mremap" or "FAIL: t_mremap: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mremap"
#include "check.h"
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 4
#define BIG_PAGES 64
#define BAD_ADVICE 0x7fff
#define BAD_FLAGS 0x100

static char *map_anon(size_t len, int flags)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

static void fill(char *p, size_t len, char seed)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = (char)(seed + i / PAGE);
}

static bool filled(const char *p, size_t len, char seed)
{
	for (size_t i = 0; i < len; i += PAGE)
		if (p[i] != (char)(seed + i / PAGE))
			return false;
	return true;
}

/* Whether touching addr kills a child with SIGSEGV (it is unmapped). */
static bool faults(volatile char *addr)
{
	pid_t pid = fork();
	int st;

	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		(void)*addr;
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static void test_mremap(void)
{
	/* One page more, made read-only: a separate mapping right after the
	 * PAGES that the test resizes, so growing them must move. */
	char *p = map_anon((PAGES + 1) * PAGE, MAP_PRIVATE), *q, *r, *blocker = p + PAGES * PAGE;

	CHECK(mprotect(blocker, PAGE, PROT_READ) == 0, "mprotect");
	fill(p, PAGES * PAGE, 'a');
	q = mremap(p, PAGES * PAGE, 2 * PAGE, 0);
	CHECK(q == p && filled(p, 2 * PAGE, 'a'), "shrink in place");
	CHECK(faults(p + 2 * PAGE), "shrunk tail still mapped");
	/* Grow in place into the (now free) tail. */
	q = mremap(p, 2 * PAGE, PAGES * PAGE, 0);
	CHECK(q == p, "grow in place: %s", strerror(errno));
	CHECK(filled(p, 2 * PAGE, 'a') && p[3 * PAGE] == 0, "grown contents");
	fill(p, PAGES * PAGE, 'k');
	CHECK_ERR(mremap(p, PAGES * PAGE, BIG_PAGES * PAGE, 0) == MAP_FAILED ? -1 : 0, ENOMEM, "grow blocked");
	CHECK(filled(p, PAGES * PAGE, 'k'), "failed grow changed the mapping");
	r = mremap(p, PAGES * PAGE, BIG_PAGES * PAGE, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED && r != p, "move: %s", strerror(errno));
	CHECK(filled(r, PAGES * PAGE, 'k') && r[(BIG_PAGES - 1) * PAGE] == 0, "moved contents");
	CHECK(faults(p), "old range still mapped after a move");
	r[(BIG_PAGES - 1) * PAGE] = 'z';
	CHECK(munmap(r, BIG_PAGES * PAGE) == 0 && munmap(blocker, PAGE) == 0, "munmap");
	/* Bad arguments change nothing. */
	q = map_anon(PAGE, MAP_PRIVATE);
	q[0] = 'q';
	CHECK_ERR(mremap(q, PAGE, 2 * PAGE, BAD_FLAGS) == MAP_FAILED ? -1 : 0, EINVAL, "bad flags");
	CHECK_ERR(mremap(q + 1, PAGE, 2 * PAGE, 0) == MAP_FAILED ? -1 : 0, EINVAL, "unaligned");
	CHECK_ERR(syscall(SYS_mremap, q, PAGE, 0, 0) == -1 ? -1 : 0, EINVAL, "zero new length");
	CHECK_ERR(mremap(q + 16 * PAGE * 1024, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0,
		  EFAULT, "unmapped old range");
	CHECK(q[0] == 'q', "failed calls changed the mapping");
	munmap(q, PAGE);
	printf("t_mremap: mremap ok\n");
}

static void test_madvise(void)
{
	char *p = map_anon(PAGES * PAGE, MAP_PRIVATE), *s = map_anon(PAGE, MAP_SHARED);

	fill(p, PAGES * PAGE, 'm');
	s[0] = 's';
	CHECK(madvise(p + PAGE, PAGE, MADV_DONTNEED) == 0, "DONTNEED: %s", strerror(errno));
	CHECK(p[PAGE] == 0 && p[0] == 'm' && p[2 * PAGE] == (char)('m' + 2), "DONTNEED contents");
	CHECK(madvise(s, PAGE, MADV_DONTNEED) == 0 && s[0] == 's', "DONTNEED on shared memory");
	CHECK(madvise(p, PAGES * PAGE, MADV_WILLNEED) == 0 && madvise(p, PAGE, MADV_SEQUENTIAL) == 0 &&
	      madvise(p, PAGE, MADV_NORMAL) == 0, "advice");
	CHECK_ERR(madvise(p, PAGE, BAD_ADVICE), EINVAL, "bad advice");
	CHECK_ERR(madvise(p + 1, PAGE, MADV_NORMAL), EINVAL, "unaligned");
	munmap(p + 2 * PAGE, PAGE);
	CHECK_ERR(madvise(p, PAGES * PAGE, MADV_DONTNEED), ENOMEM, "range with a hole");
	CHECK(p[0] == 0, "DONTNEED over a hole: Linux drops the mapped parts");
	CHECK(msync(p, PAGE, MS_SYNC) == 0 && msync(p, PAGE, MS_ASYNC | MS_INVALIDATE) == 0, "msync");
	CHECK_ERR(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL, "msync both");
	CHECK_ERR(msync(p, PAGE, BAD_FLAGS), EINVAL, "msync bad flags");
	CHECK_ERR(msync(p, PAGES * PAGE, MS_SYNC), ENOMEM, "msync hole");
	printf("t_mremap: madvise, msync ok\n");
}

int main(void)
{
	test_mremap();
	test_madvise();
	printf("PASS: t_mremap\n");
	return 0;
}
