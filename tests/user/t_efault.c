/*
 * t_efault: system calls given bad user pointers fail with EFAULT, and the
 * process survives.
 *
 * Every call that takes a pointer is made through syscall() with each of
 * BAD_POINTERS: an unmapped user address, the first address above user
 * space, and two kernel addresses (Anode's physmap and kernel image). Each
 * case is one Linux itself reports EFAULT for, on an object for which the
 * call would otherwise succeed: a pipe holding data, the regular file
 * /bin/true, the directory /bin, and for pwrite64 (the only call that
 * needs a writable, seekable file) Anode's null: device, whose writes read
 * the data they discard, or on Linux, whose /dev/null does not, a scratch
 * file SCRATCH. ioctl(TCGETS) on a pipe fails with ENOTTY, whatever the
 * pointer.
 * Prints "PASS: t_efault" or "FAIL: t_efault: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define FILE_PATH "/bin/true"		/* any readable regular file */
#define DIR_PATH "/bin"			/* any non-empty directory */
#define SCRATCH "/tmp/t_efault.tmp"	/* Linux: created, written and removed */
#define ANODE_NULL "null:"		/* Anode: seekable, reads what is written */

static void *const BAD_POINTERS[] = {
	(void *)1,				/* unmapped user page */
	(void *)0x0001000000000000,		/* just above user space */
	(void *)0xffff000000000000,		/* kernel: physmap */
	(void *)0xffffff0000000000,		/* kernel: image */
};
#define NBAD (sizeof(BAD_POINTERS) / sizeof(BAD_POINTERS[0]))

static int failures, passes;

