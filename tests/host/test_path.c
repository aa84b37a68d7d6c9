/*
 * tests/host/test_path.c: path-to-scheme resolution (kernel/scheme/path.c): the
 * three path forms, normalization of file paths, /dev as plain file paths, the scheme-prefix test
 * the *at() calls share, and every error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"

#define SCHEME_SIZE 32

static void check(const char *path, const char *cwd, const char *scheme, const char *rest)
{
	char s[SCHEME_SIZE], r[PATH_MAX_LEN];

	assert_int_equal(path_resolve(path, cwd, s, sizeof(s), r, sizeof(r)), 0);
	assert_string_equal(s, scheme);
	assert_string_equal(r, rest);
}

static int resolve(const char *path, const char *cwd)
{
	char s[SCHEME_SIZE], r[PATH_MAX_LEN];

	return path_resolve(path, cwd, s, sizeof(s), r, sizeof(r));
}

static void test_scheme_colon(void **state)
{
	(void)state;
	check("sys:uname", "/", "sys", "uname");
	check("debug:", "/", "debug", "");
	check("initfs:/bin/ls", "/tmp", "initfs", "/bin/ls");
	check("time:monotonic", "/", "time", "monotonic");
	check("a.b-c_9:x:y", "/", "a.b-c_9", "x:y"); /* only the first colon splits */
}

static void test_scheme_dir(void **state)
{
	(void)state;
	check("/scheme/sys/uname", "/", "sys", "uname");
	check("/scheme/null", "/", "null", "");
	check("/scheme/initfs/bin/ls", "/", "initfs", "bin/ls");
	check("/scheme", "/", "scheme", "");    /* the directory of schemes */
	check("/scheme/", "/", "scheme", "");
	check("/scheme//", "/", "scheme", "");
	assert_int_equal(resolve("/scheme//sys", "/"), -ENOENT);
	assert_int_equal(resolve("/scheme/Bad/x", "/"), -EINVAL);
}

/* /dev is the root file system's (symbolic links its daemon follows):
 * its paths are file paths like any other, whether or not a scheme serves. */
static void test_dev_nodes(void **state)
{
	(void)state;
	check("/dev/null", "/", "file", "/dev/null");
	check("/dev/../dev/zero", "/", "file", "/dev/zero"); /* after normalization */
	check("null", "/dev", "file", "/dev/null");          /* relative to /dev */
	check("/dev/console", "/", "file", "/dev/console");
	check("/dev/ttyAMA0", "/", "file", "/dev/ttyAMA0");
	check("/dev", "/", "file", "/dev");
}

static void test_file_paths(void **state)
{
	(void)state;
	check("/bin/ls", "/", "file", "/bin/ls");
	check("ls", "/bin", "file", "/bin/ls");
	check("../etc/motd", "/bin", "file", "/etc/motd");
	check("./a//b/./c/", "/", "file", "/a/b/c");
	check("/..", "/", "file", "/");
	check("../../..", "/a/b", "file", "/");
	check("a/b/../../c", "/x", "file", "/x/c");
	check("/Bin:x", "/", "file", "/Bin:x");  /* '/' first: not a scheme */
	check("Upper:x", "/", "file", "/Upper:x"); /* scheme names are lower case */
	check(":x", "/", "file", "/:x");          /* empty scheme name */
	check("/schemes", "/", "file", "/schemes"); /* not the directory of schemes */
}

static void normal(const char *path, const char *want)
{
	char r[PATH_MAX_LEN];

	assert_int_equal(path_normalize(path, r, sizeof(r)), 0);
	assert_string_equal(r, want);
}

/* Paths already normal are copied whole (path.c's word-at-a-time scan for
 * '/'): every form that is not normal must still be noticed, wherever it
 * falls within an 8-byte word, and the length check stays exact. */
