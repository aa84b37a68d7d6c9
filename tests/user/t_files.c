/*
 * t_files: descriptors and file system calls: dup, dup3, fcntl (F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL), lseek, pread, fstat,
 * newfstatat, getdents64 (opendir), getcwd/chdir and relative paths,
 * openat/fstatat relative paths containing ':' (relative to the directory,
 * not a scheme), one offset shared by a parent and child reading a file,
 * close-on-exec across execve, execve of non-programs (ENOEXEC, EACCES,
 * ENOENT), ioctl on a non-terminal, uname, getrandom,
 * and prlimit64.
 * Prints "PASS: t_files" or "FAIL: t_files: <reason>".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define FILE_PATH "/bin/true"
#define DIR_PATH "/bin"
/* Small (read a byte at a time): /bin/true is busybox now, 1.8 MB. */
#define SHARED_PATH "/etc/motd"
#define ELF_MAGIC "\177ELF"
#define NOT_A_PROGRAM "/tests/not-a-program" /* tests/user/fixtures/ */
#define HIGH_FD 50
#define COLON_PATH "sub/X:y" /* a relative path with a ':' (not a scheme) */
#define RANDOM_BYTES 64

#define FAIL(...) do { \
	printf("FAIL: t_files: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static void test_dup_fcntl(void)
{
	int fd = open(FILE_PATH, O_RDONLY), d, flags;

	CHECK(fd >= 0, "open %s: %s", FILE_PATH, strerror(errno));
	d = dup(fd);
	CHECK(d > fd, "dup gave %d", d);
	CHECK(lseek(fd, 1, SEEK_SET) == 1, "lseek: %s", strerror(errno));
	CHECK(lseek(d, 0, SEEK_CUR) == 1, "dup'd descriptors do not share the offset");
	CHECK(dup3(fd, HIGH_FD, O_CLOEXEC) == HIGH_FD, "dup3: %s", strerror(errno));
	CHECK(fcntl(HIGH_FD, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC not set");
	CHECK(fcntl(fd, F_GETFD) == 0, "close-on-exec leaked to the original");
	errno = 0;
	CHECK(dup3(fd, fd, 0) == -1 && errno == EINVAL, "dup3 to itself: errno %d", errno);
	CHECK(fcntl(fd, F_DUPFD, HIGH_FD) == HIGH_FD + 1, "F_DUPFD did not pick the lowest >= %d", HIGH_FD);
	CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 0) >= 0, "F_DUPFD_CLOEXEC: %s", strerror(errno));
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_SETFD");
	flags = fcntl(fd, F_GETFL);
	CHECK((flags & O_ACCMODE) == O_RDONLY, "F_GETFL gave %#x", flags);
	CHECK(fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK), "F_SETFL");
	errno = 0;
	CHECK(fcntl(fd, 12345) == -1 && errno == EINVAL, "unknown fcntl: errno %d", errno);
	errno = 0;
	CHECK(close(HIGH_FD + 100) == -1 && errno == EBADF, "close of a closed fd: errno %d", errno);
	close(d);
	close(fd);
	printf("t_files: dup, dup3, fcntl ok\n");
}

static void test_read_stat(void)
{
	char buf[8];
	struct stat st, st2;
	int fd = open(FILE_PATH, O_RDONLY);

	CHECK(fd >= 0, "open: %s", strerror(errno));
	CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, ELF_MAGIC, 4) == 0, "pread");
	CHECK(lseek(fd, 0, SEEK_CUR) == 0, "pread moved the offset");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 4, "fstat");
	CHECK(lseek(fd, 0, SEEK_END) == st.st_size, "SEEK_END");
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at the end is not 0");
	errno = 0;
	CHECK(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, "negative lseek: errno %d", errno);
	CHECK(stat(DIR_PATH, &st2) == 0 && S_ISDIR(st2.st_mode), "stat of a directory");
	errno = 0;
	CHECK(read(open(DIR_PATH, O_RDONLY), buf, 1) == -1 && errno == EISDIR, "read of a directory: errno %d", errno);
	errno = 0;
	CHECK(open("/bin/true/x", O_RDONLY) == -1 && errno == ENOTDIR, "file used as a directory: errno %d", errno);
	errno = 0;
	CHECK(open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT, "missing file: errno %d", errno);
	errno = 0;
	CHECK(open(FILE_PATH, O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "O_DIRECTORY on a file: errno %d", errno);
	errno = 0;
	CHECK(ioctl(fd, TIOCGWINSZ, buf) == -1 && errno == ENOTTY, "TIOCGWINSZ on a file: errno %d", errno);
	close(fd);
	printf("t_files: read, pread, lseek, fstat, stat ok\n");
}

