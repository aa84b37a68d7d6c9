/*
 * tests/host/test_initrc.c: init.rc lines (user/init/rc.c): each command
 * with its words, comments and blank lines, and each malformed line
 * (unknown command, too few or too many words, a bad env or console or
 * scheme argument) refused with a message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "user/init/rc.h"

/* Parses a copy of text (rc_parse cuts words in place). */
static int parse(const char *text, struct rc_line *l, const char **error)
{
	static char buf[RC_LINE_MAX * 2];

	snprintf(buf, sizeof(buf), "%s", text);
	return rc_parse(buf, l, error);
}

static void test_commands(void **state)
{
	struct rc_line l;
	const char *error;

	(void)state;
	assert_int_equal(parse("env PATH=/bin\n", &l, &error), 0);
	assert_int_equal(l.cmd, RC_ENV);
	assert_string_equal(l.argv[0], "PATH=/bin");
	assert_int_equal(parse("start drvmgr /bin/drvmgr -v\n", &l, &error), 0);
	assert_int_equal(l.cmd, RC_START);
	assert_string_equal(l.scheme, "drvmgr");
	assert_string_equal(l.argv[0], "/bin/drvmgr");
	assert_string_equal(l.argv[1], "-v");
	assert_null(l.argv[2]);
	assert_int_equal(parse("respawn /bin/sh", &l, &error), 0);
	assert_int_equal(l.cmd, RC_RESPAWN);
	assert_int_equal(parse("\trun  /bin/echo a\tb  # c d\n", &l, &error), 0);
	assert_int_equal(l.cmd, RC_RUN);
	assert_string_equal(l.argv[2], "b");
	assert_null(l.argv[3]);
	assert_int_equal(parse("console serial:0\n", &l, &error), 0);
	assert_int_equal(l.cmd, RC_CONSOLE);
	assert_string_equal(l.argv[0], "serial:0");
	assert_int_equal(parse("console debug:", &l, &error), 0);
	assert_int_equal(parse("main /bin/demo\n", &l, &error), 0);
	assert_int_equal(l.cmd, RC_MAIN);
	assert_string_equal(l.argv[0], "/bin/demo");
	assert_int_equal(parse("login /bin/getty -L 115200 /dev/console vt100\n", &l, &error), 0);
	assert_int_equal(l.cmd, RC_LOGIN);
	assert_string_equal(l.argv[0], "/bin/getty");
	assert_string_equal(l.argv[4], "vt100");
	assert_null(l.argv[5]);
}

static void test_blank_and_comments(void **state)
{
	static const char *const lines[] = { "", "\n", "   \t \n", "# a comment\n", "  #x y\n" };
	struct rc_line l;
	const char *error;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(parse(lines[i], &l, &error), 0);
		assert_int_equal(l.cmd, RC_NONE);
	}
}

static void test_malformed(void **state)
{
	static const struct { const char *line, *error; } bad[] = {
		{ "frobnicate /bin/true\n", "unknown command" },
		{ "Run /bin/true\n", "unknown command" },
		{ "env\n", "missing arguments" },
		{ "env A=1 B=2\n", "too many arguments" },
		{ "env NOEQUALS\n", "env: want NAME=VALUE" },
		{ "env =value\n", "env: want NAME=VALUE" },
		{ "start\n", "missing arguments" },
		{ "start drvmgr\n", "missing arguments" },
		{ "start Bad:name /bin/x\n", "start: bad scheme name" },
		{ "respawn\n", "missing arguments" },
		{ "run\n", "missing arguments" },
		{ "main\n", "missing arguments" },
		{ "login\n", "missing arguments" },
		{ "console\n", "missing arguments" },
		{ "console nocolon\n", "console: want SCHEME:PATH" },
		{ "console :path\n", "console: want SCHEME:PATH" },
		{ "console a:b c\n", "too many arguments" },
	};
	struct rc_line l;
	const char *error;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].line, &l, &error), -1);
		assert_string_equal(error, bad[i].error);
	}
}

static void test_too_many_words(void **state)
{
	char line[RC_LINE_MAX];
	struct rc_line l;
	const char *error;
	size_t len = (size_t)snprintf(line, sizeof(line), "run");

	(void)state;
	for (int i = 1; i < RC_WORDS_MAX; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " w");
	assert_int_equal(parse(line, &l, &error), 0); /* exactly RC_WORDS_MAX words */
	assert_null(l.argv[RC_WORDS_MAX - 1]);
	snprintf(line + len, sizeof(line) - len, " one-more");
	assert_int_equal(parse(line, &l, &error), -1);
	assert_string_equal(error, "too many words");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_blank_and_comments),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_many_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
