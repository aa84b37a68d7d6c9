/*
 * t_fsops: the calls of a writable file system, in a fresh directory under
 * /tmp: create, write, read, O_EXCL, O_TRUNC, O_APPEND (two processes
 * appending records that must stay whole), umask (inherited by fork),
 * mkdir/rmdir (EEXIST, ENOTEMPTY, EISDIR, ENOTDIR), rename (over a file,
 * over a directory, RENAME_NOREPLACE, RENAME_EXCHANGE, into its own
 * subdirectory: EINVAL), hard links (nlink), symbolic links (readlink,
 * lstat, O_NOFOLLOW: ELOOP, O_PATH|O_NOFOLLOW and readlinkat "", a chain, a
 * loop: ELOOP, a dangling link: ENOENT, a link to a directory, to
 * /dev/null), chmod/chown (as root, lchown), utimensat (UTIME_NOW/OMIT,
 * futimens), truncate grow and shrink (holes read zero, a sparse write),
 * statfs/fstatfs, fsync/fdatasync/syncfs, faccessat(2), mknod of a file,
 * O_PATH descriptors (EBADF for data), fchdir, and bad pointers (EFAULT)
 * and bad flags (EINVAL) changing nothing.
 * Prints "PASS: t_fsops" or "FAIL: t_fsops: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fsops"
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BASE_FMT "/tmp/fsops.%d"
#define RECORDS 200              /* per appending process */
#define RECORD_LEN 8
#define GROW_SIZE 10000
#define SPARSE_OFF (1 << 20)
#define TEST_UID 1234
#define TEST_GID 5678
#define ATIME_SEC 1000
#define ATIME_NSEC 500
#define MTIME_SEC 2000
#define MTIME_NSEC 600
#define NOW_SLACK_S 60
#define BAD_FLAG 0x40000000      /* no *at() call knows it */
#define RENAME_NOREPLACE_ (1 << 0)
#define RENAME_EXCHANGE_ (1 << 1)

static char base[64];
/* Never mapped; volatile so the compiler cannot see what it points to. */
static void *volatile bad_ptr = (void *)16;
#define BAD_PTR (bad_ptr)

static void put_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
	CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data), "write %s", path);
	CHECK(close(fd) == 0, "close %s", path);
}

/* The file's whole content (at most size-1 bytes), NUL-terminated. */
static void get_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	n = read(fd, buf, size - 1);
	CHECK(n >= 0, "read %s: %s", path, strerror(errno));
	buf[n] = '\0';
	close(fd);
}

static void expect_content(const char *path, const char *want)
{
	char buf[256];

	get_file(path, buf, sizeof(buf));
	CHECK(strcmp(buf, want) == 0, "%s holds '%s', want '%s'", path, buf, want);
}

static struct stat stat_of(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
	return st;
}

static int entries(void)
{
	DIR *d = opendir(".");
	int n = 0;

	CHECK(d != NULL, "opendir: %s", strerror(errno));
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_create(void)
{
	char buf[16];
	struct stat st;
	int fd;

	umask(022);
	fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0666);
	CHECK(fd >= 0, "create f: %s", strerror(errno));
	CHECK(write(fd, "hello", 5) == 5, "write f");
	CHECK(pread(fd, buf, sizeof(buf), 0) == 5 && memcmp(buf, "hello", 5) == 0, "read f back");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 5 && S_ISREG(st.st_mode), "fstat f");
	CHECK((st.st_mode & 07777) == 0644, "mode %o, want 0644 (umask 022)", st.st_mode & 07777);
	close(fd);
	CHECK_ERR(open("f", O_RDWR | O_CREAT | O_EXCL, 0666), EEXIST, "O_EXCL on a file");
	CHECK_ERR(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
	CHECK_ERR(open("nothere", O_RDONLY), ENOENT, "open a missing file");
	fd = open("f", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0, "O_TRUNC: %s", strerror(errno));
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC left %lld bytes", (long long)st.st_size);
	close(fd);
	put_file("f", "hello", 0644);
}

