/*
 * t_readahead: a file's first read after its open sees every change made
 * between the two (Anode's daemon may send a read-only open the file's
 * first bytes, which the kernel keeps for that read: scheme_proto.h's
 * SCHEME_REQ_READAHEAD). Each case opens a file read-only, changes it
 * (or not) another way, then reads: the bytes are the file's now. Cases:
 * plain reads of files shorter than, as long as and longer than a page
 * (a long read is never cut short, the next read goes on); a write
 * through another descriptor, and by another process; a truncate; an
 * append; writes through a shared mapping made before the open and after
 * it; a seek, and a pread, before the first read; an empty file written
 * to; a bad buffer (EFAULT, offset unchanged); an unlink and a rename
 * over the name (the open file keeps its bytes); more files open at once
 * than the kernel keeps read-aheads for; files opened, read or not,
 * closed and unlinked over and over give their memory back (Anode keeps a
 * read-ahead in the daemon's pages, referenced until the first read or the
 * close). Prints "PASS: t_readahead" or "FAIL: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "t_readahead"
#include "check.h"

#define DIR_T "/tmp/t_readahead"
#define FILE_F DIR_T "/f"
#define FILE_G DIR_T "/g"
#define PAGE 4096
#define SHORT_LEN 100
#define LONG_LEN (2 * PAGE + 1808)     /* longer than a read-ahead */
#define MANY_FILES 12                   /* more than the kernel keeps at once */
#define SEEK_TO 10
#define PREAD_AT 20
#define PREAD_LEN 5
/* Page-long files made, opened and unlinked in turn: if each kept a page
 * after its unlink, free memory would fall by CYCLES pages; it may move
 * by less (other allocations come and go meanwhile). */
#define WARM_CYCLES 16
#define CYCLES 256
#define CYCLE_SLACK (CYCLES * PAGE / 4)

static char want[LONG_LEN], got[LONG_LEN + PAGE];

/* Byte i of a file made with seed. */
static char byte_of(int seed, size_t i)
{
	return (char)('a' + (seed + i * 7) % 26);
}

static void make(const char *path, size_t len, int seed)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	for (size_t i = 0; i < len; i++)
		want[i] = byte_of(seed, i);
	CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
	CHECK(write(fd, want, len) == (ssize_t)len, "write %s: %s", path, strerror(errno));
	CHECK(close(fd) == 0, "close %s", path);
}

