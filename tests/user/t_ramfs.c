/*
 * t_ramfs: the writable root file system (on Anode, initfsd's RAM file
 * system serving file:) through the plain file calls: O_CREAT, O_EXCL,
 * O_TRUNC, O_APPEND (the offset lands at the end), reads and writes past
 * the end (a sparse file: the hole reads zeros and takes no blocks),
 * getdents of a new directory, a file in /tmp written by a process that
 * has exited, a read-only file mapping that sees another process's later
 * writes, /tmp's and /bin's modes and owners as stat reports them, and
 * statfs. Passes on Linux too (its rootfs is a RAM file system as well).
 * Prints "PASS: t_ramfs" or "FAIL: t_ramfs: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_ramfs"
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIR_PATH "/tmp/t_ramfs.d"
#define FILE_PATH DIR_PATH "/f"
#define KEPT_PATH "/tmp/t_ramfs.kept"
#define FAR (1 << 20)                 /* a write this far out leaves a hole */
#define PAGE 4096
#define FEW_BLOCKS 16                 /* 512-byte blocks: two pages at most */
#define ENTRIES 3
#define PROGRAM "/bin/busybox"        /* in both Anode's archive and the Linux initramfs */
#define TMPFS_MAGIC 0x01021994        /* Linux's, which Anode's RAM file system reports */
#define RAMFS_MAGIC 0x858458f6        /* Linux's rootfs may be ramfs */

static void put(int fd, const char *s)
{
	CHECK(write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write %s: %s", s, strerror(errno));
}

static void expect_bytes(int fd, off_t off, const char *want, size_t len)
{
	char buf[64] = { 0 };

	CHECK(pread(fd, buf, len, off) == (ssize_t)len, "pread at %lld: %s", (long long)off,
	      strerror(errno));
	CHECK(memcmp(buf, want, len) == 0, "bytes at %lld differ", (long long)off);
}

static void create_flags(void)
{
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_EXCL, 0640), fd2;
	struct stat st;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK_ERR(open(FILE_PATH, O_RDWR | O_CREAT | O_EXCL, 0640), EEXIST, "O_EXCL");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == (0640 & ~022) &&
	      st.st_nlink == 1 && st.st_uid == getuid() && st.st_size == 0,
	      "new file: mode %o nlink %lu uid %u", st.st_mode, (unsigned long)st.st_nlink,
	      st.st_uid);
	put(fd, "hello world");
	fd2 = open(FILE_PATH, O_RDWR | O_TRUNC);
	CHECK(fd2 >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC: size %lld",
	      (long long)st.st_size);
	close(fd2);
	/* O_APPEND: every write at the end, the offset after it. */
	fd2 = open(FILE_PATH, O_WRONLY | O_APPEND);
	CHECK(fd2 >= 0, "O_APPEND: %s", strerror(errno));
	put(fd2, "one ");
	CHECK(lseek(fd2, 0, SEEK_SET) == 0, "lseek");
	put(fd2, "two");
	CHECK(lseek(fd2, 0, SEEK_CUR) == 7, "offset after an append: %lld",
	      (long long)lseek(fd2, 0, SEEK_CUR));
	expect_bytes(fd, 0, "one two", 7);
	close(fd2);
	close(fd);
	printf("t_ramfs: O_CREAT, O_EXCL, O_TRUNC, O_APPEND ok\n");
}

static void sparse(void)
{
	static const char zeros[64];
	int fd = open(FILE_PATH, O_RDWR);
	struct stat st;
	char c;

	CHECK(fd >= 0, "open: %s", strerror(errno));
	CHECK(lseek(fd, FAR, SEEK_SET) == FAR, "lseek past the end");
	put(fd, "far");
	CHECK(fstat(fd, &st) == 0 && st.st_size == FAR + 3, "size %lld", (long long)st.st_size);
	CHECK(st.st_blocks <= FEW_BLOCKS, "a hole takes blocks: %lld", (long long)st.st_blocks);
	expect_bytes(fd, 0, "one two", 7);
	expect_bytes(fd, 7, zeros, sizeof(zeros));
	expect_bytes(fd, FAR - 10, zeros, 10);
	expect_bytes(fd, FAR, "far", 3);
	CHECK(pread(fd, &c, 1, FAR + 3) == 0, "read at the end");
	CHECK(pread(fd, &c, 1, 10 * FAR) == 0, "read past the end");
	close(fd);
	printf("t_ramfs: sparse file ok\n");
}