static void test_umask(void)
{
	struct stat st;
	pid_t pid;
	int status;

	CHECK(umask(077) == 022, "umask did not return the old mask");
	put_file("um", "x", 0666);
	CHECK(mkdir("umd", 0777) == 0, "mkdir umd: %s", strerror(errno));
	CHECK((stat_of("um").st_mode & 0777) == 0600, "file mode under umask 077");
	st = stat_of("umd");
	CHECK((st.st_mode & 0777) == 0700, "dir mode %o under umask 077", st.st_mode & 0777);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		_exit(umask(0) == 077 ? 0 : 1);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a child did not inherit the umask");
	umask(022);
	CHECK(unlink("um") == 0 && rmdir("umd") == 0, "clean up umask files");
}

/* Two processes append whole records through their own descriptors. */
static void appender(char c)
{
	char rec[RECORD_LEN];
	int fd = open("app", O_WRONLY | O_APPEND);

	if (fd < 0)
		_exit(2);
	memset(rec, c, RECORD_LEN - 1);
	rec[RECORD_LEN - 1] = '\n';
	for (int i = 0; i < RECORDS; i++)
		if (write(fd, rec, RECORD_LEN) != RECORD_LEN)
			_exit(3);
	_exit(0);
}

static void test_append(void)
{
	char buf[RECORD_LEN * RECORDS * 2 + 1];
	pid_t pids[2];
	int fd, status, counts[2] = { 0, 0 };
	ssize_t n;

	put_file("app", "", 0644);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0, "fork");
		if (pids[i] == 0)
			appender(i ? 'B' : 'A');
	}
	for (int i = 0; i < 2; i++)
		CHECK(waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "appender %d failed (%#x)", i, status);
	fd = open("app", O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n == RECORD_LEN * RECORDS * 2, "appended %zd bytes, want %d", n, RECORD_LEN * RECORDS * 2);
	for (int r = 0; r < RECORDS * 2; r++) {
		const char *rec = buf + r * RECORD_LEN;

		CHECK((rec[0] == 'A' || rec[0] == 'B') && rec[RECORD_LEN - 1] == '\n' &&
		      memchr(rec, rec[0] == 'A' ? 'B' : 'A', RECORD_LEN) == NULL, "record %d torn", r);
		counts[rec[0] == 'B']++;
	}
	CHECK(counts[0] == RECORDS && counts[1] == RECORDS, "records %d/%d", counts[0], counts[1]);
	/* The offset follows the end; pwrite appends too and leaves it. */
	fd = open("app", O_WRONLY | O_APPEND);
	CHECK(write(fd, "xy", 2) == 2, "append xy");
	CHECK(lseek(fd, 0, SEEK_CUR) == RECORD_LEN * RECORDS * 2 + 2, "offset after an append");
	close(fd);
	CHECK(unlink("app") == 0, "unlink app");
}

static void test_dirs(void)
{
	CHECK(mkdir("d", 0755) == 0, "mkdir d: %s", strerror(errno));
	CHECK(S_ISDIR(stat_of("d").st_mode), "d is no directory");
	CHECK_ERR(mkdir("d", 0755), EEXIST, "mkdir an existing dir");
	CHECK_ERR(mkdir("f", 0755), EEXIST, "mkdir over a file");
	CHECK_ERR(mkdir("none/sub", 0755), ENOENT, "mkdir with a missing parent");
	put_file("d/x", "x", 0644);
	CHECK_ERR(rmdir("d"), ENOTEMPTY, "rmdir a full dir");
	CHECK_ERR(unlink("d"), EISDIR, "unlink a dir");
	CHECK_ERR(rmdir("f"), ENOTDIR, "rmdir a file");
	CHECK_ERR(unlink("d/none"), ENOENT, "unlink a missing file");
	CHECK(unlink("d/x") == 0, "unlink d/x: %s", strerror(errno));
	CHECK(rmdir("d") == 0, "rmdir d: %s", strerror(errno));
	CHECK_ERR(open("d", O_RDONLY), ENOENT, "d after rmdir");
}

static int renameat2_(const char *old, const char *new, unsigned flags)
{
	return (int)syscall(SYS_renameat2, AT_FDCWD, old, AT_FDCWD, new, flags);
}

