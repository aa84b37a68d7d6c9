/*
 * tests/host/test_pathops.c: the pure checks behind symbolic links and
 * rename (kernel/scheme/path.c): path_redirect_check accepts exactly a
 * non-empty path of the length a scheme answered, NUL-terminated inside
 * the buffer, and refuses every malformed reply; path_is_inside is
 * rename's "a directory into itself" test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"

#define BUF 16

static void test_redirect_ok(void **state)
{
	char buf[BUF] = "/scheme/null";

	(void)state;
	assert_int_equal(path_redirect_check(buf, sizeof(buf), (int64_t)strlen(buf)), 0);
	memcpy(buf, "null:", 6);
	assert_int_equal(path_redirect_check(buf, sizeof(buf), 5), 0);
	/* The longest that fits: BUF-1 bytes and the NUL. */
	memset(buf, 'a', BUF - 1);
	buf[BUF - 1] = '\0';
	assert_int_equal(path_redirect_check(buf, sizeof(buf), BUF - 1), 0);
}

static void test_redirect_malformed(void **state)
{
	char buf[BUF] = "/dev/null";

	(void)state;
	/* Empty, negative, too long for the buffer. */
	assert_int_equal(path_redirect_check(buf, sizeof(buf), 0), -EIO);
	assert_int_equal(path_redirect_check(buf, sizeof(buf), -1), -EIO);
	assert_int_equal(path_redirect_check(buf, sizeof(buf), BUF), -EIO);
	assert_int_equal(path_redirect_check(buf, sizeof(buf), INT64_MAX), -EIO);
	/* The length says less or more than the string is. */
	assert_int_equal(path_redirect_check(buf, sizeof(buf), 4), -EIO);
	assert_int_equal(path_redirect_check(buf, sizeof(buf), 12), -EIO);
	/* No NUL at all. */
	memset(buf, 'a', BUF);
	assert_int_equal(path_redirect_check(buf, sizeof(buf), BUF - 1), -EIO);
}

static void test_inside(void **state)
{
	(void)state;
	assert_true(path_is_inside("/a", "/a/b"));
	assert_true(path_is_inside("/a", "/a/b/c"));
	assert_true(path_is_inside("a", "a/b"));
	assert_false(path_is_inside("/a", "/a"));
	assert_false(path_is_inside("/a", "/ab"));
	assert_false(path_is_inside("/a/b", "/a"));
	assert_false(path_is_inside("/a", "/b/a"));
	/* The root holds everything but itself. */
	assert_true(path_is_inside("/", "/x"));
	assert_true(path_is_inside("", "x"));
	assert_false(path_is_inside("/", "/"));
	assert_false(path_is_inside("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redirect_ok),
		cmocka_unit_test(test_redirect_malformed),
		cmocka_unit_test(test_inside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
