/*
 * t_wonly: write-only pages (PROT_WRITE without PROT_READ).
 *
 * Linux on arm64 (and x86) cannot make a page writable but not readable, so
 * write implies read: a PROT_WRITE page reads back what was written, from
 * user mode and through the kernel. Three ways to get such a page (mprotect
 * to PROT_WRITE in a forked child, so the page is copy-on-write; mapped
 * PROT_WRITE and then forked; mapped PROT_WRITE with no fork) meet four
 * accesses: a user-mode read, readv() whose iovec lies in the page (the
 * kernel's copy_from_user), write() of bytes from the page (copy_from_user
 * again, of data) and read() into the page (copy_to_user). Every case must
 * end with the right data; Anode used to spin forever on the first two
 * (the whole machine, in the kernel's case).
 * Each case runs in a child that the parent kills after CASE_TIMEOUT_MS, so
 * a spinning child is reported rather than waited for.
 * Prints "PASS: t_wonly" or "FAIL: t_wonly: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define DATA_OFF 1024   /* where the page holds MSG from the start */
#define READ_OFF 2048   /* where read() puts MSG; zero before */
#define MSG "bytes of a write-only page"
#define MSG_LEN (sizeof(MSG) - 1)
#define CASE_TIMEOUT_MS 10000
#define POLL_MS 10

#define FAIL(...) do { \
	printf("FAIL: t_wonly: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* In a child: exit status 1 with a reason. */
#define CHILD_CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("t_wonly: " __VA_ARGS__); \
		printf("\n"); \
		_exit(1); \
	} \
} while (0)

enum setup {
	AFTER_FORK,     /* mapped read-write; the child mprotects it to PROT_WRITE */
	MAPPED_FORKED,  /* mapped PROT_WRITE, then forked */
	MAPPED,         /* mapped PROT_WRITE by the child itself, no fork */
	SETUPS
};

enum access { USER_READ, READV_IOVEC, WRITE_FROM, READ_INTO, ACCESSES };

static const char *const setup_names[SETUPS] = {
	"mprotect(PROT_WRITE) after fork", "mapped PROT_WRITE and forked", "mapped PROT_WRITE",
};
static const char *const access_names[ACCESSES] = {
	"user-mode read", "readv with its iovec in the page", "write() from the page",
	"read() into the page",
};

static char dst[PAGE]; /* where readv puts its bytes */

/* A fresh private page: an iovec for readv at 0, MSG at DATA_OFF. */
static char *map_page(int prot)
{
	char *p = mmap(NULL, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec *iov = (struct iovec *)p;

	if (p == MAP_FAILED)
		return NULL;
	iov->iov_base = dst;
	iov->iov_len = MSG_LEN;
	memcpy(p + DATA_OFF, MSG, MSG_LEN);
	return p;
}

/* In the child: one access to the write-only page p; exits 0 if it gave MSG. */
static void child_access(char *p, enum access a)
{
	int fds[2];
	char buf[MSG_LEN];

	CHILD_CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	switch (a) {
	case USER_READ:
		CHILD_CHECK(memcmp((const char *)p + DATA_OFF, MSG, MSG_LEN) == 0, "wrong bytes read");
		break;
	case READV_IOVEC:
		CHILD_CHECK(write(fds[1], MSG, MSG_LEN) == (ssize_t)MSG_LEN, "write: %s", strerror(errno));
		CHILD_CHECK(readv(fds[0], (struct iovec *)p, 1) == (ssize_t)MSG_LEN, "readv: %s",
			    strerror(errno));
		CHILD_CHECK(memcmp(dst, MSG, MSG_LEN) == 0, "readv gave wrong bytes");
		break;
	case WRITE_FROM:
		CHILD_CHECK(write(fds[1], p + DATA_OFF, MSG_LEN) == (ssize_t)MSG_LEN, "write: %s",
			    strerror(errno));
		CHILD_CHECK(read(fds[0], buf, MSG_LEN) == (ssize_t)MSG_LEN, "read: %s", strerror(errno));
		CHILD_CHECK(memcmp(buf, MSG, MSG_LEN) == 0, "write() sent wrong bytes");
		break;
	case READ_INTO:
		CHILD_CHECK(write(fds[1], MSG, MSG_LEN) == (ssize_t)MSG_LEN, "write: %s", strerror(errno));
		CHILD_CHECK(read(fds[0], p + READ_OFF, MSG_LEN) == (ssize_t)MSG_LEN, "read: %s",
			    strerror(errno));
		CHILD_CHECK(memcmp((const char *)p + READ_OFF, MSG, MSG_LEN) == 0,
			    "read() put wrong bytes");
		break;
	default:
		_exit(1);
	}
	_exit(0);
}

/* Waits for pid at most CASE_TIMEOUT_MS, then kills it; its wait status. */
static int wait_bounded(pid_t pid, const char *what)
{
	const struct timespec poll = { 0, POLL_MS * 1000000L };
	int status;

	for (int waited = 0; waited < CASE_TIMEOUT_MS; waited += POLL_MS) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		CHECK(r >= 0, "%s: waitpid: %s", what, strerror(errno));
		if (r == pid)
			return status;
		nanosleep(&poll, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	FAIL("%s: still running after %d ms (spinning on a fault?)", what, CASE_TIMEOUT_MS);
}

static void run_case(enum setup s, enum access a)
{
	char what[128];
	char *p = NULL;
	int status;
	pid_t pid;

	snprintf(what, sizeof(what), "%s, %s", setup_names[s], access_names[a]);
	if (s != MAPPED) {
		p = map_page(s == AFTER_FORK ? PROT_READ | PROT_WRITE : PROT_WRITE);
		CHECK(p, "%s: mmap: %s", what, strerror(errno));
	}
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (s == AFTER_FORK)
			CHILD_CHECK(mprotect(p, PAGE, PROT_WRITE) == 0, "mprotect: %s", strerror(errno));
		if (s == MAPPED)
			CHILD_CHECK((p = map_page(PROT_WRITE)) != NULL, "mmap: %s", strerror(errno));
		child_access(p, a);
	}
	/* The parent keeps its mapping until the child is done: the page stays shared. */
	status = wait_bounded(pid, what);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: child %s %d", what,
	      WIFSIGNALED(status) ? "killed by signal" : "exited with",
	      WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	if (p)
		CHECK(munmap(p, PAGE) == 0, "munmap: %s", strerror(errno));
	printf("t_wonly: %s ok\n", what);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* User-mode reads first: on a broken kernel they spin only the child. */
	for (int a = 0; a < ACCESSES; a++)
		for (int s = 0; s < SETUPS; s++)
			run_case((enum setup)s, (enum access)a);
	printf("PASS: t_wonly\n");
	return 0;
}
