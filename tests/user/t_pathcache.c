/*
 * t_pathcache: paths looked up again after the tree changed (runs as
 * root; unprivileged cases in a child). Each case first stats and opens
 * its paths twice, so that a daemon remembering paths (Anode's initfsd,
 * drivers/initfsd/initfsd_pcache.h) has them, then changes the tree and
 * checks the answers are the new tree's: a renamed directory's old path
 * is ENOENT and its new one the same file; an unlinked file is ENOENT and
 * a new one of that name has the new bytes; a removed directory is
 * ENOENT; a directory made 0700 (or given to another owner) refuses
 * search to uid 1000 and allows it again once 0755; a file readable by
 * all but writable by its owner opens for reading and is EACCES for
 * writing to uid 1000; a directory opened for writing is EISDIR, a file
 * with O_DIRECTORY ENOTDIR; a link (to a path, and to a name in its own
 * directory) is followed, is itself for lstat and ELOOP with O_NOFOLLOW;
 * a link to a name whose file was unlinked is ENOENT, then leads to the
 * new file, and once made again to another name leads there. Prints "PASS: t_pathcache" or "FAIL: ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "t_pathcache"
#include "check.h"
#include "check_fs.h"

#define USER_ID 1000
#define OTHER_ID 1001
#define TOP "/tmp/t_pathcache"
#define DIR_D TOP "/d"
#define DIR_E TOP "/e"
#define FILE_F DIR_D "/f"
#define LINK_L TOP "/l"
#define LINK_LF DIR_D "/lf"      /* -> "f", a name in its own directory */
#define FILE_G DIR_D "/g"
#define DIR_G TOP "/g"
#define WARM_ROUNDS 2

/* path's bytes are text. */
static void expect(const char *path, const char *text)
{
	char buf[64] = { 0 };
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	CHECK(read(fd, buf, sizeof(buf) - 1) == (ssize_t)strlen(text), "read %s", path);
	CHECK(strcmp(buf, text) == 0, "%s holds \"%s\", not \"%s\"", path, buf, text);
	close(fd);
}