static void test_rename(void)
{
	put_file("r1", "one", 0644);
	put_file("r2", "two", 0644);
	CHECK(rename("r1", "r2") == 0, "rename over a file: %s", strerror(errno));
	expect_content("r2", "one");
	CHECK_ERR(open("r1", O_RDONLY), ENOENT, "the old name after rename");
	CHECK(mkdir("rd", 0755) == 0 && mkdir("rd2", 0755) == 0, "mkdir rd, rd2");
	CHECK_ERR(rename("r2", "rd"), EISDIR, "rename a file over a dir");
	CHECK_ERR(rename("rd", "r2"), ENOTDIR, "rename a dir over a file");
	put_file("rd/in", "in", 0644);
	CHECK(rename("rd", "rd2") == 0, "rename a dir over an empty dir: %s", strerror(errno));
	expect_content("rd2/in", "in");
	CHECK(mkdir("rd", 0755) == 0, "mkdir rd again");
	CHECK_ERR(rename("rd", "rd2"), ENOTEMPTY, "rename over a full dir");
	CHECK(mkdir("rd2/sub", 0755) == 0, "mkdir rd2/sub");
	CHECK_ERR(rename("rd2", "rd2/sub/deeper"), EINVAL, "rename a dir into itself");
	put_file("r3", "three", 0644);
	CHECK_ERR(renameat2_("r3", "r2", RENAME_NOREPLACE_), EEXIST, "RENAME_NOREPLACE");
	expect_content("r2", "one");
	CHECK(renameat2_("r3", "r2", RENAME_EXCHANGE_) == 0, "RENAME_EXCHANGE: %s", strerror(errno));
	expect_content("r2", "three");
	expect_content("r3", "one");
	CHECK_ERR(renameat2_("r3", "gone", RENAME_EXCHANGE_), ENOENT, "RENAME_EXCHANGE, no target");
	CHECK(renameat2_("r3", "r4", RENAME_NOREPLACE_) == 0, "RENAME_NOREPLACE to a new name");
	CHECK(unlink("r2") == 0 && unlink("r4") == 0 && unlink("rd2/in") == 0 &&
	      rmdir("rd2/sub") == 0 && rmdir("rd2") == 0 && rmdir("rd") == 0, "clean up rename");
}

static void test_link(void)
{
	put_file("h1", "hard", 0644);
	CHECK(stat_of("h1").st_nlink == 1, "nlink of a new file");
	CHECK(link("h1", "h2") == 0, "link: %s", strerror(errno));
	CHECK(stat_of("h1").st_nlink == 2 && stat_of("h2").st_nlink == 2, "nlink after link");
	CHECK(stat_of("h1").st_ino == stat_of("h2").st_ino, "links have different inodes");
	CHECK_ERR(link("h1", "h2"), EEXIST, "link over a name");
	CHECK_ERR(link("none", "h3"), ENOENT, "link to a missing file");
	CHECK(mkdir("hd", 0755) == 0, "mkdir hd");
	CHECK_ERR(link("hd", "hd2"), EPERM, "link to a dir");
	CHECK(unlink("h1") == 0, "unlink h1");
	CHECK(stat_of("h2").st_nlink == 1, "nlink after unlink");
	expect_content("h2", "hard");
	CHECK(unlink("h2") == 0 && rmdir("hd") == 0, "clean up link");
}