static void test_dirs(void)
{
	DIR *d = opendir(DIR_PATH);
	struct dirent *e;
	int seen_true = 0, seen_dot = 0, fd;
	char cwd[256];

	CHECK(d, "opendir: %s", strerror(errno));
	while ((e = readdir(d))) {
		/* /bin/true is a link to busybox: the program itself is regular. */
		seen_true |= strcmp(e->d_name, "busybox") == 0 && e->d_type == DT_REG;
		seen_dot |= strcmp(e->d_name, ".") == 0;
	}
	closedir(d);
	CHECK(seen_true && seen_dot, "readdir of %s missed busybox or .", DIR_PATH);
	CHECK(chdir(DIR_PATH) == 0, "chdir: %s", strerror(errno));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, DIR_PATH) == 0, "getcwd gave %s", cwd);
	fd = open("true", O_RDONLY);
	CHECK(fd >= 0, "relative open after chdir: %s", strerror(errno));
	close(fd);
	CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0, "chdir ..");
	errno = 0;
	CHECK(chdir(FILE_PATH) == -1 && errno == ENOTDIR, "chdir to a file: errno %d", errno);
	errno = 0;
	CHECK(getcwd(cwd, 1) == NULL && errno == ERANGE, "getcwd into 1 byte: errno %d", errno);
	fd = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0 && openat(fd, "true", O_RDONLY) >= 0, "openat relative to a directory");
	printf("t_files: directories, cwd, openat ok\n");
}

/* A ':' inside a relative path is part of a file name: "sub/X:y" is
 * relative to the *at() directory. (Anode reads "name:rest" as a scheme
 * path only when name, all of [a-z0-9_.-], starts the path.) So relative
 * to a file it is ENOTDIR, relative to a closed descriptor EBADF. */
static void test_at_colon(void)
{
	int file = open(FILE_PATH, O_RDONLY), closed = HIGH_FD + 7;
	struct stat st;

	CHECK(file >= 0, "open %s: %s", FILE_PATH, strerror(errno));
	close(closed);
	errno = 0;
	CHECK(openat(file, COLON_PATH, O_RDONLY) == -1 && errno == ENOTDIR,
	      "openat(file, \"%s\"): errno %d, want ENOTDIR", COLON_PATH, errno);
	errno = 0;
	CHECK(openat(closed, COLON_PATH, O_RDONLY) == -1 && errno == EBADF,
	      "openat(closed fd, \"%s\"): errno %d, want EBADF", COLON_PATH, errno);
	errno = 0;
	CHECK(fstatat(file, COLON_PATH, &st, 0) == -1 && errno == ENOTDIR,
	      "fstatat(file, \"%s\"): errno %d, want ENOTDIR", COLON_PATH, errno);
	errno = 0;
	CHECK(openat(file, "Upper:case", O_RDONLY) == -1 && errno == ENOTDIR,
	      "openat(file, \"Upper:case\"): errno %d, want ENOTDIR", errno);
	/* An absolute path ignores the directory, even a closed one. */
	CHECK(fstatat(closed, FILE_PATH, &st, 0) == 0, "fstatat(closed fd, absolute path): %s", strerror(errno));
	close(file);
	printf("t_files: ':' in relative *at() paths ok\n");
}

/* Reads fd one byte at a time to the end, counting each byte value. */
static long read_bytes(int fd, unsigned int *count)
{
	unsigned char c;
	long total = 0;
	ssize_t n;

	while ((n = read(fd, &c, 1)) == 1) {
		count[c]++;
		total++;
	}
	return n == 0 ? total : -1;
}

/* After fork the parent and child share one file and so one offset: reading
 * it a byte at a time together, they read each byte exactly once. */
