/*
 * tests/user/check.h: the failure macros of the test programs that use
 * it (t_poll, t_event): TEST_NAME, defined before including, names the
 * program in the one FAIL line. Header-only: each program is one file.
 */
#ifndef TESTS_USER_CHECK_H
#define TESTS_USER_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) do { \
	printf("FAIL: " TEST_NAME ": " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
/* call must fail with errno err. */
#define CHECK_ERR(call, err, what) do { \
	errno = 0; \
	CHECK((call) == -1 && errno == (err), "%s: want %s, got %s", what, strerror(err), \
	      strerror(errno)); \
} while (0)

#endif