static int open_ro(const char *path)
{
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

/* Writes text at off through a descriptor of its own. */
static void put_at(const char *path, off_t off, const char *text)
{
	int fd = open(path, O_WRONLY);

	CHECK(fd >= 0, "open %s for writing: %s", path, strerror(errno));
	CHECK(pwrite(fd, text, strlen(text), off) == (ssize_t)strlen(text), "pwrite %s", path);
	CHECK(close(fd) == 0, "close %s", path);
	memcpy(want + off, text, strlen(text));
}

/* The next read of cap bytes from fd gives want[from, from + n). */
static void expect_read(int fd, size_t cap, size_t from, size_t n, const char *what)
{
	ssize_t r = read(fd, got, cap);

	CHECK(r == (ssize_t)n, "%s: read %zu at %zu gave %zd (%s), want %zu", what, cap, from, r,
	      r < 0 ? strerror(errno) : "", n);
	CHECK(memcmp(got, want + from, n) == 0, "%s: wrong bytes at %zu", what, from);
}

static void sizes(void)
{
	int fd;

	make(FILE_F, SHORT_LEN, 1);
	fd = open_ro(FILE_F);
	expect_read(fd, PAGE, 0, SHORT_LEN, "short file");
	expect_read(fd, PAGE, SHORT_LEN, 0, "short file's end");
	close(fd);

	make(FILE_F, PAGE, 2);
	fd = open_ro(FILE_F);
	expect_read(fd, 2 * PAGE, 0, PAGE, "a page's file");
	expect_read(fd, PAGE, PAGE, 0, "a page's file's end");
	close(fd);

	make(FILE_F, LONG_LEN, 3);
	fd = open_ro(FILE_F);
	expect_read(fd, 2 * PAGE, 0, 2 * PAGE, "long read of a long file");
	expect_read(fd, PAGE, 2 * PAGE, LONG_LEN - 2 * PAGE, "the long file's rest");
	close(fd);
	fd = open_ro(FILE_F);
	expect_read(fd, PAGE, 0, PAGE, "a page of a long file");
	expect_read(fd, PAGE, PAGE, PAGE, "its next page");
	close(fd);
	printf("t_readahead: sizes ok\n");
}

static void writes(void)
{
	pid_t pid;
	int fd, status;

	make(FILE_F, SHORT_LEN, 4);
	fd = open_ro(FILE_F);
	put_at(FILE_F, 0, "written");
	expect_read(fd, PAGE, 0, SHORT_LEN, "after a write through another descriptor");
	close(fd);

	fd = open_ro(FILE_F);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int w = open(FILE_F, O_WRONLY);

		_exit(w >= 0 && pwrite(w, "child", 5, 0) == 5 && close(w) == 0 ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the writing child failed");
	memcpy(want, "child", 5);
	expect_read(fd, PAGE, 0, SHORT_LEN, "after another process's write");
	close(fd);

	fd = open_ro(FILE_F);
	CHECK(truncate(FILE_F, SEEK_TO) == 0, "truncate: %s", strerror(errno));
	expect_read(fd, PAGE, 0, SEEK_TO, "after a truncate");
	close(fd);

	make(FILE_F, SHORT_LEN, 5);
	fd = open_ro(FILE_F);
	put_at(FILE_F, SHORT_LEN, "appended");
	expect_read(fd, PAGE, 0, SHORT_LEN + strlen("appended"), "after an append");
	close(fd);

	make(FILE_F, 0, 6);
	fd = open_ro(FILE_F);
	put_at(FILE_F, 0, "hi");
	expect_read(fd, PAGE, 0, strlen("hi"), "an empty file written to");
	close(fd);
	printf("t_readahead: writes ok\n");
}

/* Writes text at 0 through a shared mapping of path's first page. */
static void map_write(const char *path, const char *text)
{
	int w = open(path, O_RDWR);
	char *m;

	CHECK(w >= 0, "open %s O_RDWR: %s", path, strerror(errno));
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0);
	CHECK(m != MAP_FAILED, "mmap %s: %s", path, strerror(errno));
	memcpy(m, text, strlen(text));
	memcpy(want, text, strlen(text));
	CHECK(munmap(m, PAGE) == 0, "munmap");
	close(w);
}

static void mappings(void)
{
	int fd, w;
	char *m;

	/* Mapped before the open, written after it. */
	make(FILE_F, PAGE, 7);
	w = open(FILE_F, O_RDWR);
	CHECK(w >= 0, "open O_RDWR: %s", strerror(errno));
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0);
	CHECK(m != MAP_FAILED, "mmap: %s", strerror(errno));
	fd = open_ro(FILE_F);
	memcpy(m, "mapped", 6);
	memcpy(want, "mapped", 6);
	expect_read(fd, PAGE, 0, PAGE, "after a write through an earlier mapping");
	close(fd);
	CHECK(munmap(m, PAGE) == 0, "munmap");
	close(w);

	/* Mapped after the open. */
	make(FILE_F, PAGE, 8);
	fd = open_ro(FILE_F);
	map_write(FILE_F, "later");
	expect_read(fd, PAGE, 0, PAGE, "after a write through a later mapping");
	close(fd);
	printf("t_readahead: mappings ok\n");
}