static void listing(void)
{
	const char *names[ENTRIES] = { "f", "g", "h" };
	int seen[ENTRIES] = { 0 }, dots = 0, fd;
	struct dirent *d;
	DIR *dir;

	for (int i = 1; i < ENTRIES; i++) {
		char path[64];

		snprintf(path, sizeof(path), DIR_PATH "/%s", names[i]);
		fd = open(path, O_WRONLY | O_CREAT, 0600);
		CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
		close(fd);
	}
	dir = opendir(DIR_PATH);
	CHECK(dir != NULL, "opendir: %s", strerror(errno));
	while ((d = readdir(dir)) != NULL) {
		int known = 0;

		dots += strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0;
		for (int i = 0; i < ENTRIES; i++)
			if (strcmp(d->d_name, names[i]) == 0) {
				seen[i]++;
				known = 1;
				CHECK(d->d_type == DT_REG, "%s: type %d", d->d_name, d->d_type);
			}
		CHECK(known || d->d_name[0] == '.', "unexpected entry %s", d->d_name);
	}
	closedir(dir);
	CHECK(dots == 2, ". and ..: %d", dots);
	for (int i = 0; i < ENTRIES; i++)
		CHECK(seen[i] == 1, "%s listed %d times", names[i], seen[i]);
	printf("t_ramfs: getdents of a new directory ok\n");
}

static void outlives_writer(void)
{
	pid_t pid = fork();
	int status, fd;

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fd = open(KEPT_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		_exit(fd < 0 || write(fd, "kept", 4) != 4);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "writer failed");
	fd = open(KEPT_PATH, O_RDONLY);
	CHECK(fd >= 0, "kept file: %s", strerror(errno));
	expect_bytes(fd, 0, "kept", 4);
	close(fd);
	CHECK(unlink(KEPT_PATH) == 0, "unlink: %s", strerror(errno));
	printf("t_ramfs: a file outlives its writer ok\n");
}

/* A mapping sees what another process writes afterwards. */
static void mapping(void)
{
	int fd = open(FILE_PATH, O_RDONLY), status;
	const char *p;
	pid_t pid;

	CHECK(fd >= 0, "open: %s", strerror(errno));
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(memcmp(p, "one two", 7) == 0, "mapped bytes differ");
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int w = open(FILE_PATH, O_WRONLY);

		_exit(w < 0 || pwrite(w, "ONE", 3, 0) != 3);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child's write failed");
	CHECK(memcmp(p, "ONE two", 7) == 0, "the mapping missed the write: %.7s", p);
	munmap((void *)p, PAGE);
	close(fd);
	printf("t_ramfs: a mapping sees another process's write ok\n");
}

static void modes(void)
{
	struct statfs sf;
	struct stat st;

	CHECK(stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777,
	      "/tmp: mode %o", st.st_mode);
	CHECK(stat(PROGRAM, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 &&
	      (st.st_mode & 0022) == 0 && (st.st_mode & 0111) != 0,
	      PROGRAM ": mode %o uid %u: others could write it", st.st_mode, st.st_uid);
	CHECK(statfs("/tmp", &sf) == 0, "statfs: %s", strerror(errno));
	CHECK(sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC, "f_type %lx",
	      (unsigned long)sf.f_type);
	CHECK(sf.f_type == RAMFS_MAGIC || (sf.f_bsize == PAGE && sf.f_blocks > 0 &&
	      sf.f_bfree <= sf.f_blocks), "statfs blocks %llu free %llu",
	      (unsigned long long)sf.f_blocks, (unsigned long long)sf.f_bfree);
	printf("t_ramfs: modes, owners and statfs ok\n");
}

int main(void)
{
	umask(022);
	CHECK(mkdir(DIR_PATH, 0755) == 0, "mkdir " DIR_PATH ": %s", strerror(errno));
	create_flags();
	sparse();
	listing();
	outlives_writer();
	mapping();
	modes();
	for (const char *f = "fgh"; *f; f++) {
		char path[64];

		snprintf(path, sizeof(path), DIR_PATH "/%c", *f);
		CHECK(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
	}
	CHECK(rmdir(DIR_PATH) == 0, "rmdir: %s", strerror(errno));
	printf("PASS: t_ramfs\n");
	return 0;
}