static void test_symlink(void)
{
	char buf[sizeof(base) + 16];
	struct stat st;
	int fd;

	CHECK(symlink("f", "sl") == 0, "symlink: %s", strerror(errno));
	CHECK(readlink("sl", buf, sizeof(buf)) == 1 && buf[0] == 'f', "readlink sl");
	CHECK_ERR(syscall(SYS_readlinkat, AT_FDCWD, "sl", buf, 0), EINVAL, "readlink with no room");
	CHECK(lstat("sl", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1, "lstat sl");
	CHECK(S_ISREG(stat_of("sl").st_mode), "stat follows sl");
	expect_content("sl", "hello");
	CHECK_ERR(open("sl", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on a link");
	fd = open("sl", O_PATH | O_NOFOLLOW);
	CHECK(fd >= 0, "O_PATH|O_NOFOLLOW: %s", strerror(errno));
	CHECK(fstat(fd, &st) == 0 && S_ISLNK(st.st_mode), "fstat of an O_PATH link");
	CHECK(readlinkat(fd, "", buf, sizeof(buf)) == 1 && buf[0] == 'f', "readlinkat(fd, \"\")");
	CHECK_ERR(read(fd, buf, 1), EBADF, "read an O_PATH fd");
	CHECK_ERR(write(fd, "x", 1), EBADF, "write an O_PATH fd");
	close(fd);
	fd = open("f", O_PATH);
	CHECK(readlinkat(fd, "", buf, sizeof(buf)) == -1 && errno == ENOENT, "readlinkat on a file fd");
	close(fd);
	CHECK_ERR(readlink("f", buf, sizeof(buf)), EINVAL, "readlink a file");
	CHECK_ERR(symlink("x", "sl"), EEXIST, "symlink over a name");
	/* A chain, a loop, a dangling link. */
	CHECK(symlink("sl", "sl2") == 0 && symlink("sl2", "sl3") == 0, "symlink chain");
	expect_content("sl3", "hello");
	CHECK(symlink("la", "lb") == 0 && symlink("lb", "la") == 0, "symlink loop");
	CHECK_ERR(open("la", O_RDONLY), ELOOP, "a link loop");
	CHECK_ERR(stat("la", &st), ELOOP, "stat a link loop");
	CHECK(symlink("nowhere", "dl") == 0, "dangling symlink");
	CHECK_ERR(open("dl", O_RDONLY), ENOENT, "open a dangling link");
	CHECK(lstat("dl", &st) == 0 && S_ISLNK(st.st_mode), "lstat a dangling link");
	/* Through a link to a directory, absolute and relative. */
	CHECK(mkdir("sd", 0755) == 0, "mkdir sd");
	put_file("sd/in", "inside", 0644);
	CHECK(symlink("sd", "sdl") == 0, "symlink to a dir");
	expect_content("sdl/in", "inside");
	snprintf(buf, sizeof(buf), "%s/sd", base);
	CHECK(symlink(buf, "sda") == 0, "absolute symlink");
	expect_content("sda/in", "inside");
	CHECK(unlink("sdl") == 0 && S_ISDIR(stat_of("sd").st_mode), "unlink removes the link only");
	/* A link out of the file system's tree (Linux's test machine has no
	 * /dev: its initramfs mounts no devtmpfs). */
	CHECK(symlink("/dev/null", "nl") == 0, "symlink to /dev/null");
	if (stat("/dev/null", &st) == 0) {
		fd = open("nl", O_WRONLY);
		CHECK(fd >= 0 && write(fd, "gone", 4) == 4, "write through a link to /dev/null");
		close(fd);
		CHECK(stat("nl", &st) == 0 && st.st_size == 0, "/dev/null kept data");
	}
	CHECK(unlink("sl") == 0 && unlink("sl2") == 0 && unlink("sl3") == 0 && unlink("la") == 0 &&
	      unlink("lb") == 0 && unlink("dl") == 0 && unlink("sda") == 0 && unlink("nl") == 0 &&
	      unlink("sd/in") == 0 && rmdir("sd") == 0, "clean up symlinks");
}

static void test_owner(void)
{
	struct stat st;
	int fd;

	CHECK(chmod("f", 0600) == 0 && (stat_of("f").st_mode & 07777) == 0600, "chmod");
	fd = open("f", O_RDONLY);
	CHECK(fchmod(fd, 0640) == 0 && (stat_of("f").st_mode & 07777) == 0640, "fchmod");
	if (getuid() != 0) {
		close(fd);
		printf("t_fsops: not root, chown skipped\n");
		return;
	}
	CHECK(chown("f", TEST_UID, TEST_GID) == 0, "chown: %s", strerror(errno));
	st = stat_of("f");
	CHECK(st.st_uid == TEST_UID && st.st_gid == TEST_GID, "chown gave %d:%d", st.st_uid, st.st_gid);
	CHECK(fchown(fd, (uid_t)-1, 0) == 0, "fchown: %s", strerror(errno));
	st = stat_of("f");
	CHECK(st.st_uid == TEST_UID && st.st_gid == 0, "fchown -1 changed the uid");
	close(fd);
	CHECK(symlink("f", "ol") == 0, "symlink ol");
	CHECK(lchown("ol", TEST_UID + 1, TEST_GID + 1) == 0, "lchown: %s", strerror(errno));
	CHECK(lstat("ol", &st) == 0 && st.st_uid == TEST_UID + 1, "lchown missed the link");
	CHECK(stat_of("f").st_uid == TEST_UID, "lchown changed the target");
	CHECK(chown("f", 0, 0) == 0 && chmod("f", 0644) == 0 && unlink("ol") == 0, "restore f");
}

static void test_times(void)
{
	struct timespec ts[2] = { { ATIME_SEC, ATIME_NSEC }, { MTIME_SEC, MTIME_NSEC } };
	struct stat st;
	int fd;

	CHECK(utimensat(AT_FDCWD, "f", ts, 0) == 0, "utimensat: %s", strerror(errno));
	st = stat_of("f");
	CHECK(st.st_atim.tv_sec == ATIME_SEC && st.st_atim.tv_nsec == ATIME_NSEC &&
	      st.st_mtim.tv_sec == MTIME_SEC && st.st_mtim.tv_nsec == MTIME_NSEC, "times not set");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	fd = open("f", O_RDONLY);
	CHECK(futimens(fd, ts) == 0, "futimens: %s", strerror(errno));
	close(fd);
	st = stat_of("f");
	CHECK(st.st_atim.tv_sec == ATIME_SEC, "UTIME_OMIT changed atime");
	CHECK(st.st_mtim.tv_sec > time(NULL) - NOW_SLACK_S, "UTIME_NOW: mtime %lld",
	      (long long)st.st_mtim.tv_sec);
	ts[0].tv_nsec = 1000000000L;
	CHECK_ERR(utimensat(AT_FDCWD, "f", ts, 0), EINVAL, "utimensat with a bad tv_nsec");
	CHECK_ERR(utimensat(AT_FDCWD, "none", NULL, 0), ENOENT, "utimensat of a missing file");
	/* Both UTIME_OMIT: nothing to do, and Linux does not look further. */
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	CHECK(syscall(SYS_utimensat, AT_FDCWD, "none", ts, 0) == 0, "utimensat, both UTIME_OMIT");
}

static void test_truncate(void)
{
	char buf[GROW_SIZE];
	struct stat st;
	int fd;

	put_file("t", "12345", 0644);
	CHECK(truncate("t", GROW_SIZE) == 0 && stat_of("t").st_size == GROW_SIZE, "truncate grow");
	fd = open("t", O_RDWR);
	CHECK(read(fd, buf, sizeof(buf)) == GROW_SIZE && memcmp(buf, "12345", 5) == 0, "read grown");
	for (int i = 5; i < GROW_SIZE; i++)
		CHECK(buf[i] == 0, "byte %d of the hole is %d", i, buf[i]);
	CHECK(ftruncate(fd, 3) == 0 && fstat(fd, &st) == 0 && st.st_size == 3, "ftruncate shrink");
	CHECK(pread(fd, buf, sizeof(buf), 0) == 3 && memcmp(buf, "123", 3) == 0, "read shrunk");
	CHECK(pwrite(fd, "Z", 1, SPARSE_OFF) == 1, "sparse pwrite");
	CHECK(fstat(fd, &st) == 0 && st.st_size == SPARSE_OFF + 1, "size after a sparse write");
	CHECK(pread(fd, buf, sizeof(buf), SPARSE_OFF / 2) == sizeof(buf), "read a hole");
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0, "hole byte %zu is %d", i, buf[i]);
	CHECK_ERR(ftruncate(fd, -1), EINVAL, "ftruncate to a negative size");
	close(fd);
	fd = open("t", O_RDONLY);
	CHECK_ERR(ftruncate(fd, 0), EINVAL, "ftruncate of a read-only fd");
	close(fd);
	CHECK(stat_of("t").st_size == SPARSE_OFF + 1, "a refused ftruncate changed the size");
	CHECK_ERR(truncate("t", -1), EINVAL, "truncate to a negative size");
	CHECK_ERR(truncate(".", 0), EISDIR, "truncate a dir");
	CHECK(unlink("t") == 0, "unlink t");
}

static void test_sync_statfs(void)
{
	struct statfs a, b;
	int fd = open("f", O_RDWR), p[2];

	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync: %s", strerror(errno));
	CHECK(syncfs(fd) == 0, "syncfs: %s", strerror(errno));
	sync();
	CHECK(statfs(".", &a) == 0, "statfs: %s", strerror(errno));
	CHECK(fstatfs(fd, &b) == 0, "fstatfs: %s", strerror(errno));
	CHECK(a.f_type == b.f_type && a.f_bsize > 0 && a.f_namelen > 0, "statfs answers differ");
	close(fd);
	CHECK(pipe(p) == 0, "pipe");
	CHECK_ERR(fsync(p[0]), EINVAL, "fsync a pipe");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(fsync(-1), EBADF, "fsync a bad fd");
}

static int faccessat2_(const char *path, int mode, int flags)
{
	return (int)syscall(SYS_faccessat2, AT_FDCWD, path, mode, flags);
}

static void test_access(void)
{
	put_file("ax", "", 0755);
	put_file("an", "", 0644);
	CHECK(access("an", F_OK) == 0 && access("ax", X_OK) == 0, "access F_OK, X_OK");
	CHECK_ERR(access("none", F_OK), ENOENT, "access a missing file");
	if (getuid() == 0) {
		CHECK(chmod("an", 0) == 0 && access("an", R_OK | W_OK) == 0, "root reads mode 000");
		CHECK_ERR(access("an", X_OK), EACCES, "root executes no x bit");
		CHECK(access(".", X_OK) == 0, "root searches a dir");
	}
	CHECK_ERR(access("an", 8), EINVAL, "access with a bad mode");
	CHECK_ERR(faccessat2_("an", F_OK, BAD_FLAG), EINVAL, "faccessat2 with a bad flag");
	CHECK(faccessat2_("ax", X_OK, AT_EACCESS) == 0, "faccessat2 AT_EACCESS");
	CHECK(unlink("ax") == 0 && unlink("an") == 0, "clean up access");
}

static void test_misc(void)
{
	char cwd[PATH_MAX], want[PATH_MAX];
	struct stat st;
	int fd, dfd;

	CHECK(mknod("mn", S_IFREG | 0644, 0) == 0 && S_ISREG(stat_of("mn").st_mode), "mknod a file");
	CHECK_ERR(mknod("mn", S_IFREG | 0644, 0), EEXIST, "mknod over a name");
	CHECK_ERR(mknod("mx", S_IFMT, 0), EINVAL, "mknod of no type");
	CHECK(unlink("mn") == 0, "unlink mn");
	CHECK(mkdir("cd", 0755) == 0, "mkdir cd");
	dfd = open("cd", O_PATH | O_DIRECTORY);
	CHECK(dfd >= 0, "O_PATH dir: %s", strerror(errno));
	fd = openat(dfd, "in", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0, "openat through an O_PATH dir: %s", strerror(errno));
	close(fd);
	CHECK(fstatat(dfd, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode), "AT_EMPTY_PATH");
	CHECK_ERR(syscall(SYS_getdents64, dfd, cwd, sizeof(cwd)), EBADF, "getdents on O_PATH");
	CHECK(fchdir(dfd) == 0, "fchdir: %s", strerror(errno));
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	snprintf(want, sizeof(want), "%s/cd", base);
	CHECK(strcmp(cwd, want) == 0, "cwd %s, want %s", cwd, want);
	CHECK(chdir("..") == 0, "chdir ..");
	close(dfd);
	CHECK(unlink("cd/in") == 0 && rmdir("cd") == 0, "clean up cd");
}

/* Bad pointers and flags fail and leave the directory as it was. The
 * calls whose musl wrapper touches the buffer itself go by syscall(2). */
static void test_bad_args(void)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	char buf[16];
	int before = entries();
	struct stat st;

	CHECK_ERR(open(BAD_PTR, O_CREAT | O_WRONLY, 0644), EFAULT, "open a bad path");
	CHECK_ERR(mkdir(BAD_PTR, 0755), EFAULT, "mkdir a bad path");
	CHECK_ERR(rename(BAD_PTR, "x"), EFAULT, "rename a bad old path");
	CHECK_ERR(rename("f", BAD_PTR), EFAULT, "rename to a bad path");
	CHECK_ERR(symlink(BAD_PTR, "x"), EFAULT, "symlink a bad target");
	CHECK_ERR(symlink("f", BAD_PTR), EFAULT, "symlink at a bad path");
	CHECK_ERR(link("f", BAD_PTR), EFAULT, "link to a bad path");
	CHECK_ERR(unlink(BAD_PTR), EFAULT, "unlink a bad path");
	CHECK_ERR(readlink("f", BAD_PTR, sizeof(buf)), EINVAL, "readlink a file, bad buffer");
	CHECK(symlink("f", "bl") == 0, "symlink bl");
	CHECK_ERR(readlink("bl", BAD_PTR, sizeof(buf)), EFAULT, "readlink into a bad buffer");
	CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, "f", BAD_PTR, 0), EFAULT, "stat into a bad buffer");
	CHECK_ERR(syscall(SYS_statfs, ".", BAD_PTR), EFAULT, "statfs into a bad buffer");
	CHECK_ERR(syscall(SYS_utimensat, AT_FDCWD, "f", BAD_PTR, 0), EFAULT, "utimensat bad times");
	CHECK_ERR(truncate(BAD_PTR, 0), EFAULT, "truncate a bad path");
	CHECK_ERR(unlinkat(AT_FDCWD, "f", BAD_FLAG), EINVAL, "unlinkat bad flag");
	CHECK_ERR(renameat2_("f", "x", RENAME_NOREPLACE_ | RENAME_EXCHANGE_), EINVAL,
		  "renameat2 NOREPLACE|EXCHANGE");
	CHECK_ERR(renameat2_("f", "x", BAD_FLAG), EINVAL, "renameat2 bad flag");
	CHECK_ERR(linkat(AT_FDCWD, "f", AT_FDCWD, "x", BAD_FLAG), EINVAL, "linkat bad flag");
	CHECK_ERR(fchownat(AT_FDCWD, "f", 0, 0, BAD_FLAG), EINVAL, "fchownat bad flag");
	CHECK_ERR(utimensat(AT_FDCWD, "f", ts, BAD_FLAG), EINVAL, "utimensat bad flag");
	CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, "f", &st, BAD_FLAG), EINVAL, "fstatat bad flag");
	CHECK(unlink("bl") == 0, "unlink bl");
	CHECK(entries() == before, "refused calls changed the directory");
	expect_content("f", "hello");
}

int main(void)
{
	snprintf(base, sizeof(base), BASE_FMT, (int)getpid());
	CHECK(mkdir(base, 0755) == 0, "mkdir %s: %s", base, strerror(errno));
	CHECK(chdir(base) == 0, "chdir %s", base);
	test_create();
	printf("t_fsops: create, O_EXCL, O_TRUNC ok\n");
	test_umask();
	test_append();
	printf("t_fsops: umask, O_APPEND ok\n");
	test_dirs();
	test_rename();
	test_link();
	printf("t_fsops: dirs, rename, link ok\n");
	test_symlink();
	printf("t_fsops: symlinks ok\n");
	test_owner();
	test_times();
	test_truncate();
	printf("t_fsops: owner, times, truncate ok\n");
	test_sync_statfs();
	test_access();
	test_misc();
	test_bad_args();
	CHECK(unlink("f") == 0 && chdir("/") == 0 && rmdir(base) == 0, "clean up %s", base);
	printf("PASS: t_fsops\n");
	return 0;
}
