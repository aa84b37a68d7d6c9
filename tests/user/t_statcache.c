/*
 * t_statcache: stat answers after the file changed (runs as root;
 * unprivileged cases in a child). Each case stats its paths twice first,
 * so that a kernel keeping a file system's stat answers (Anode's stat
 * cache, kernel/scheme/uscheme_stat.c) has them, then changes the file and
 * checks stat, lstat, fstatat and access give the new state: after chmod,
 * chown, rename over, unlink, truncate (by path and descriptor), a write
 * that grows the file, rmdir and mkdir; names that were not there (ENOENT
 * seen twice) once made; a link and the file it names are
 * distinct answers (stat, lstat); search permission is the caller's:
 * a directory only root may search stays EACCES for uid 1000 after root's
 * stats (of a file in it, and of a name not there: ENOENT for root), and
 * so does one whose owner lacks the execute bit that others
 * have (its owner is refused, the others are not); one made 0700 after a
 * stat refuses at once. Then a writer growing a file (ftruncate to 1, 2,
 * ...) and changing its owner (chown to 1, 2, ...) races readers stat'ing
 * it, as two threads and as two processes: a reader that saw step k
 * published (after its call returned) never stats anything older.
 * Prints "PASS: t_statcache" or "FAIL: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "t_statcache"
#include "check.h"
#include "check_fs.h"

#define USER_ID 1000
#define OTHER_ID 1001
#define TOP "/tmp/t_statcache"
#define FILE_A TOP "/a"
#define FILE_B TOP "/b"
#define LINK_L TOP "/l"
#define DIR_D TOP "/d"
#define FILE_DF DIR_D "/f"
#define NONE_DN DIR_D "/none"  /* never made */
#define DIR_N TOP "/n"          /* made after its ENOENT was seen */
#define FILE_NX DIR_N "/x"
#define RACE_FILE TOP "/race"
#define WARM_ROUNDS 2
#define RACE_STEPS 400         /* the writer's steps per race */
#define OWNER_ONLY_SEARCH 0700 /* only the owner (and root) may search */
#define OTHERS_SEARCH 0611     /* group and other may search, the owner not */

/* Stats path every way WARM_ROUNDS times, so a cache has the answers. */
static void warm(const char *path)
{
	struct stat st;

	for (int i = 0; i < WARM_ROUNDS; i++) {
		stat(path, &st);
		lstat(path, &st);
		fstatat(AT_FDCWD, path, &st, 0);
		access(path, F_OK);
	}
}

/* stat and fstatat agree on path; its status in *st. */
static void stat2(const char *path, struct stat *st)
{
	struct stat at;

	CHECK(stat(path, st) == 0, "stat %s: %s", path, strerror(errno));
	CHECK(fstatat(AT_FDCWD, path, &at, 0) == 0, "fstatat %s: %s", path, strerror(errno));
	CHECK(at.st_ino == st->st_ino && at.st_mode == st->st_mode && at.st_size == st->st_size &&
	      at.st_uid == st->st_uid, "fstatat %s differs from stat", path);
}

static void expect_enoent(const char *path)
{
	struct stat st;

	CHECK_ERR(stat(path, &st), ENOENT, path);
	CHECK_ERR(lstat(path, &st), ENOENT, path);
	CHECK_ERR(fstatat(AT_FDCWD, path, &st, 0), ENOENT, path);
	CHECK_ERR(access(path, F_OK), ENOENT, path);
}

static void test_attributes(void)
{
	struct stat st;
	int fd;

	warm(FILE_A);
	CHECK(chmod(FILE_A, 0600) == 0, "chmod: %s", strerror(errno));
	stat2(FILE_A, &st);
	CHECK((st.st_mode & 07777) == 0600, "mode %o after chmod 0600", st.st_mode & 07777);
	warm(FILE_A);
	CHECK(chown(FILE_A, USER_ID, OTHER_ID) == 0, "chown: %s", strerror(errno));
	stat2(FILE_A, &st);
	CHECK(st.st_uid == USER_ID && st.st_gid == OTHER_ID, "owner %d:%d after chown",
	      (int)st.st_uid, (int)st.st_gid);
	warm(FILE_A);
	CHECK(truncate(FILE_A, 100) == 0, "truncate: %s", strerror(errno));
	stat2(FILE_A, &st);
	CHECK(st.st_size == 100, "size %lld after truncate 100", (long long)st.st_size);
	fd = open(FILE_A, O_WRONLY);
	CHECK(fd >= 0, "open: %s", strerror(errno));
	warm(FILE_A);
	CHECK(ftruncate(fd, 7) == 0, "ftruncate: %s", strerror(errno));
	stat2(FILE_A, &st);
	CHECK(st.st_size == 7, "size %lld after ftruncate 7", (long long)st.st_size);
	warm(FILE_A);
	CHECK(pwrite(fd, "0123456789", 10, 20) == 10, "pwrite: %s", strerror(errno));
	stat2(FILE_A, &st);
	CHECK(st.st_size == 30, "size %lld after a write to 30", (long long)st.st_size);
	close(fd);
	printf("t_statcache: chmod, chown, truncate, write ok\n");
}

