/*
 * oomhog: not a t_* test: tests/qemu/test_limits.py runs it as init on a
 * small machine. It forks a hog that maps and touches memory in chunks
 * (each smaller than RAM, so mmap's overcommit check lets it) until the
 * out-of-memory killer kills it; the parent checks the hog died of SIGKILL,
 * then maps and touches memory of its own: the machine goes on.
 * Prints "PASS: oomhog" or "FAIL: oomhog: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "oomhog"
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1024UL * 1024)
#define CHUNK (16 * MiB)
#define AFTER (8 * MiB)
#define PAGE 4096

static void touch(volatile uint8_t *p, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
}

static void hog(void)
{
	for (;;) {
		void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			printf("oomhog: mmap: %s\n", strerror(errno));
			exit(1);
		}
		touch(p, CHUNK);
	}
}

int main(void)
{
	int st;
	pid_t pid;
	void *p;

	setvbuf(stdout, NULL, _IONBF, 0);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		hog();
	printf("oomhog: hog %d\n", pid);
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the hog's status %#x", st);
	p = mmap(NULL, AFTER, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap after: %s", strerror(errno));
	touch(p, AFTER);
	printf("PASS: oomhog\n");
	return 0;
}
