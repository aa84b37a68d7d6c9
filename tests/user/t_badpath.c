/*
 * t_badpath: the file system given bad paths, in a directory of its own
 * under /tmp. ".." never climbs above the root ("/.." is "/", and a long
 * run of ".." from deep down lands there too); a name of NAME_MAX bytes
 * works and one byte more is ENAMETOOLONG for open, mkdir, stat, rename
 * and unlink, changing nothing; a path of PATH_MAX bytes (no room for its
 * NUL) is ENAMETOOLONG and one of 1023 (Anode's limit, 1024 with the NUL)
 * works; "" is ENOENT; "/./",
 * "//" runs and trailing slashes resolve as on Linux (a file followed by
 * "/" or "/." is ENOTDIR). Embedded NULs cannot be written in a C path:
 * the scheme-level case (a daemon's redirect with one inside) is
 * t_usreply's. On Anode, where "/scheme" exists, "name:" paths get the
 * same treatment: ".." stops at the scheme's root and never leaves it.
 * Prints "PASS: t_badpath" or "FAIL: t_badpath: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BASE "/tmp"
#define DOTDOTS 64 /* ".." components, far more than the directory is deep */
/* The longest path the Anode kernel takes, NUL included
 * (kernel/scheme/path.h's PATH_MAX_LEN); Linux takes up to PATH_MAX. */
#define ANODE_PATH_MAX 1024

#define FAIL(...) do { \
	printf("FAIL: t_badpath: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
#define CHECK_ERR(call, err, what) \
	CHECK((call) == -1 && errno == (err), "%s: %s, not %s", what, strerror(errno), strerror(err))

static char dir[64];

static void same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	CHECK(stat(a, &sa) == 0, "stat %.60s: %s", a, strerror(errno));
	CHECK(stat(b, &sb) == 0, "stat %.60s: %s", b, strerror(errno));
	CHECK(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino, "%.60s is not %.60s", a, b);
}

static void test_dotdot(void)
{
	char path[PATH_MAX];
	size_t n;

	same_file("/..", "/");
	same_file("/../../..", "/");
	same_file("/../../tmp", BASE);
	n = (size_t)snprintf(path, sizeof(path), "%s", dir);
	for (int i = 0; i < DOTDOTS; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "/..");
	same_file(path, "/");
	snprintf(path + n, sizeof(path) - n, "%s", BASE);
	same_file(path, BASE);
	printf("t_badpath: .. stops at the root\n");
}

static void test_names(void)
{
	char name[NAME_MAX + 2], path[PATH_MAX], other[PATH_MAX];
	struct stat st;
	int fd;

	memset(name, 'n', sizeof(name) - 1);
	name[NAME_MAX] = '\0';	/* NAME_MAX bytes: fine */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0, "a %d-byte name: %s", NAME_MAX, strerror(errno));
	close(fd);
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode), "stat of the long name: %s", strerror(errno));
	snprintf(other, sizeof(other), "%s/%sn", dir, name);	/* one more */
	CHECK_ERR(open(other, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG, "open of NAME_MAX+1");
	CHECK_ERR(mkdir(other, 0755), ENAMETOOLONG, "mkdir of NAME_MAX+1");
	CHECK_ERR(stat(other, &st), ENAMETOOLONG, "stat of NAME_MAX+1");
	CHECK_ERR(rename(path, other), ENAMETOOLONG, "rename to NAME_MAX+1");
	CHECK_ERR(unlink(other), ENAMETOOLONG, "unlink of NAME_MAX+1");
	CHECK(stat(path, &st) == 0, "the refused rename moved the file: %s", strerror(errno));
	CHECK(unlink(path) == 0, "unlink of the long name: %s", strerror(errno));
	printf("t_badpath: NAME_MAX ok\n");
}

static void test_path_max(void)
{
	char *path = malloc(PATH_MAX + 1);
	struct stat st;

	CHECK(path != NULL, "malloc");
	/* PATH_MAX bytes of slashes then the directory: no room for the NUL. */
	memset(path, '/', PATH_MAX);
	strcpy(path + PATH_MAX - strlen(BASE), BASE);
	CHECK(strlen(path) == PATH_MAX, "built %zu bytes", strlen(path));
	CHECK_ERR(stat(path, &st), ENAMETOOLONG, "stat of PATH_MAX bytes");
	CHECK_ERR(open(path, O_RDONLY), ENAMETOOLONG, "open of PATH_MAX bytes");
	/* Anode's own limit, less than PATH_MAX, fits exactly, slashes and all. */
	CHECK(stat(path + PATH_MAX - ANODE_PATH_MAX + 1, &st) == 0 && S_ISDIR(st.st_mode),
	      "stat of %d bytes: %s", ANODE_PATH_MAX - 1, strerror(errno));
	free(path);
	printf("t_badpath: PATH_MAX ok\n");
}

static void test_odd_forms(void)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct stat st;
	int fd;

	CHECK_ERR(stat("", &st), ENOENT, "stat of \"\"");
	CHECK_ERR(open("", O_RDONLY), ENOENT, "open of \"\"");
	CHECK_ERR(mkdir("", 0755), ENOENT, "mkdir of \"\"");
	snprintf(path, sizeof(path), "%s//.//./f", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0, "create through //.//./: %s", strerror(errno));
	close(fd);
	snprintf(file, sizeof(file), "%s/f", dir);
	same_file(path, file);
	snprintf(path, sizeof(path), "%s/f/", dir);
	CHECK_ERR(stat(path, &st), ENOTDIR, "stat of a file with a trailing /");
	snprintf(path, sizeof(path), "%s/f/.", dir);
	CHECK_ERR(open(path, O_RDONLY), ENOTDIR, "open of file/.");
	snprintf(path, sizeof(path), "%s///", dir);
	same_file(path, dir);
	CHECK(unlink(file) == 0, "unlink f: %s", strerror(errno));
	printf("t_badpath: odd forms ok\n");
}

/* Anode's "name:" paths: ".." stops at the scheme's root. */
static void test_scheme_paths(void)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat("/scheme", &st) != 0) {
		printf("t_badpath: no /scheme (not Anode): scheme paths skipped\n");
		return;
	}
	same_file("initfs:../../etc", "initfs:etc");
	same_file("initfs:etc/../../../etc/passwd", "initfs:etc/passwd");
	/* This test's directory is in the root file system, not in initfs:
	 * ".." did not leave initfs for it. */
	snprintf(path, sizeof(path), "initfs:../..%s", dir);
	CHECK_ERR(stat(path, &st), ENOENT, path);
	CHECK_ERR(stat("initfs:../scheme/null", &st), ENOENT, "initfs:../scheme/null");
	printf("t_badpath: scheme paths ok\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(dir, sizeof(dir), "%s/t_badpath.%d", BASE, (int)getpid());
	CHECK(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	test_dotdot();
	test_names();
	test_path_max();
	test_odd_forms();
	test_scheme_paths();
	CHECK(rmdir(dir) == 0, "rmdir: %s", strerror(errno));
	printf("PASS: t_badpath\n");
	return 0;
}
