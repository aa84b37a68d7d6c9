/*
 * t_shm: POSIX shared memory (shm_open, shm_unlink: files in /dev/shm,
 * mapped MAP_SHARED). O_CREAT|O_EXCL and EEXIST; a new object is empty,
 * ftruncate sizes it; a shared mapping's writes are seen through read,
 * by a forked child through the inherited mapping and its own new one,
 * and by an unrelated program (this one exec'd) that opens the name and
 * maps it, whose writes come back; a read-only descriptor maps read-only
 * (EACCES for PROT_WRITE, and by mprotect); musl's name checks (EINVAL);
 * shm_unlink, then ENOENT, the mapping still good.
 * Prints "PASS: t_shm" or "FAIL: t_shm: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "t_shm"
#include "check.h"

#define SHM "/t_shm_obj"
#define PAGE 4096
#define SIZE (2 * PAGE)
#define CHILD_ARG "exec-child"
#define MAGIC_PARENT 0x5eed
#define MAGIC_FORK 0xf0f0
#define MAGIC_FORK_NEW 0xf1f1
#define MAGIC_EXEC 0xe7ec

/* The exec'd program: a process sharing nothing with the test but the name. */
static int exec_child(void)
{
	int fd = shm_open(SHM, O_RDWR, 0);
	volatile uint32_t *p;

	if (fd < 0)
		return 1;
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || p[0] != MAGIC_PARENT || p[PAGE / 4] != MAGIC_PARENT + 1)
		return 2;
	p[3] = MAGIC_EXEC;
	return 0;
}

static void run_child(pid_t pid, const char *what)
{
	int st;

	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "%s: status %d", what, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	volatile uint32_t *p;
	struct stat st;
	uint32_t v;
	pid_t pid;
	int fd, ro;

	if (argc > 1 && !strcmp(argv[1], CHILD_ARG))
		return exec_child();
	shm_unlink(SHM); /* a leftover of an earlier failed run */

	fd = shm_open(SHM, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0, "shm_open O_CREAT|O_EXCL: %s", strerror(errno));
	CHECK_ERR(shm_open(SHM, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST, "second O_EXCL");
	CHECK_ERR(shm_open("/a/b", O_RDWR | O_CREAT, 0600), EINVAL, "a name with '/'");
	CHECK_ERR(shm_open("/..", O_RDWR | O_CREAT, 0600), EINVAL, "name ..");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0 && S_ISREG(st.st_mode), "new object: size %lld",
	      (long long)st.st_size);
	CHECK(ftruncate(fd, SIZE) == 0, "ftruncate: %s", strerror(errno));
	CHECK(fstat(fd, &st) == 0 && st.st_size == SIZE, "size after ftruncate %lld",
	      (long long)st.st_size);

	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap shared: %s", strerror(errno));
	CHECK(p[0] == 0 && p[SIZE / 4 - 1] == 0, "a new object reads zeros");
	p[0] = MAGIC_PARENT;
	p[PAGE / 4] = MAGIC_PARENT + 1;
	CHECK(pread(fd, &v, sizeof(v), PAGE) == sizeof(v) && v == MAGIC_PARENT + 1,
	      "read sees the mapping's write: %x", v);
	v = MAGIC_PARENT + 2;
	CHECK(pwrite(fd, &v, sizeof(v), 4) == sizeof(v) && p[1] == MAGIC_PARENT + 2,
	      "the mapping sees write: %x", p[1]);

	pid = fork();
	if (pid == 0) {
		volatile uint32_t *q = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (q == MAP_FAILED || q[0] != MAGIC_PARENT)
			_exit(1);
		p[2] = MAGIC_FORK;      /* the inherited mapping */
		q[PAGE / 4 + 1] = MAGIC_FORK_NEW; /* a mapping of its own */
		_exit(0);
	}
	run_child(pid, "forked child");
	CHECK(p[2] == MAGIC_FORK && p[PAGE / 4 + 1] == MAGIC_FORK_NEW,
	      "the child's writes: %x %x", p[2], p[PAGE / 4 + 1]);

	pid = fork();
	if (pid == 0) {
		execl(argv[0], argv[0], CHILD_ARG, (char *)NULL);
		_exit(127);
	}
	run_child(pid, "exec'd program");
	CHECK(p[3] == MAGIC_EXEC, "the exec'd program's write: %x", p[3]);

	ro = shm_open(SHM, O_RDONLY, 0);
	CHECK(ro >= 0, "open read-only: %s", strerror(errno));
	CHECK(mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED &&
	      errno == EACCES, "writable shared mapping of a read-only descriptor: %s",
	      strerror(errno));
	volatile uint32_t *view = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(view != MAP_FAILED && view[3] == MAGIC_EXEC, "read-only view");
	CHECK_ERR(mprotect((void *)view, SIZE, PROT_READ | PROT_WRITE), EACCES,
		  "mprotect a read-only descriptor's view writable");
	close(ro);

	CHECK(shm_unlink(SHM) == 0, "shm_unlink: %s", strerror(errno));
	CHECK_ERR(shm_open(SHM, O_RDWR, 0), ENOENT, "open after unlink");
	CHECK_ERR(shm_unlink(SHM), ENOENT, "second unlink");
	p[4] = MAGIC_PARENT;
	CHECK(view[4] == MAGIC_PARENT, "mappings live on after unlink");
	munmap((void *)p, SIZE);
	munmap((void *)view, SIZE);
	close(fd);
	printf("PASS: t_shm\n");
	return 0;
}