static void test_normal_copy(void **state)
{
	char r[8];

	(void)state;
	normal("/", "/");
	normal("/a", "/a");
	normal("/.x", "/.x");
	normal("/..x/x..", "/..x/x..");
	normal("/abcdefg/hijklmno/pqrstuv/w", "/abcdefg/hijklmno/pqrstuv/w");
	normal("/abcdefghijklmnopq/r", "/abcdefghijklmnopq/r");
	normal("/abcdefg/", "/abcdefg");
	normal("/abcdefg/.", "/abcdefg");
	normal("/abcdefg/..", "/");
	normal("/abcdefghijklmno//x", "/abcdefghijklmno/x");
	normal("/abcdefghijklmno/./x", "/abcdefghijklmno/x");
	normal("/abcdefghijklmno/../x", "/x");
	normal("/abcdefghijklmno/...", "/abcdefghijklmno/...");
	normal("/abcdef/..", "/");          /* the '/' ends a word, ".." the next */
	normal("/abcdef/.b/..c/c./d..", "/abcdef/.b/..c/c./d..");
	normal("/a/./.", "/a");              /* a flagged '.' after a '/' */
	normal("/abcdefghijklmn/", "/abcdefghijklmn"); /* '/' last in a word */
	normal("//", "/");
	normal("/.", "/");
	normal("/..", "/");
	assert_int_equal(path_normalize("/abcdef", r, sizeof(r)), 0);
	assert_string_equal(r, "/abcdef");
	assert_int_equal(path_normalize("/abcdefg", r, sizeof(r)), -ENAMETOOLONG);
}

/* The scan loads whole aligned words, so where the path starts within a
 * word moves every '/' and the NUL: the same paths at each offset. */
static void test_normal_offsets(void **state)
{
	static const char *const paths[][2] = {
		{ "/tmp/bench_a/bench_b/bench_c", "/tmp/bench_a/bench_b/bench_c" },
		{ "/a/./b", "/a/b" }, { "/a/b/", "/a/b" }, { "/a//b", "/a/b" },
		{ "/a/b/..", "/a" }, { "/.a/..b/c.", "/.a/..b/c." }, { "a/b", "/a/b" },
	};
	_Alignas(8) char buf[64];

	(void)state;
	for (size_t off = 0; off < 8; off++)
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			memset(buf, '/', sizeof(buf)); /* '/' after the NUL: ignored */
			memcpy(buf + off, paths[i][0], strlen(paths[i][0]) + 1);
			normal(buf + off, paths[i][1]);
		}
}

/* The one scheme-prefix test, as the *at() calls use it: a ':' makes a
 * scheme path only after a valid name at the very start. */
static void test_absolute(void **state)
{
	(void)state;
	assert_int_equal(path_scheme_prefix("sys:uname"), 3);
	assert_int_equal(path_scheme_prefix("null:"), 4);
	assert_int_equal(path_scheme_prefix("sub/X:y"), 0);
	assert_int_equal(path_scheme_prefix("Upper:x"), 0);
	assert_int_equal(path_scheme_prefix(":x"), 0);
	assert_int_equal(path_scheme_prefix("plain"), 0);
	assert_true(path_is_absolute("/bin"));
	assert_true(path_is_absolute("initfs:bin/ls"));
	assert_false(path_is_absolute("sub/X:y"));
	assert_false(path_is_absolute("a b:c"));
	assert_false(path_is_absolute("true"));
}

static void test_errors(void **state)
{
	char s[SCHEME_SIZE], r[PATH_MAX_LEN], big[PATH_MAX_LEN + 8], tiny[4];

	(void)state;
	assert_int_equal(resolve("", "/"), -EINVAL);
	assert_int_equal(path_resolve(NULL, "/", s, sizeof(s), r, sizeof(r)), -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(resolve(big, "/"), -ENAMETOOLONG);
	/* A long scheme name does not fit the caller's buffer. */
	assert_int_equal(path_resolve("averyveryverylongschemename123456789:x", "/", s, sizeof(s), r, sizeof(r)),
			 -ENAMETOOLONG);
	assert_int_equal(path_resolve("/abcdef", "/", s, sizeof(s), tiny, sizeof(tiny)), -ENAMETOOLONG);
	assert_int_equal(path_normalize("/a", tiny, 1), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scheme_colon),
		cmocka_unit_test(test_scheme_dir),
		cmocka_unit_test(test_dev_nodes),
		cmocka_unit_test(test_file_paths),
		cmocka_unit_test(test_normal_copy),
		cmocka_unit_test(test_normal_offsets),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
