/*
 * tests/host/test_format.c: host unit test of kernel/lib/format.c. glibc's
 * snprintf is the reference: every case is formatted by both at several
 * buffer sizes and the return values and whole buffers (including bytes
 * past the terminator, which must stay untouched) are compared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"

#define BUF_SIZE 512
#define CANARY 0x5a

/* Sizes that cut the output at every interesting place, and no cut. */
static const size_t sizes[] = { 0, 1, 2, 3, 5, 7, 11, 16, 25, BUF_SIZE };

static unsigned long cases_checked;

/* Compare one format+arguments against glibc at every size in sizes[]. */
static void compare_v(const char *fmt, va_list ap)
{
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		char want[BUF_SIZE], got[BUF_SIZE];
		va_list a1, a2;
		int w, g;

		memset(want, CANARY, sizeof(want));
		memset(got, CANARY, sizeof(got));
		va_copy(a1, ap);
		va_copy(a2, ap);
		w = vsnprintf(want, sizes[i], fmt, a1);
		g = kvsnprintf(got, sizes[i], fmt, a2);
		va_end(a1);
		va_end(a2);
		if (w != g || memcmp(want, got, sizeof(want)) != 0) {
			print_error("format \"%s\" size %zu: "
				    "glibc %d \"%.*s\", kernel %d \"%.*s\"\n",
				    fmt, sizes[i],
				    w, (int)strnlen(want, sizeof(want)), want,
				    g, (int)strnlen(got, sizeof(got)), got);
			fail();
		}
		cases_checked++;
	}
}

/* Not __printf: formats come from tables, and some are deliberately odd. */
static void compare(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare_v(fmt, ap);
	va_end(ap);
}

/* The kernel engine alone, for behaviour glibc doesn't define. */
static int kfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

static const char *const int_formats[] = {
	"%d", "%i", "%u", "%x", "%X", "%o", "%5d", "%-5d|", "%05d", "%+d",
	"% d", "%+5d", "%-+5d|", "% 05d", "%+05d", "%.0d", "%.3d", "%8.3d",
	"%-8.3d|", "%08.3d", "%.0u", "%.0x", "%#x", "%#X", "%#o", "%#.0o",
	"%#.0x", "%#10x", "%#-10x|", "%#010x", "%#010o", "%#.5o", "%#5o",
	"%5.0d|", "%+.0d", "% .0d", "%-05d|", "%hhd", "%hhu", "%hhx", "%hd",
	"%hu", "%hx", "%#hho", "%+hhd", "x%dy%dz", "%%%d%%",
	"%20.15d", "%-20.15x|", "%+i", "%12u",
};

static const int int_values[] = {
	0, 1, -1, 7, 8, 42, -42, 255, 256, -129, 32767, 65535, 65536,
	-32768, 123456789, INT_MAX, INT_MIN, INT_MIN + 1,
};

static void test_int_table(void **state)
{
	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(int_formats); f++)
		for (size_t v = 0; v < ARRAY_SIZE(int_values); v++)
			/* Extra args satisfy formats with two conversions. */
			compare(int_formats[f], int_values[v], int_values[v]);
}

static const char *const ll_formats[] = {
	"%lld", "%lli", "%llu", "%llx", "%llX", "%llo", "%#llx", "%#llo",
	"%+lld", "% lld", "%25lld", "%-25lld|", "%025lld", "%.20lld",
	"%ld", "%lu", "%lx", "%#lX", "%jd", "%ju", "%jx", "%zd", "%zu", "%zx",
	"%td", "%tu", "%tx", "%.0lld", "%30.25llx", "%-+30.22lld|",
};

static const long long ll_values[] = {
	0, 1, -1, LLONG_MIN, LLONG_MAX, LLONG_MIN + 1, INT_MIN, INT_MAX,
	(long long)UINT32_MAX, 0x123456789abcdefLL, -0x123456789abcdefLL,
};

static void test_long_long_table(void **state)
{
	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(ll_formats); f++)
		for (size_t v = 0; v < ARRAY_SIZE(ll_values); v++)
			compare(ll_formats[f], ll_values[v]);
}

static void test_uint64_max(void **state)
{
	(void)state;
	compare("%llu", (unsigned long long)UINT64_MAX);
	compare("%llx", (unsigned long long)UINT64_MAX);
	compare("%#llo", (unsigned long long)UINT64_MAX);
	compare("%#llX", (unsigned long long)UINT64_MAX);
	compare("%ju", (uintmax_t)UINT64_MAX);
	compare("%zu", (size_t)SIZE_MAX);
	compare("%lu", (unsigned long)ULONG_MAX);
	compare("%30llu|%-30llx|", (unsigned long long)UINT64_MAX,
		(unsigned long long)UINT64_MAX);
}

static const char *const str_formats[] = {
	"%s", "%10s", "%-10s|", "%.2s", "%10.2s", "%-10.2s|", "%.0s", "%3s",
	"%.10s", "[%s]", "%s%s", "%.*s",
};

static const char *const str_values[] = {
	"", "a", "hello", "hello, world: a longer string than most widths",
};

static void test_strings(void **state)
{
	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(str_formats); f++)
		for (size_t v = 0; v < ARRAY_SIZE(str_values); v++)
			compare(str_formats[f], str_values[v], str_values[v]);
	/* "%.*s" takes an int first. */
	compare("%.*s", 3, "abcdef");
	compare("%.*s", -1, "abcdef");
	compare("%.*s", 0, "abcdef");
}

