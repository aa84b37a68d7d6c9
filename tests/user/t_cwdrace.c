/*
 * t_cwdrace: one thread's chdir never tears the working directory another
 * thread of the process resolves against. A changer thread alternates
 * between two directories whose names differ in length (chdir to the one,
 * fchdir to the other) while the main thread opens, stats and reads a
 * relative "mark" in whichever it is in, and calls getcwd. Every answer
 * must be one of the two directories': an open that fails, a mark of
 * neither size, or a getcwd naming neither is a torn read (the kernel
 * once copied the new path over the old in place while readers used it:
 * a reader saw the first bytes of one name and the rest of the other).
 * Passes on Linux too (its fs_struct is read under a seqlock).
 * Prints "PASS: t_cwdrace" or "FAIL: t_cwdrace: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_cwdrace"
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#define BASE_FMT "/tmp/cwdrace.%d"
/* The two names differ in length and share no byte, so that any mix of
 * them (a longer name's tail behind a shorter one's head, or a NUL moved)
 * names no directory. */
#define SHORT_LEN 40
#define LONG_LEN 200
#define ROUNDS 3000        /* the reader's rounds; the changer runs until they end */
#define STATS_PER_ROUND 4  /* the cheapest lookup, repeated to widen the net */
#define MARK "mark"
#define DIR_MODE 0700
#define FILE_MODE 0600
#define BASE_MAX 64
#define DIR_PATH_MAX (BASE_MAX + 1 + LONG_LEN + 1)
#define MARK_PATH_MAX (DIR_PATH_MAX + sizeof(MARK) + 1)

struct dir {
	char path[DIR_PATH_MAX];
	char mark[MARK_PATH_MAX];  /* its mark's absolute path */
	size_t mark_size;        /* its mark's size: the two differ */
};

static struct dir dirs[2];
static volatile int done;
static unsigned long changes;

static void make_dir(struct dir *d, const char *base, char c, size_t len)
{
	char name[LONG_LEN + 1];
	int fd;

	memset(name, c, len);
	name[len] = '\0';
	CHECK(snprintf(d->path, sizeof(d->path), "%s/%s", base, name) < (int)sizeof(d->path),
	      "directory path too long");
	CHECK(mkdir(d->path, DIR_MODE) == 0, "mkdir %s: %s", d->path, strerror(errno));
	/* The mark holds the directory's own path: its size tells them apart. */
	d->mark_size = strlen(d->path);
	CHECK(snprintf(d->mark, sizeof(d->mark), "%s/%s", d->path, MARK) < (int)sizeof(d->mark),
	      "mark path too long");
	fd = open(d->mark, O_WRONLY | O_CREAT | O_EXCL, FILE_MODE);
	CHECK(fd >= 0, "create %s: %s", d->mark, strerror(errno));
	CHECK(write(fd, d->path, d->mark_size) == (ssize_t)d->mark_size, "write %s", d->mark);
	CHECK(close(fd) == 0, "close %s", d->mark);
}

/* chdir into the short one, fchdir into the long one: both writers. */
static void *changer(void *arg)
{
	int long_fd = open(dirs[1].path, O_RDONLY | O_DIRECTORY);

	(void)arg;
	CHECK(long_fd >= 0, "open %s: %s", dirs[1].path, strerror(errno));
	while (!done) {
		CHECK(chdir(dirs[0].path) == 0, "chdir: %s", strerror(errno));
		CHECK(fchdir(long_fd) == 0, "fchdir: %s", strerror(errno));
		changes++;
	}
	close(long_fd);
	return NULL;
}

/* Which of dirs the answer names, or -1. */
static int which_path(const char *s, size_t len)
{
	for (int i = 0; i < 2; i++)
		if (len == strlen(dirs[i].path) && memcmp(s, dirs[i].path, len) == 0)
			return i;
	return -1;
}

static void check_round(unsigned long round)
{
	char buf[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	for (int i = 0; i < STATS_PER_ROUND; i++) {
		CHECK(stat(MARK, &st) == 0, "round %lu: stat(\"" MARK "\"): %s", round,
		      strerror(errno));
		CHECK((size_t)st.st_size == dirs[0].mark_size ||
		      (size_t)st.st_size == dirs[1].mark_size,
		      "round %lu: stat(\"" MARK "\") size %lld is neither directory's", round,
		      (long long)st.st_size);
	}
	fd = open(MARK, O_RDONLY);
	CHECK(fd >= 0, "round %lu: open(\"" MARK "\"): %s", round, strerror(errno));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n > 0 && which_path(buf, (size_t)n) >= 0,
	      "round %lu: the mark opened is neither directory's", round);
	CHECK(getcwd(buf, sizeof(buf)) != NULL, "round %lu: getcwd: %s", round, strerror(errno));
	CHECK(which_path(buf, strlen(buf)) >= 0, "round %lu: getcwd gave %.60s... (%zu bytes)",
	      round, buf, strlen(buf));
}

static void cleanup(const char *base)
{
	CHECK(chdir("/") == 0, "chdir /: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		CHECK(unlink(dirs[i].mark) == 0, "unlink %s: %s", dirs[i].mark, strerror(errno));
		CHECK(rmdir(dirs[i].path) == 0, "rmdir %s: %s", dirs[i].path, strerror(errno));
	}
	CHECK(rmdir(base) == 0, "rmdir %s: %s", base, strerror(errno));
}

int main(void)
{
	char base[BASE_MAX];
	pthread_t t;

	snprintf(base, sizeof(base), BASE_FMT, (int)getpid());
	CHECK(mkdir(base, DIR_MODE) == 0, "mkdir %s: %s", base, strerror(errno));
	make_dir(&dirs[0], base, 'a', SHORT_LEN);
	make_dir(&dirs[1], base, 'b', LONG_LEN);
	CHECK(chdir(dirs[0].path) == 0, "chdir: %s", strerror(errno));
	CHECK(pthread_create(&t, NULL, changer, NULL) == 0, "pthread_create");
	for (unsigned long r = 0; r < ROUNDS; r++)
		check_round(r);
	done = 1;
	CHECK(pthread_join(t, NULL) == 0, "pthread_join");
	printf("t_cwdrace: %d rounds against %lu directory changes\n", ROUNDS, changes);
	/* A changer that never ran would prove nothing. */
	CHECK(changes > 0, "the changer thread never changed directory");
	cleanup(base);
	printf("PASS: t_cwdrace\n");
	return 0;
}