static void test_names(void)
{
	struct stat st, a;

	warm(FILE_A);
	warm(FILE_B);
	stat2(FILE_A, &a);
	CHECK(rename(FILE_A, FILE_B) == 0, "rename: %s", strerror(errno));
	expect_enoent(FILE_A);
	stat2(FILE_B, &st);
	CHECK(st.st_ino == a.st_ino && st.st_size == a.st_size, "rename over: b is not a's file");
	warm(FILE_B);
	CHECK(unlink(FILE_B) == 0, "unlink: %s", strerror(errno));
	expect_enoent(FILE_B);
	/* Names that were not there, then made: a file, a directory and a
	 * file in it. */
	warm(FILE_B);
	warm(FILE_NX);
	put(FILE_B, "bb", 0644);
	stat2(FILE_B, &st);
	CHECK(st.st_size == 2, "the new b's size %lld", (long long)st.st_size);
	expect_enoent(FILE_NX);
	CHECK(mkdir(DIR_N, 0755) == 0, "mkdir: %s", strerror(errno));
	expect_enoent(FILE_NX);
	put(FILE_NX, "x", 0644);
	stat2(FILE_NX, &st);
	CHECK(unlink(FILE_NX) == 0 && rmdir(DIR_N) == 0 && unlink(FILE_B) == 0, "clean: %s",
	      strerror(errno));
	expect_enoent(DIR_N);
	/* A link and its file: two answers, and the link retargeted. */
	put(FILE_A, "aa", 0644);
	CHECK(symlink("a", LINK_L) == 0, "symlink: %s", strerror(errno));
	warm(LINK_L);
	CHECK(stat(LINK_L, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 2, "stat of the link");
	CHECK(lstat(LINK_L, &st) == 0 && S_ISLNK(st.st_mode), "lstat of the link");
	CHECK(unlink(LINK_L) == 0 && symlink("d", LINK_L) == 0, "relink: %s", strerror(errno));
	CHECK(stat(LINK_L, &st) == 0 && S_ISDIR(st.st_mode), "stat of the relinked link");
	CHECK(lstat(LINK_L, &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1,
	      "lstat of the relinked link");
	CHECK(unlink(LINK_L) == 0, "unlink link: %s", strerror(errno));
	/* rmdir and mkdir in between. */
	warm(DIR_D);
	warm(FILE_DF);
	CHECK(unlink(FILE_DF) == 0 && rmdir(DIR_D) == 0, "rmdir: %s", strerror(errno));
	expect_enoent(DIR_D);
	expect_enoent(FILE_DF);
	CHECK(mkdir(DIR_D, 0755) == 0 && chmod(DIR_D, 0755) == 0, "mkdir: %s", strerror(errno));
	stat2(DIR_D, &st);
	CHECK(S_ISDIR(st.st_mode), "the new directory is no directory");
	expect_enoent(FILE_DF);
	put(FILE_DF, "f", 0644);
	stat2(FILE_DF, &st);
	CHECK(st.st_size == 1, "the new file's size %lld", (long long)st.st_size);
	printf("t_statcache: rename, unlink, links, rmdir, mkdir ok\n");
}

static void refused(void)
{
	struct stat st;

	CHECK_ERR(stat(FILE_DF, &st), EACCES, "stat through a directory it may not search");
	CHECK_ERR(lstat(FILE_DF, &st), EACCES, "lstat through a directory it may not search");
	CHECK_ERR(access(FILE_DF, F_OK), EACCES, "access through a directory it may not search");
	CHECK_ERR(stat(NONE_DN, &st), EACCES, "stat of nothing in a directory it may not search");
}

static void allowed(void)
{
	struct stat st;

	CHECK(stat(FILE_DF, &st) == 0, "uid %d stat: %s", (int)getuid(), strerror(errno));
	CHECK(access(FILE_DF, F_OK) == 0, "uid %d access: %s", (int)getuid(), strerror(errno));
	CHECK_ERR(stat(NONE_DN, &st), ENOENT, "stat of nothing in a directory it may search");
}

static void test_permissions(void)
{
	warm(FILE_DF);
	warm(NONE_DN);
	as_user(USER_ID, allowed, "0755 directory as uid 1000");
	warm(FILE_DF);
	CHECK(chmod(DIR_D, OWNER_ONLY_SEARCH) == 0, "chmod: %s", strerror(errno));
	as_user(USER_ID, refused, "directory made 0700 after a stat, as uid 1000");
	warm(FILE_DF); /* root's answers, through a directory only root may search */
	warm(NONE_DN);
	as_user(USER_ID, refused, "0700 directory after root's stats, as uid 1000");
	CHECK(chown(DIR_D, USER_ID, USER_ID) == 0 && chmod(DIR_D, OTHERS_SEARCH) == 0,
	      "chown: %s", strerror(errno));
	warm(FILE_DF);
	warm(NONE_DN);
	as_user(USER_ID, refused, "0611 directory as its owner");
	as_user(OTHER_ID, allowed, "0611 directory as another user");
	as_user(USER_ID, refused, "0611 directory as its owner, after another's stat");
	CHECK(chown(DIR_D, 0, 0) == 0 && chmod(DIR_D, 0755) == 0, "chown back: %s", strerror(errno));
	printf("t_statcache: permissions ok\n");
}

/* The race: the writer's last finished step, shared (a thread's, or a
 * MAP_SHARED page between processes). */
struct race {
	int fd;
	long done;              /* steps finished: size and owner are at least this */
	int failed;             /* the writer gave up: the reader stops */
};

static void *writer(void *arg)
{
	struct race *r = arg;

	for (long k = 1; k <= RACE_STEPS; k++) {
		if (ftruncate(r->fd, k) != 0 || fchown(r->fd, (uid_t)k, 0) != 0) {
			__atomic_store_n(&r->failed, 1, __ATOMIC_RELEASE);
			return (void *)1;
		}
		__atomic_store_n(&r->done, k, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Stats until the writer is done; every answer at least what was published. */
static void reader(struct race *r)
{
	long seen = 0;
	struct stat st;

	while (seen < RACE_STEPS && !__atomic_load_n(&r->failed, __ATOMIC_ACQUIRE)) {
		seen = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
		CHECK(stat(RACE_FILE, &st) == 0, "race stat: %s", strerror(errno));
		CHECK(st.st_size >= seen && (long)st.st_uid >= seen,
		      "stat saw size %lld, owner %d after step %ld was done", (long long)st.st_size,
		      (int)st.st_uid, seen);
	}
}

static struct race *race_start(void *shared)
{
	struct race *r = shared;

	unlink(RACE_FILE);
	r->fd = open(RACE_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(r->fd >= 0, "create %s: %s", RACE_FILE, strerror(errno));
	r->done = 0;
	r->failed = 0;
	warm(RACE_FILE);
	return r;
}

static void test_race(void)
{
	struct race *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			      -1, 0);
	void *ret;
	pthread_t t;
	pid_t pid;
	int status;

	CHECK(r != MAP_FAILED, "mmap: %s", strerror(errno));
	race_start(r);
	CHECK(pthread_create(&t, NULL, writer, r) == 0, "pthread_create");
	reader(r);
	CHECK(pthread_join(t, &ret) == 0 && ret == NULL, "the writer thread failed");
	close(r->fd);
	printf("t_statcache: two threads ok\n");
	race_start(r);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(writer(r) == NULL ? 0 : 1);
	reader(r);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the writer process failed: %#x", status);
	close(r->fd);
	unlink(RACE_FILE);
	printf("t_statcache: two processes ok\n");
}

static void clean(void)
{
	unlink(FILE_A);
	unlink(FILE_B);
	unlink(LINK_L);
	unlink(FILE_DF);
	unlink(RACE_FILE);
	unlink(FILE_NX);
	rmdir(DIR_N);
	rmdir(DIR_D);
	rmdir(TOP);
}

int main(void)
{
	clean();
	CHECK(mkdir(TOP, 0755) == 0 && mkdir(DIR_D, 0755) == 0, "mkdir: %s", strerror(errno));
	chmod(TOP, 0755); /* whatever the umask */
	chmod(DIR_D, 0755);
	put(FILE_A, "one", 0644);
	put(FILE_B, "two", 0644);
	put(FILE_DF, "f", 0644);
	test_attributes();
	test_names();
	test_permissions();
	test_race();
	clean();
	printf("PASS: t_statcache\n");
	return 0;
}