static void test_shared_offset(void)
{
	unsigned int want[256] = { 0 }, mine[256] = { 0 }, theirs[256] = { 0 };
	int fd = open(SHARED_PATH, O_RDONLY), pipefd[2], status;
	long size, got, child_got;
	pid_t pid;

	CHECK(fd >= 0 && pipe(pipefd) == 0, "open/pipe: %s", strerror(errno));
	size = read_bytes(fd, want);
	CHECK(size > 0 && lseek(fd, 0, SEEK_SET) == 0, "reading %s", SHARED_PATH);
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		got = read_bytes(fd, mine);
		if (write(pipefd[1], &got, sizeof(got)) != sizeof(got) ||
		    write(pipefd[1], mine, sizeof(mine)) != sizeof(mine))
			_exit(2);
		_exit(0);
	}
	got = read_bytes(fd, mine);
	CHECK(read(pipefd[0], &child_got, sizeof(child_got)) == sizeof(child_got) &&
	      read(pipefd[0], theirs, sizeof(theirs)) == sizeof(theirs), "child's counts");
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child");
	CHECK(got >= 0 && child_got >= 0 && got + child_got == size,
	      "parent read %ld and child %ld bytes of %ld: the shared offset gave a byte twice",
	      got, child_got, size);
	for (int b = 0; b < 256; b++)
		CHECK(mine[b] + theirs[b] == want[b], "byte value %#x read %u times, want %u",
		      b, mine[b] + theirs[b], want[b]);
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
	printf("t_files: parent %ld + child %ld bytes through one shared offset ok\n", got, child_got);
}

static void test_exec_cloexec(const char *self)
{
	int keep = open(FILE_PATH, O_RDONLY), drop = open(FILE_PATH, O_RDONLY | O_CLOEXEC), status;
	char a[16], b[16];
	pid_t pid;

	CHECK(keep >= 0 && drop >= 0, "open");
	snprintf(a, sizeof(a), "%d", keep);
	snprintf(b, sizeof(b), "%d", drop);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		execl(self, self, "check-fds", a, b, (char *)NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "child");
	CHECK(WEXITSTATUS(status) == 0, "after exec: close-on-exec descriptors wrong (%d)", WEXITSTATUS(status));
	printf("t_files: close-on-exec across execve ok\n");
}

/* In the exec'd copy: the kept descriptor works, the other is closed. */
static int check_fds(int keep, int drop)
{
	struct stat st;

	if (fstat(keep, &st) != 0)
		return 1;
	if (fstat(drop, &st) == 0 || errno != EBADF)
		return 2;
	return 0;
}

/* execve of something that is not a program fails cleanly, and the caller
 * goes on running its own program. */
static void test_exec_errors(void)
{
	char *const argv[] = { "x", NULL }, *const envp[] = { NULL };

	errno = 0;
	CHECK(execve(NOT_A_PROGRAM, argv, envp) == -1 && errno == ENOEXEC,
	      "exec of an executable text file: errno %d", errno);
	errno = 0;
	CHECK(execve("/etc/motd", argv, envp) == -1 && errno == EACCES, "exec of a file without x: errno %d", errno);
	errno = 0;
	CHECK(execve(DIR_PATH, argv, envp) == -1 && errno == EACCES, "exec of a directory: errno %d", errno);
	errno = 0;
	CHECK(execve("/no/such/program", argv, envp) == -1 && errno == ENOENT, "exec of nothing: errno %d", errno);
	CHECK(getpid() > 0, "the process did not survive");
	printf("t_files: execve of non-programs refused ok\n");
}

static void test_misc(void)
{
	struct utsname u;
	unsigned char r1[RANDOM_BYTES], r2[RANDOM_BYTES];
	struct rlimit lim;

	CHECK(uname(&u) == 0 && strcmp(u.machine, "aarch64") == 0, "uname machine %s", u.machine);
	CHECK(getrandom(r1, sizeof(r1), 0) == sizeof(r1) && getrandom(r2, sizeof(r2), 0) == sizeof(r2),
	      "getrandom: %s", strerror(errno));
	CHECK(memcmp(r1, r2, sizeof(r1)) != 0, "getrandom returned the same bytes twice");
	errno = 0;
	CHECK(getrandom(r1, 1, 0x100) == -1 && errno == EINVAL, "getrandom bad flags: errno %d", errno);
	CHECK(getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur >= 64, "RLIMIT_NOFILE");
	printf("t_files: uname, getrandom, prlimit64 ok\n");
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "check-fds") == 0)
		return check_fds(atoi(argv[2]), atoi(argv[3]));
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_dup_fcntl();
	test_read_stat();
	test_dirs();
	test_at_colon();
	test_shared_offset();
	test_exec_cloexec(argv[0]);
	test_exec_errors();
	test_misc();
	printf("PASS: t_files\n");
	return 0;
}
