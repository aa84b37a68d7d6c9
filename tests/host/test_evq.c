/*
 * tests/host/test_evq.c: event queues (kernel/scheme/evq.c) on readiness queues
 * (kernel/scheme/poll.c) over real pipes: level triggering reports on every wait,
 * edge once per write, one-shot once until modified; POLLHUP always
 * watched; EEXIST, ENOENT and a bad op change nothing; a wake before the
 * sleep is not lost; a wait blocked on an empty pipe is woken by a writer
 * thread; destroying a queue with subscriptions frees all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>

#include "kernel/scheme/file.h"
#include "kernel/scheme/pipe.h"
#include "kernel/scheme/poll.h"
#include "kernel/scheme/evq.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi_event.h"
#include "tests/host/kstubs.h"

#define MAXEV 4
#define DATA 0x1234

static long baseline;

static int setup(void **state)
{
	(void)state;
	baseline = kstub_outstanding();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(kstub_outstanding(), baseline);
	return 0;
}

static void put1(struct file *f)
{
	char c = 'x';
	struct uio u = uio_kernel(&c, 1);

	assert_int_equal(file_write(f, &u, -1), 1);
}

/* Events an immediate wait gives (0 for none). */
static long ready_now(struct evq *q, struct abi_epoll_event *ev)
{
	struct uio u = uio_kernel(ev, MAXEV * sizeof(*ev));
	long n = evq_wait(q, &u, MAXEV, 0, true);

	return n == -EAGAIN ? 0 : n;
}

static void test_triggering(void **state)
{
	struct abi_epoll_event ev[MAXEV];
	struct file *rd, *wr;
	struct evq *q = evq_create();

	(void)state;
	assert_int_equal(pipe_create(0, &rd, &wr), 0);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_ADD, 3, rd, ABI_EPOLLIN, DATA), 0);
	assert_int_equal(ready_now(q, ev), 0);
	put1(wr);
	assert_int_equal(ready_now(q, ev), 1);
	assert_int_equal(ev[0].events, ABI_EPOLLIN);
	assert_int_equal(ev[0].data, DATA);
	assert_int_equal(ready_now(q, ev), 1);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_MOD, 3, rd, ABI_EPOLLIN | ABI_EPOLLET, DATA), 0);
	assert_int_equal(ready_now(q, ev), 1);
	assert_int_equal(ready_now(q, ev), 0);
	put1(wr);
	assert_int_equal(ready_now(q, ev), 1);
	assert_int_equal(ready_now(q, ev), 0);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_MOD, 3, rd, ABI_EPOLLIN | ABI_EPOLLONESHOT, 0), 0);
	assert_int_equal(ready_now(q, ev), 1);
	put1(wr);
	assert_int_equal(ready_now(q, ev), 0);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_MOD, 3, rd, ABI_EPOLLIN, 0), 0);
	assert_int_equal(ready_now(q, ev), 1);
	/* The writer goes: POLLHUP is watched without being asked for. */
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_MOD, 3, rd, ABI_EPOLLOUT, 0), 0);
	assert_int_equal(ready_now(q, ev), 0);
	file_put(wr);
	assert_int_equal(ready_now(q, ev), 1);
	assert_int_equal(ev[0].events, ABI_EPOLLHUP);
	evq_destroy(q); /* with the subscription still there */
	file_put(rd);
}

static void test_ctl_errors(void **state)
{
	struct abi_epoll_event ev[MAXEV];
	struct file *rd, *wr;
	struct evq *q = evq_create();

	(void)state;
	assert_int_equal(pipe_create(0, &rd, &wr), 0);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_MOD, 3, rd, ABI_EPOLLIN, 0), -ENOENT);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_DEL, 3, rd, 0, 0), -ENOENT);
	assert_int_equal(evq_ctl(q, 0, 3, rd, ABI_EPOLLIN, 0), -EINVAL);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_ADD, 3, wr, ABI_EPOLLOUT, 0), 0);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_ADD, 3, wr, ABI_EPOLLIN, 0), -EEXIST);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_MOD, 3, wr, ABI_EPOLLEXCLUSIVE, 0), -EINVAL);
	assert_int_equal(ready_now(q, ev), 1);
	assert_int_equal(ev[0].events, ABI_EPOLLOUT);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_DEL, 3, wr, 0, 0), 0);
	assert_int_equal(ready_now(q, ev), 0);
	evq_destroy(q);
	file_put(rd);
	file_put(wr);
}

static void test_wake_before_sleep(void **state)
{
	struct poll_waiter w;

	(void)state;
	poll_waiter_init(&w);
	poll_waiter_wake(&w);
	assert_int_equal(poll_waiter_sleep(&w, 0), 0); /* returns at once */
	assert_false(w.woken);
}

static void *writer(void *arg)
{
	put1(arg);
	return NULL;
}

static void test_blocking_wake(void **state)
{
	struct abi_epoll_event ev[MAXEV];
	struct uio u = uio_kernel(ev, sizeof(ev));
	struct file *rd, *wr;
	struct evq *q = evq_create();
	pthread_t th;

	(void)state;
	assert_int_equal(pipe_create(0, &rd, &wr), 0);
	assert_int_equal(evq_ctl(q, ABI_EPOLL_CTL_ADD, 3, rd, ABI_EPOLLIN, DATA), 0);
	assert_int_equal(pthread_create(&th, NULL, writer, wr), 0);
	assert_int_equal(evq_wait(q, &u, MAXEV, 0, false), 1);
	assert_int_equal(ev[0].data, DATA);
	pthread_join(th, NULL);
	evq_destroy(q);
	file_put(rd);
	file_put(wr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_triggering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctl_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wake_before_sleep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocking_wake, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