static void offsets(void)
{
	int fd;

	make(FILE_F, SHORT_LEN, 9);
	fd = open_ro(FILE_F);
	CHECK(lseek(fd, SEEK_TO, SEEK_SET) == SEEK_TO, "lseek: %s", strerror(errno));
	expect_read(fd, PAGE, SEEK_TO, SHORT_LEN - SEEK_TO, "after a seek");
	close(fd);

	fd = open_ro(FILE_F);
	CHECK(pread(fd, got, PREAD_LEN, PREAD_AT) == PREAD_LEN &&
	      memcmp(got, want + PREAD_AT, PREAD_LEN) == 0, "pread before the first read");
	expect_read(fd, PAGE, 0, SHORT_LEN, "a read after a pread");
	close(fd);

	fd = open_ro(FILE_F);
	errno = 0;
	CHECK(read(fd, (void *)1, PAGE) == -1 && errno == EFAULT, "read into a bad buffer: %s",
	      strerror(errno));
	expect_read(fd, PAGE, 0, SHORT_LEN, "a read after EFAULT");
	close(fd);
	printf("t_readahead: offsets ok\n");
}

static void names(void)
{
	int fd;

	make(FILE_F, SHORT_LEN, 10);
	fd = open_ro(FILE_F);
	CHECK(unlink(FILE_F) == 0, "unlink: %s", strerror(errno));
	expect_read(fd, PAGE, 0, SHORT_LEN, "an unlinked open file");
	close(fd);

	make(FILE_F, SHORT_LEN, 11);
	fd = open_ro(FILE_F);
	make(FILE_G, SHORT_LEN, 12);
	CHECK(rename(FILE_G, FILE_F) == 0, "rename: %s", strerror(errno));
	make(FILE_G, SHORT_LEN, 11); /* want: the open file's own bytes */
	expect_read(fd, PAGE, 0, SHORT_LEN, "a file renamed over");
	close(fd);
	CHECK(unlink(FILE_G) == 0 && unlink(FILE_F) == 0, "unlink: %s", strerror(errno));
	printf("t_readahead: names ok\n");
}

static void many(void)
{
	int fds[MANY_FILES];
	char path[64];

	for (int i = 0; i < MANY_FILES; i++) {
		snprintf(path, sizeof(path), DIR_T "/m%d", i);
		make(path, SHORT_LEN, i);
		fds[i] = open_ro(path);
	}
	for (int i = 0; i < MANY_FILES; i++) {
		for (size_t j = 0; j < SHORT_LEN; j++)
			want[j] = byte_of(i, j);
		expect_read(fds[i], PAGE, 0, SHORT_LEN, "one of many open files");
		close(fds[i]);
		snprintf(path, sizeof(path), DIR_T "/m%d", i);
		CHECK(unlink(path) == 0, "unlink %s", path);
	}
	printf("t_readahead: many ok\n");
}

static unsigned long long free_bytes(void)
{
	struct sysinfo si;

	CHECK(sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
	return (unsigned long long)si.freeram * si.mem_unit;
}

/* One file made, opened, read (or not), closed and unlinked. */
static void cycle(int i)
{
	int fd;

	make(FILE_F, PAGE, i);
	fd = open_ro(FILE_F);
	if (i % 2)
		expect_read(fd, PAGE, 0, PAGE, "a cycled file");
	CHECK(close(fd) == 0 && unlink(FILE_F) == 0, "close, unlink: %s", strerror(errno));
}

static void memory(void)
{
	unsigned long long before, after;

	for (int i = 0; i < WARM_CYCLES; i++)
		cycle(i);
	before = free_bytes();
	for (int i = 0; i < CYCLES; i++)
		cycle(i);
	after = free_bytes();
	CHECK(after + CYCLE_SLACK >= before, "free memory fell by %llu bytes in %d cycles",
	      before - after, CYCLES);
	printf("t_readahead: memory ok\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK(mkdir(DIR_T, 0755) == 0 || errno == EEXIST, "mkdir: %s", strerror(errno));
	sizes();
	writes();
	mappings();
	offsets();
	names();
	many();
	memory();
	rmdir(DIR_T);
	printf("PASS: t_readahead\n");
	return 0;
}
