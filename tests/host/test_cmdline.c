/*
 * tests/host/test_cmdline.c: host unit test of kernel/cmdline.c: word
 * splitting, quoting, the "--" separator, key lookup, the size limits and
 * the words no lookup asked for (the unknown ones the boot log names).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/lib/errno.h"

/* Big (over a KiB): one shared instance rather than one per stack frame. */
static struct cmdline cl;

static void assert_words(const char *const *want, int n)
{
	assert_int_equal(cl.nwords, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(cl.words[i], want[i]);
}

static void assert_args(const char *const *want, int n)
{
	assert_int_equal(cl.nargs, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(cl.args[i], want[i]);
}

/* Parse something first, so we can see a later parse really resets. */
static void dirty(void)
{
	assert_int_equal(cmdline_parse(&cl, "old=1 stale -- arg"), 0);
	assert_int_equal(cl.nwords, 2);
}

static void test_empty(void **state)
{
	(void)state;
	dirty();
	assert_int_equal(cmdline_parse(&cl, ""), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);
	assert_null(cmdline_get(&cl, "old"));
	dirty();
	assert_int_equal(cmdline_parse(&cl, " \t\n\r  "), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);
}

static void test_null(void **state)
{
	(void)state;
	dirty();
	assert_int_equal(cmdline_parse(&cl, NULL), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);
	assert_false(cmdline_has(&cl, "stale"));
}

static void test_flags_and_values(void **state)
{
	static const char *const want[] = {
		"console=ttyAMA0", "quiet", "loglevel=7", "empty=", "debug",
	};

	(void)state;
	assert_int_equal(cmdline_parse(&cl,
		"  console=ttyAMA0\tquiet\nloglevel=7   empty= debug\n"), 0);
	assert_words(want, ARRAY_SIZE(want));
	assert_int_equal(cl.nargs, 0);
	assert_string_equal(cmdline_get(&cl, "console"), "ttyAMA0");
	assert_string_equal(cmdline_get(&cl, "loglevel"), "7");
	assert_string_equal(cmdline_get(&cl, "quiet"), "");
	assert_string_equal(cmdline_get(&cl, "empty"), "");
	assert_true(cmdline_has(&cl, "quiet"));
	assert_true(cmdline_has(&cl, "console"));
	assert_false(cmdline_has(&cl, "nosuch"));
	assert_null(cmdline_get(&cl, "nosuch"));
	assert_null(cmdline_get(&cl, ""));
	assert_null(cmdline_get(&cl, NULL));
	/* A value is not a key. */
	assert_false(cmdline_has(&cl, "ttyAMA0"));
}

static void test_repeated_key_last_wins(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse(&cl, "mem=1G x mem=512M y mem"), 0);
	assert_string_equal(cmdline_get(&cl, "mem"), "");
	assert_int_equal(cmdline_parse(&cl, "mem=1G mem=512M"), 0);
	assert_string_equal(cmdline_get(&cl, "mem"), "512M");
	assert_int_equal(cmdline_parse(&cl, "init=/a init=/b init=/c z"), 0);
	assert_string_equal(cmdline_get(&cl, "init"), "/c");
}

static void test_prefix_keys(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse(&cl, "selftest=fault"), 0);
	assert_true(cmdline_has(&cl, "selftest"));
	assert_string_equal(cmdline_get(&cl, "selftest"), "fault");
	assert_false(cmdline_has(&cl, "self"));
	assert_false(cmdline_has(&cl, "selftest=f"));

	assert_int_equal(cmdline_parse(&cl, "selftests=all selftestx"), 0);
	assert_false(cmdline_has(&cl, "selftest"));

	assert_int_equal(cmdline_parse(&cl, "selftest selftest_mm=1"), 0);
	assert_string_equal(cmdline_get(&cl, "selftest"), "");
	assert_string_equal(cmdline_get(&cl, "selftest_mm"), "1");
}

static void test_quotes(void **state)
{
	static const char *const want[] = {
		"init=/bin/sh -x", "a b", "x", "ab cd", "", "k=v1v2",
	};

	(void)state;
	assert_int_equal(cmdline_parse(&cl,
		"init=\"/bin/sh -x\" \"a b\"\tx a\"b c\"d \"\" "
		"k=\"v1\"\"v2\""), 0);
	assert_words(want, ARRAY_SIZE(want));
	assert_string_equal(cmdline_get(&cl, "init"), "/bin/sh -x");
	assert_string_equal(cmdline_get(&cl, "k"), "v1v2");
	assert_true(cmdline_has(&cl, "a b"));
}

static void test_unterminated_quote(void **state)
{
	static const char *const want[] = { "a", "init=/bin/sh -x  tail\t" };

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "a init=\"/bin/sh -x  tail\t"), 0);
	assert_words(want, ARRAY_SIZE(want));
	assert_string_equal(cmdline_get(&cl, "init"), "/bin/sh -x  tail\t");
}

static void test_args_separator(void **state)
{
	static const char *const words[] = { "console=ttyAMA0", "quiet" };
	static const char *const args[] = { "-v", "--", "x y", "z=1" };

	(void)state;
	assert_int_equal(cmdline_parse(&cl,
		"console=ttyAMA0 quiet -- -v -- \"x y\" z=1"), 0);
	assert_words(words, ARRAY_SIZE(words));
	assert_args(args, ARRAY_SIZE(args));
	/* Arguments are not kernel options. */
	assert_false(cmdline_has(&cl, "z"));
	assert_false(cmdline_has(&cl, "-v"));
}

