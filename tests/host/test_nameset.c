/*
 * tests/host/test_nameset.c: the name sets namespaces are made of
 * (kernel/scheme/nameset.c): parsing NUL-separated lists, every way a list is
 * malformed, the limits, and intersection (narrowing never widens).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kernel/scheme/nameset.h"
#include "kernel/lib/errno.h"

/* Parses a C string literal with its embedded NULs: sizeof - 1 bytes. */
#define PARSE(set, lit) nameset_parse((set), (lit), sizeof(lit) - 1)

static void test_parse(void **state)
{
	struct nameset s;

	(void)state;
	assert_int_equal(PARSE(&s, "file\0null\0"), 0);
	assert_int_equal(s.count, 2);
	assert_string_equal(s.names[0], "file");
	assert_string_equal(s.names[1], "null");
	assert_true(nameset_contains(&s, "null"));
	assert_false(nameset_contains(&s, "nul"));
	assert_false(nameset_contains(&s, "zero"));
	/* A name twice counts once; every valid character. */
	assert_int_equal(PARSE(&s, "a-b.c_9\0a-b.c_9\0"), 0);
	assert_int_equal(s.count, 1);
	/* Nothing: the empty set. */
	assert_int_equal(nameset_parse(&s, NULL, 0), 0);
	assert_int_equal(s.count, 0);
}

static void test_malformed(void **state)
{
	struct nameset s;

	(void)state;
	assert_int_equal(PARSE(&s, "file"), -EINVAL);         /* no NUL */
	assert_int_equal(PARSE(&s, "file\0null"), -EINVAL);   /* last without NUL */
	assert_int_equal(PARSE(&s, "\0"), -EINVAL);            /* empty name */
	assert_int_equal(PARSE(&s, "file\0\0"), -EINVAL);      /* empty name */
	assert_int_equal(PARSE(&s, "File\0"), -EINVAL);        /* upper case */
	assert_int_equal(PARSE(&s, "a:b\0"), -EINVAL);         /* ':' */
	assert_int_equal(PARSE(&s, "a/b\0"), -EINVAL);         /* '/' */
	assert_int_equal(PARSE(&s, "a b\0"), -EINVAL);         /* space */
}

static void test_limits(void **state)
{
	char buf[NAMESET_BUF_MAX + 1];
	struct nameset s;
	size_t len = 0;

	(void)state;
	/* The longest name fits, one more character does not. */
	memset(buf, 'a', NAMESET_NAME_MAX - 1);
	buf[NAMESET_NAME_MAX - 1] = '\0';
	assert_int_equal(nameset_parse(&s, buf, NAMESET_NAME_MAX), 0);
	assert_int_equal(strlen(s.names[0]), NAMESET_NAME_MAX - 1);
	memset(buf, 'a', NAMESET_NAME_MAX);
	buf[NAMESET_NAME_MAX] = '\0';
	assert_int_equal(nameset_parse(&s, buf, NAMESET_NAME_MAX + 1), -EINVAL);
	/* NAMESET_MAX distinct names fit, one more does not. */
	for (int i = 0; i <= NAMESET_MAX; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "n%d", i) + 1;
	assert_int_equal(nameset_parse(&s, buf, len - sizeof("n32")), 0);
	assert_int_equal(s.count, NAMESET_MAX);
	assert_int_equal(nameset_parse(&s, buf, len), -EINVAL);
	/* A buffer above the limit, even of valid names. */
	assert_int_equal(nameset_parse(&s, buf, NAMESET_BUF_MAX + 1), -EINVAL);
}

static void test_intersect(void **state)
{
	struct nameset a, b, out;

	(void)state;
	assert_int_equal(PARSE(&a, "file\0null\0zero\0sys\0"), 0);
	assert_int_equal(PARSE(&b, "null\0initfs\0file\0"), 0);
	nameset_intersect(&out, &a, &b);
	assert_int_equal(out.count, 2);
	assert_string_equal(out.names[0], "file"); /* a's order */
	assert_string_equal(out.names[1], "null");
	/* Asking for a name a lacks never adds it. */
	assert_false(nameset_contains(&out, "initfs"));
	/* In place, and down to nothing. */
	nameset_intersect(&a, &a, &b);
	assert_int_equal(a.count, 2);
	assert_string_equal(a.names[1], "null");
	assert_int_equal(PARSE(&b, "debug\0"), 0);
	nameset_intersect(&a, &a, &b);
	assert_int_equal(a.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_intersect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
