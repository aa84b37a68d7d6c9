/*
 * tests/host/test_fdtable.c: the file descriptor table (kernel/scheme/fdtable.c):
 * lowest-free allocation, dup/dup3, close-on-exec, clone for fork, limits,
 * and that every reference taken is dropped exactly once. Files are stubs
 * that count references.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"
#include "kernel/lib/errno.h"

/* The heap and file references the table uses, for the host. */
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }
void file_get(struct file *f) { f->refcount++; }
void file_put(struct file *f)
{
	assert_true(f->refcount > 0);
	f->refcount--;
}

static struct file files[3];

static int setup(void **state)
{
	memset(files, 0, sizeof(files));
	*state = fdtable_create();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	fdtable_destroy(*state);
	return 0;
}

/* Installs a fresh reference to f. */
static int install(struct fdtable *t, struct file *f, int min, bool cloexec)
{
	f->refcount++;
	return fd_install(t, f, min, cloexec);
}

static void test_lowest_free(void **state)
{
	struct fdtable *t = *state;

	assert_int_equal(install(t, &files[0], 0, false), 0);
	assert_int_equal(install(t, &files[1], 0, false), 1);
	assert_int_equal(install(t, &files[2], 0, false), 2);
	assert_int_equal(fd_close(t, 1), 0);
	assert_int_equal(files[1].refcount, 0);
	assert_int_equal(install(t, &files[1], 0, false), 1);
	assert_int_equal(install(t, &files[1], 10, false), 10);
	assert_int_equal(files[1].refcount, 2);
	/* A refused install drops the reference it was given. */
	assert_int_equal(install(t, &files[0], FD_MAX, false), -EINVAL);
	assert_int_equal(install(t, &files[0], -1, false), -EINVAL);
	assert_int_equal(files[0].refcount, 1);
}

static void test_get_and_close(void **state)
{
	struct fdtable *t = *state;
	struct file *f;

	install(t, &files[0], 0, false);
	f = fd_get(t, 0);
	assert_ptr_equal(f, &files[0]);
	assert_int_equal(files[0].refcount, 2);
	file_put(f);
	assert_null(fd_get(t, 1));
	assert_null(fd_get(t, -1));
	assert_null(fd_get(t, FD_MAX));
	assert_int_equal(fd_close(t, 1), -EBADF);
	assert_int_equal(fd_close(t, FD_MAX + 5), -EBADF);
	assert_int_equal(fd_close(t, 0), 0);
	assert_int_equal(fd_close(t, 0), -EBADF);
	assert_int_equal(files[0].refcount, 0);
}

/* The sole user's lookup: the same file, no reference taken, and the same
 * range checks as fd_get. */
static void test_peek_sole(void **state)
{
	struct fdtable *t = *state;

	install(t, &files[0], 3, false);
	assert_ptr_equal(fd_peek_sole(t, 3), &files[0]);
	assert_int_equal(files[0].refcount, 1);
	assert_null(fd_peek_sole(t, 0));
	assert_null(fd_peek_sole(t, -1));
	assert_null(fd_peek_sole(t, FD_MAX));
	assert_int_equal(fd_close(t, 3), 0);
	assert_null(fd_peek_sole(t, 3));
}

static void test_dup3(void **state)
{
	struct fdtable *t = *state;

	install(t, &files[0], 0, false);
	install(t, &files[1], 0, false);
	assert_int_equal(fd_dup3(t, 0, 0, false), -EINVAL);
	assert_int_equal(fd_dup3(t, 5, 6, false), -EBADF);
	assert_int_equal(fd_dup3(t, 0, FD_MAX, false), -EBADF);
	/* dup3 onto an open descriptor closes what it held. */
	assert_int_equal(fd_dup3(t, 0, 1, true), 1);
	assert_int_equal(files[1].refcount, 0);
	assert_int_equal(files[0].refcount, 2);
	assert_int_equal(fd_get_cloexec(t, 1), 1);
	assert_int_equal(fd_get_cloexec(t, 0), 0);
}

static void test_cloexec(void **state)
{
	struct fdtable *t = *state;

	install(t, &files[0], 0, true);
	install(t, &files[1], 0, false);
	assert_int_equal(fd_set_cloexec(t, 1, true), 0);
	assert_int_equal(fd_set_cloexec(t, 1, false), 0);
	assert_int_equal(fd_set_cloexec(t, 7, true), -EBADF);
	assert_int_equal(fd_get_cloexec(t, 7), -EBADF);
	fdtable_close_on_exec(t);
	assert_null(fd_get(t, 0));
	assert_int_equal(files[0].refcount, 0);
	assert_int_equal(files[1].refcount, 1);
}

static void test_clone(void **state)
{
	struct fdtable *t = *state, *c;

	install(t, &files[0], 0, true);
	install(t, &files[1], 3, false);
	c = fdtable_clone(t);
	assert_non_null(c);
	assert_int_equal(files[0].refcount, 2);
	assert_int_equal(files[1].refcount, 2);
	assert_int_equal(fd_get_cloexec(c, 0), 1);
	/* Closing in the copy leaves the original alone. */
	assert_int_equal(fd_close(c, 3), 0);
	assert_int_equal(files[1].refcount, 1);
	assert_non_null(t->files[3]);
	fdtable_destroy(c);
	assert_int_equal(files[0].refcount, 1);
}

static void test_full(void **state)
{
	struct fdtable *t = *state;

	for (int i = 0; i < FD_MAX; i++)
		assert_int_equal(install(t, &files[0], 0, false), i);
	assert_int_equal(install(t, &files[0], 0, false), -EMFILE);
	assert_int_equal(files[0].refcount, FD_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lowest_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_and_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peek_sole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cloexec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