/* Looks path up as a stat and an open would, WARM_ROUNDS times. */
static void warm(const char *path)
{
	struct stat st;

	for (int i = 0; i < WARM_ROUNDS; i++) {
		int fd = open(path, O_RDONLY);

		CHECK(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
		CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
		close(fd);
	}
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
	return st.st_ino;
}

static void expect_enoent(const char *path)
{
	struct stat st;

	CHECK_ERR(stat(path, &st), ENOENT, path);
	CHECK_ERR(open(path, O_RDONLY), ENOENT, path);
}

static void user_searches(void)
{
	struct stat st;

	CHECK(stat(FILE_F, &st) == 0, "uid %d stat: %s", (int)getuid(), strerror(errno));
	expect(FILE_F, "two");
}

static void user_refused(void)
{
	struct stat st;

	CHECK_ERR(stat(FILE_F, &st), EACCES, "stat through a 0700 directory");
	CHECK_ERR(open(FILE_F, O_RDONLY), EACCES, "open through a 0700 directory");
}

static void user_reads_not_writes(void)
{
	expect(FILE_F, "two");
	CHECK_ERR(open(FILE_F, O_WRONLY), EACCES, "open 0644 for writing as another user");
	CHECK_ERR(open(FILE_F, O_RDWR), EACCES, "open 0644 read-write as another user");
}

static void test_rename_unlink_rmdir(void)
{
	ino_t f;

	warm(FILE_F);
	f = ino_of(FILE_F);
	CHECK(rename(DIR_D, DIR_E) == 0, "rename: %s", strerror(errno));
	expect_enoent(FILE_F);
	CHECK(ino_of(DIR_E "/f") == f, "the renamed file is another");
	CHECK(rename(DIR_E, DIR_D) == 0, "rename back: %s", strerror(errno));
	warm(FILE_F);
	CHECK(unlink(FILE_F) == 0, "unlink: %s", strerror(errno));
	expect_enoent(FILE_F);
	put(FILE_F, "two", 0644);
	warm(FILE_F);
	expect(FILE_F, "two");
	CHECK(mkdir(DIR_G, 0755) == 0, "mkdir: %s", strerror(errno));
	warm(DIR_G);
	CHECK(rmdir(DIR_G) == 0, "rmdir: %s", strerror(errno));
	expect_enoent(DIR_G);
	printf("t_pathcache: rename, unlink, rmdir ok\n");
}

static void test_permissions(void)
{
	warm(FILE_F);
	as_user(USER_ID, user_reads_not_writes, "0644 file as uid 1000");
	CHECK(chmod(TOP, 0700) == 0, "chmod 0700: %s", strerror(errno));
	as_user(USER_ID, user_refused, "0700 directory as uid 1000");
	CHECK(chmod(TOP, 0755) == 0, "chmod 0755: %s", strerror(errno));
	warm(FILE_F);
	as_user(USER_ID, user_searches, "0755 directory as uid 1000");
	CHECK(chown(TOP, USER_ID, USER_ID) == 0 && chmod(TOP, 0700) == 0, "chown: %s",
	      strerror(errno));
	as_user(USER_ID, user_searches, "0700 directory owned by uid 1000");
	as_user(OTHER_ID, user_refused, "0700 directory of uid 1000 as uid 1001");
	CHECK(chown(TOP, 0, 0) == 0 && chmod(TOP, 0755) == 0, "chown back: %s", strerror(errno));
	printf("t_pathcache: permissions ok\n");
}

static void test_kinds(void)
{
	struct stat st;

	warm(DIR_D);
	warm(FILE_F);
	CHECK_ERR(open(DIR_D, O_RDWR), EISDIR, "a directory for writing");
	CHECK_ERR(open(FILE_F, O_RDONLY | O_DIRECTORY), ENOTDIR, "a file with O_DIRECTORY");
	close(open(DIR_D, O_RDONLY | O_DIRECTORY));
	CHECK(symlink("d/f", LINK_L) == 0, "symlink: %s", strerror(errno));
	warm(LINK_L);
	CHECK(ino_of(LINK_L) == ino_of(FILE_F), "the link leads elsewhere");
	CHECK(lstat(LINK_L, &st) == 0 && S_ISLNK(st.st_mode), "lstat of the link");
	CHECK_ERR(open(LINK_L, O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on the link");
	expect(LINK_L, "two");
	CHECK(symlink("f", LINK_LF) == 0, "symlink: %s", strerror(errno));
	warm(LINK_LF);
	CHECK(ino_of(LINK_LF) == ino_of(FILE_F), "the link to a name leads elsewhere");
	CHECK(lstat(LINK_LF, &st) == 0 && S_ISLNK(st.st_mode), "lstat of the link to a name");
	CHECK_ERR(open(LINK_LF, O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on the link to a name");
	CHECK(unlink(FILE_F) == 0, "unlink: %s", strerror(errno));
	expect_enoent(LINK_LF);
	put(FILE_F, "two", 0644);
	expect(LINK_LF, "two");
	/* The link made again to another name. */
	put(FILE_G, "three", 0644);
	CHECK(unlink(LINK_LF) == 0 && symlink("g", LINK_LF) == 0, "relink: %s", strerror(errno));
	expect(LINK_LF, "three");
	printf("t_pathcache: kinds and links ok\n");
}

int main(void)
{
	unlink(LINK_LF);
	unlink(FILE_G);
	unlink(LINK_L);
	unlink(FILE_F);
	unlink(DIR_E "/f");
	rmdir(DIR_D);
	rmdir(DIR_E);
	rmdir(DIR_G);
	rmdir(TOP);
	CHECK(mkdir(TOP, 0755) == 0 && mkdir(DIR_D, 0755) == 0, "mkdir: %s", strerror(errno));
	chmod(TOP, 0755); /* whatever the umask */
	chmod(DIR_D, 0755);
	put(FILE_F, "one", 0644);
	test_rename_unlink_rmdir();
	test_permissions();
	test_kinds();
	unlink(LINK_LF);
	unlink(FILE_G);
	unlink(LINK_L);
	unlink(FILE_F);
	rmdir(DIR_D);
	rmdir(TOP);
	printf("PASS: t_pathcache\n");
	return 0;
}