/* glibc prints "(null)", or nothing when the precision can't fit it. */
static void test_null_string(void **state)
{
	static const char *const formats[] = {
		"%s", "%10s", "%-10s|", "%.6s", "%.3s", "%.0s", "%8.3s",
	};
	const char *null = NULL;
	char buf[BUF_SIZE];

	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(formats); f++)
		compare(formats[f], null);
	assert_int_equal(kfmt(buf, sizeof(buf), "%s", null), 6);
	assert_string_equal(buf, "(null)");
}

static void test_chars(void **state)
{
	static const char *const formats[] = {
		"%c", "%3c", "%-3c|", "x%cy", "%c%c",
	};
	static const int values[] = { 'a', 'Z', ' ', '%', 0xff, 0 };

	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(formats); f++)
		for (size_t v = 0; v < ARRAY_SIZE(values); v++)
			compare(formats[f], values[v], values[v]);
}

static void test_pointers(void **state)
{
	static const char *const formats[] = { "%p", "%20p", "%-20p|", "[%p]" };
	int local;
	void *const values[] = {
		(void *)0x1, (void *)0x1234, (void *)0xdeadbeef, &local,
		(void *)UINTPTR_MAX, NULL,
	};

	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(formats); f++)
		for (size_t v = 0; v < ARRAY_SIZE(values); v++)
			compare(formats[f], values[v]);
}

/* The documented %p choice, independently of glibc. */
static void test_pointer_spelling(void **state)
{
	char buf[BUF_SIZE];

	(void)state;
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%p", (void *)0x1000), 6);
	assert_string_equal(buf, "0x1000");
	ksnprintf(buf, sizeof(buf), "%p", (void *)0xffff000000081000UL);
	assert_string_equal(buf, "0xffff000000081000");
	ksnprintf(buf, sizeof(buf), "%p", NULL);
	assert_string_equal(buf, "(nil)");
	ksnprintf(buf, sizeof(buf), "%8p|%-8p|", (void *)0xab, (void *)0xab);
	assert_string_equal(buf, "    0xab|0xab    |");
}

static void test_star(void **state)
{
	static const int widths[] = { 0, 1, 5, 12, -1, -7 };
	static const int precs[] = { 0, 1, 4, 20, -1, -5 };

	(void)state;
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
		compare("%*d|", widths[w], 42);
		compare("%*s|", widths[w], "str");
		compare("%-*x|", widths[w], 0xbeef);
		compare("%0*d|", widths[w], -42);
		for (size_t p = 0; p < ARRAY_SIZE(precs); p++) {
			compare("%*.*d|", widths[w], precs[p], -12345);
			compare("%*.*s|", widths[w], precs[p], "string");
			compare("%.*u|", precs[p], 0);
		}
	}
}

static void test_mixed_text(void **state)
{
	(void)state;
	compare("");
	compare("plain text, no conversions");
	compare("100%%");
	compare("%d%s%c%x%%%p", -5, "mid", 'c', 0xabcU, (void *)0x10);
	compare("irq %u on cpu %d: %s (%#llx)", 27U, 3, "timer",
		0xffff000008000000ULL);
}

/* Truncation: terminated at size-1, return value still the full length. */
static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(ksnprintf(buf, 4, "%d", 123456), 6);
	assert_string_equal(buf, "123");
	assert_int_equal((unsigned char)buf[4], CANARY);
	assert_int_equal(ksnprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%10s", "x"), 10);
	assert_string_equal(buf, "       ");
}

/* size 0 writes nothing at all, and buf may then be NULL. */
static void test_size_zero(void **state)
{
	char buf[4] = { 'a', 'b', 'c', 'd' };

	(void)state;
	assert_int_equal(ksnprintf(buf, 0, "%s-%d", "xyz", -1), 6);
	assert_memory_equal(buf, "abcd", sizeof(buf));
	assert_int_equal(ksnprintf(NULL, 0, "%lld", LLONG_MIN), 20);
}

/* Unknown conversions and %n are echoed literally, arguments untouched. */
static void test_unknown_literal(void **state)
{
	char buf[BUF_SIZE];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "a%yb"), 4);
	assert_string_equal(buf, "a%yb");
	assert_int_equal(kfmt(buf, sizeof(buf), "%-08.3ly|%d", 7), 10);
	assert_string_equal(buf, "%-08.3ly|7");
	kfmt(buf, sizeof(buf), "%n%d", 5);
	assert_string_equal(buf, "%n5");
	kfmt(buf, sizeof(buf), "%f");
	assert_string_equal(buf, "%f");
	assert_int_equal(kfmt(buf, sizeof(buf), "end%"), 4);
	assert_string_equal(buf, "end%");
	assert_int_equal(kfmt(buf, sizeof(buf), "end%-5"), 6);
	assert_string_equal(buf, "end%-5");
}

/* An output longer than INT_MAX cannot be reported in an int. */
static void test_overflow(void **state)
{
	char buf[BUF_SIZE];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "x%*d", INT_MAX, 1),
			 -EOVERFLOW);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(buf[sizeof(buf) - 1], '\0');
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%*d", INT_MAX, 1),
			 INT_MAX);
}

static void test_sanity_count(void **state)
{
	(void)state;
	/* Guards against the tables silently shrinking to nothing. */
	assert_true(cases_checked > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_table),
		cmocka_unit_test(test_long_long_table),
		cmocka_unit_test(test_uint64_max),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_pointer_spelling),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_mixed_text),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_unknown_literal),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_sanity_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