#define FAIL(...) do { \
	printf("FAIL: t_efault: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* Check one call's result (errno is read here, right after the call). */
static void expect(const char *what, const void *bad, long ret, int want)
{
	int err = errno;
	if (ret == -1 && err == want) {
		passes++;
		return;
	}
	printf("t_efault: %s with %p returned %ld, errno %d (%s), want -1/%s\n",
	       what, bad, ret, err, strerror(err), want == EFAULT ? "EFAULT" : "ENOTTY");
	failures++;
}

#define CASE(want, what, bad, ...) \
	(errno = 0, expect(what, bad, syscall(__VA_ARGS__), want))

/* A child that exits at once, for wait4 to report. */
static pid_t exiting_child(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	return pid;
}

int main(void)
{
	int pipefd[2], file_fd, scratch_fd;
	char buf[64];
	struct stat st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_efault: start\n");
	file_fd = open(FILE_PATH, O_RDONLY);
	if (file_fd < 0)
		FAIL("open %s: %s", FILE_PATH, strerror(errno));
	int on_anode = (scratch_fd = open(ANODE_NULL, O_RDWR)) >= 0;
	if (!on_anode) {
		scratch_fd = open(SCRATCH, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (scratch_fd < 0)
			FAIL("cannot create the scratch file %s for pwrite64: %s",
			     SCRATCH, strerror(errno));
		if (write(scratch_fd, "scratch data\n", 13) != 13)
			FAIL("write %s: %s", SCRATCH, strerror(errno));
	}

	for (size_t i = 0; i < NBAD; i++) {
		void *bad = BAD_POINTERS[i];
		struct iovec bad_base = { bad, 16 };
		char *const argv[] = { FILE_PATH, NULL }, *const envp[] = { NULL };

		/* A fresh pipe holding data, so a good buffer would be filled. */
		if (pipe(pipefd) < 0)
			FAIL("pipe: %s", strerror(errno));
		if (write(pipefd[1], "0123456789abcdef", 16) != 16)
			FAIL("refilling the pipe: %s", strerror(errno));

		CASE(EFAULT, "read", bad, SYS_read, pipefd[0], bad, 16);
		CASE(EFAULT, "write", bad, SYS_write, pipefd[1], bad, 16);
		CASE(EFAULT, "readv (iov array)", bad, SYS_readv, pipefd[0], bad, 1);
		CASE(EFAULT, "readv (iov_base)", bad, SYS_readv, pipefd[0], &bad_base, 1);
		CASE(EFAULT, "writev (iov array)", bad, SYS_writev, pipefd[1], bad, 1);
		CASE(EFAULT, "writev (iov_base)", bad, SYS_writev, pipefd[1], &bad_base, 1);
		CASE(EFAULT, "pread64", bad, SYS_pread64, file_fd, bad, 16, 0);
		CASE(EFAULT, "pwrite64", bad, SYS_pwrite64, scratch_fd, bad, 8, 0);
		CASE(EFAULT, "openat (path)", bad, SYS_openat, AT_FDCWD, bad, O_RDONLY);
		CASE(EFAULT, "newfstatat (path)", bad, SYS_newfstatat, AT_FDCWD, bad, &st, 0);
		CASE(EFAULT, "newfstatat (stat)", bad, SYS_newfstatat, AT_FDCWD, FILE_PATH, bad, 0);
		CASE(EFAULT, "fstat", bad, SYS_fstat, file_fd, bad);

		int dir_fd = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
		if (dir_fd < 0)
			FAIL("open %s: %s", DIR_PATH, strerror(errno));
		CASE(EFAULT, "getdents64", bad, SYS_getdents64, dir_fd, bad, 4096);
		close(dir_fd);

		CASE(EFAULT, "pipe2", bad, SYS_pipe2, bad, 0);
		CASE(EFAULT, "clock_gettime", bad, SYS_clock_gettime, CLOCK_MONOTONIC, bad);
		CASE(EFAULT, "clock_getres", bad, SYS_clock_getres, CLOCK_MONOTONIC, bad);
		CASE(EFAULT, "gettimeofday", bad, SYS_gettimeofday, bad, NULL);
		CASE(EFAULT, "nanosleep", bad, SYS_nanosleep, bad, NULL);
		CASE(EFAULT, "uname", bad, SYS_uname, bad);
		CASE(EFAULT, "getcwd", bad, SYS_getcwd, bad, 4096);
		CASE(EFAULT, "chdir", bad, SYS_chdir, bad);
		CASE(EFAULT, "execve (path)", bad, SYS_execve, bad, argv, envp);
		CASE(EFAULT, "getrandom", bad, SYS_getrandom, bad, 16, 0);
		CASE(EFAULT, "prlimit64 (new)", bad, SYS_prlimit64, 0, RLIMIT_NOFILE, bad, NULL);
		CASE(EFAULT, "prlimit64 (old)", bad, SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, bad);
		CASE(ENOTTY, "ioctl(TCGETS) on a pipe", bad, SYS_ioctl, pipefd[0], TCGETS, bad);

		/* wait4 with a child to report: it may be reaped or not. */
		pid_t pid = exiting_child();
		CASE(EFAULT, "wait4 (status)", bad, SYS_wait4, pid, bad, 0, NULL);
		wait4(pid, NULL, 0, NULL);
		pid = exiting_child();
		CASE(EFAULT, "wait4 (rusage)", bad, SYS_wait4, pid, NULL, 0, bad);
		wait4(pid, NULL, 0, NULL);

		/* Still alive, and the pipe still works. */
		if (write(pipefd[1], "ok", 2) != 2 || read(pipefd[0], buf, sizeof(buf)) < 2)
			FAIL("the pipe stopped working");
		close(pipefd[0]);
		close(pipefd[1]);
		printf("t_efault: bad pointer %p done\n", bad);
	}

	struct termios tio;
	if (pipe(pipefd) < 0)
		FAIL("pipe: %s", strerror(errno));
	CASE(ENOTTY, "ioctl(TCGETS) on a pipe", &tio, SYS_ioctl, pipefd[0], TCGETS, &tio);
	close(pipefd[0]);
	close(pipefd[1]);

	if (pread(file_fd, buf, 4, 0) != 4 || memcmp(buf, "\177ELF", 4) != 0)
		FAIL("pread of %s no longer works", FILE_PATH);
	close(scratch_fd);
	if (!on_anode)
		unlink(SCRATCH);

	printf("t_efault: %d cases ok, %d wrong\n", passes, failures);
	if (failures)
		FAIL("%d call(s) did not fail as they should", failures);
	printf("PASS: t_efault\n");
	return 0;
}