static void test_args_edge_cases(void **state)
{
	static const char *const quoted[] = { "--", "a" };
	static const char *const glued[] = { "--x", "a--" };

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "--"), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);

	assert_int_equal(cmdline_parse(&cl, "-- only args"), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 2);
	assert_string_equal(cl.args[0], "only");

	/* A quoted "--" is an ordinary word. */
	assert_int_equal(cmdline_parse(&cl, "\"--\" a"), 0);
	assert_words(quoted, ARRAY_SIZE(quoted));
	assert_int_equal(cl.nargs, 0);

	assert_int_equal(cmdline_parse(&cl, "--x a--"), 0);
	assert_words(glued, ARRAY_SIZE(glued));
	assert_int_equal(cl.nargs, 0);
}

/* A line of exactly len bytes, of words "w" separated by spaces. */
static char *make_line(size_t len)
{
	char *s = malloc(len + 1);

	assert_non_null(s);
	for (size_t i = 0; i < len; i++)
		s[i] = i % 2 ? ' ' : 'w';
	s[len] = '\0';
	return s;
}

static void test_too_long(void **state)
{
	char *s = malloc(CMDLINE_MAX + 1);

	(void)state;
	assert_non_null(s);
	/* The longest line that fits: CMDLINE_MAX - 1 bytes plus its NUL. */
	memset(s, 'a', CMDLINE_MAX - 1);
	s[CMDLINE_MAX - 1] = '\0';
	assert_int_equal(cmdline_parse(&cl, s), 0);
	assert_int_equal(cl.nwords, 1);
	assert_int_equal(strlen(cl.words[0]), CMDLINE_MAX - 1);

	dirty();
	s[CMDLINE_MAX - 1] = 'a';
	s[CMDLINE_MAX] = '\0';
	assert_int_equal(cmdline_parse(&cl, s), -E2BIG);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);
	assert_null(cmdline_get(&cl, "old"));
	free(s);
}

static void test_too_many_words(void **state)
{
	char *s = make_line(2 * CMDLINE_MAX_WORDS - 1);	/* exactly the max */
	char *more = make_line(2 * CMDLINE_MAX_WORDS + 1);	/* one more */
	char line[CMDLINE_MAX];

	(void)state;
	assert_int_equal(cmdline_parse(&cl, s), 0);
	assert_int_equal(cl.nwords, CMDLINE_MAX_WORDS);

	dirty();
	assert_int_equal(cmdline_parse(&cl, more), -E2BIG);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);

	/* The args list has its own limit. */
	snprintf(line, sizeof(line), "k -- %s", more);
	dirty();
	assert_int_equal(cmdline_parse(&cl, line), -E2BIG);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(cl.nargs, 0);
	snprintf(line, sizeof(line), "k -- %s", s);
	assert_int_equal(cmdline_parse(&cl, line), 0);
	assert_int_equal(cl.nwords, 1);
	assert_int_equal(cl.nargs, CMDLINE_MAX_WORDS);
	free(s);
	free(more);
}

/* Words are NUL-terminated copies: the input may go away afterwards. */
static void test_copies_input(void **state)
{
	char *s = strdup("root=/dev/vda console=hvc0");

	(void)state;
	assert_non_null(s);
	assert_int_equal(cmdline_parse(&cl, s), 0);
	memset(s, 'X', strlen(s));
	free(s);
	assert_string_equal(cmdline_get(&cl, "root"), "/dev/vda");
	assert_string_equal(cmdline_get(&cl, "console"), "hvc0");
}

/* Words no lookup matched are the unknown ones, in order; every
 * occurrence of a key that was asked for counts as asked. */
static void test_unasked(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse(&cl, "quiet init=/bin/sh maxcpus=2 bogus init=/x -- arg"), 0);
	assert_string_equal(cmdline_unasked(&cl, 0), "quiet");
	assert_null(cmdline_unasked(&cl, 5));
	assert_string_equal(cmdline_get(&cl, "init"), "/x");
	assert_true(cmdline_has(&cl, "maxcpus"));
	assert_false(cmdline_has(&cl, "bog"));	/* a prefix asks for nothing */
	assert_string_equal(cmdline_unasked(&cl, 0), "quiet");
	assert_string_equal(cmdline_unasked(&cl, 1), "bogus");
	assert_null(cmdline_unasked(&cl, 2));
	assert_null(cmdline_unasked(&cl, -1));
	/* The program's arguments are not the kernel's to know. */
	assert_int_equal(cl.nargs, 1);
	/* A new parse forgets what was asked. */
	assert_int_equal(cmdline_parse(&cl, "init=/y"), 0);
	assert_string_equal(cmdline_unasked(&cl, 0), "init=/y");
	assert_int_equal(cmdline_parse(&cl, NULL), 0);
	assert_null(cmdline_unasked(&cl, 0));
}

/* The longest word that fits is one whole line; looking it up is safe. */
static void test_overlong_word(void **state)
{
	char *s = malloc(CMDLINE_MAX);

	(void)state;
	assert_non_null(s);
	memset(s, 'k', CMDLINE_MAX - 1);
	s[CMDLINE_MAX - 1] = '\0';
	s[1] = '=';
	assert_int_equal(cmdline_parse(&cl, s), 0);
	assert_int_equal(strlen(cmdline_get(&cl, "k")), CMDLINE_MAX - 3);
	assert_null(cmdline_unasked(&cl, 0));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_flags_and_values),
		cmocka_unit_test(test_repeated_key_last_wins),
		cmocka_unit_test(test_prefix_keys),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_args_separator),
		cmocka_unit_test(test_args_edge_cases),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_copies_input),
		cmocka_unit_test(test_unasked),
		cmocka_unit_test(test_overlong_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
