/*
 * tests/host/test_file_spare.c: the freed-file slots of
 * kernel/scheme/file_spare.c (compiled in here with FILE_SPARE_TEST, which
 * gives the host its kernel's slots): a freed file comes back from the next
 * file_new, zeroed; a file freed twice is refused and reported as kfree
 * reports a double free, and is handed out once only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_SPARE_TEST
#include "kernel/scheme/file_spare.c"

/* The heap and the console, as the slots use them. */
static int heap_frees;
static char last_report[128];

void *kmalloc(size_t size)
{
	return malloc(size);
}

void *kzalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(void *p)
{
	if (p)
		heap_frees++;
	free(p);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(last_report, sizeof(last_report), fmt, ap);
	va_end(ap);
	return n;
}

/* Empties the slots into the heap, for the next test. */
static int drain(void **state)
{
	(void)state;
	for (int i = 0; i < FILE_CACHE_SLOTS; i++) {
		free(file_cache[i]);
		file_cache[i] = NULL;
	}
	heap_frees = 0;
	last_report[0] = '\0';
	return 0;
}

static void test_reuse_zeroed(void **state)
{
	struct file *f = file_new(), *g;

	(void)state;
	assert_non_null(f);
	f->flags = 1;
	file_free(f);
	assert_int_equal(heap_frees, 0); /* kept in a slot */
	g = file_new();
	assert_ptr_equal(g, f);
	assert_int_equal(g->flags, 0);
	assert_string_equal(last_report, "");
	file_free(g);
}

static void test_double_free_refused(void **state)
{
	struct file *f = file_new(), *a, *b;

	(void)state;
	file_free(f);
	file_free(f);
	assert_non_null(strstr(last_report, "double free"));
	assert_int_equal(strncmp(last_report, "kfree(", strlen("kfree(")), 0);
	/* In one slot only: two opens get two different files. */
	a = file_new();
	b = file_new();
	assert_ptr_equal(a, f);
	assert_ptr_not_equal(b, f);
	file_free(a);
	file_free(b);
}

static void test_full_slots_go_to_heap(void **state)
{
	struct file *f[FILE_CACHE_SLOTS + 1];

	(void)state;
	for (int i = 0; i <= FILE_CACHE_SLOTS; i++)
		f[i] = file_new();
	for (int i = 0; i <= FILE_CACHE_SLOTS; i++)
		file_free(f[i]);
	assert_int_equal(heap_frees, 1);
	assert_string_equal(last_report, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_reuse_zeroed, drain),
		cmocka_unit_test_teardown(test_double_free_refused, drain),
		cmocka_unit_test_teardown(test_full_slots_go_to_heap, drain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
