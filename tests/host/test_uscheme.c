/*
 * tests/host/test_uscheme.c: the pure parts of user schemes: the request
 * queue and tag table (kernel/scheme/usq.c) and the packet checks
 * (kernel/scheme/usproto.c): FIFO order, fresh tags, lookups by tag across hash
 * collisions, removal from either place, draining on death, and which
 * replies are malformed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kernel/scheme/usq.h"
#include "kernel/scheme/usproto.h"
#include "kernel/lib/errno.h"

#define NODES (3 * USQ_BUCKETS) /* enough to share every hash chain */

static void test_fifo_and_tags(void **state)
{
	struct usq q;
	struct usq_node n[3];
	uint64_t t0, t1, t2;

	(void)state;
	usq_init(&q);
	assert_null(usq_pop(&q, true));
	t0 = usq_push(&q, &n[0]);
	t1 = usq_push(&q, &n[1]);
	t2 = usq_push(&q, &n[2]);
	assert_true(t0 && t1 > t0 && t2 > t1);
	assert_int_equal(q.pending, 3);
	assert_ptr_equal(usq_pop(&q, true), &n[0]);
	assert_ptr_equal(usq_pop(&q, false), &n[1]);
	assert_int_equal(n[1].where, USQ_NONE);
	assert_ptr_equal(usq_find(&q, t0), &n[0]);
	assert_null(usq_find(&q, t1)); /* popped without a reply owed */
	assert_null(usq_find(&q, t2)); /* still pending: not answerable */
	assert_int_equal(q.pending, 1);
	assert_int_equal(q.inflight, 1);
	/* A node queued again gets a new tag, never an old one. */
	assert_true(usq_push(&q, &n[1]) > t2);
}

static void test_many_in_flight(void **state)
{
	static struct usq_node n[NODES];
	struct usq q;

	(void)state;
	usq_init(&q);
	for (int i = 0; i < NODES; i++)
		usq_push(&q, &n[i]);
	for (int i = 0; i < NODES; i++)
		assert_ptr_equal(usq_pop(&q, true), &n[i]);
	assert_int_equal(q.inflight, NODES);
	/* Answer in an order unlike the sending one. */
	for (int i = NODES - 1; i >= 0; i -= 2) {
		assert_ptr_equal(usq_find(&q, n[i].tag), &n[i]);
		assert_true(usq_remove(&q, &n[i]));
		assert_null(usq_find(&q, n[i].tag));
		assert_false(usq_remove(&q, &n[i])); /* a second answer */
	}
	for (int i = NODES - 2; i >= 0; i -= 2)
		assert_ptr_equal(usq_find(&q, n[i].tag), &n[i]);
	assert_int_equal(q.inflight, NODES / 2);
}

static void test_remove_pending(void **state)
{
	struct usq_node n[3];
	struct usq q;

	(void)state;
	usq_init(&q);
	for (int i = 0; i < 3; i++)
		usq_push(&q, &n[i]);
	assert_true(usq_remove(&q, &n[2])); /* the tail: a later push must still link */
	usq_push(&q, &n[2]);
	assert_true(usq_remove(&q, &n[1]));
	assert_ptr_equal(usq_pop(&q, false), &n[0]);
	assert_ptr_equal(usq_pop(&q, false), &n[2]);
	assert_null(usq_pop(&q, false));
	assert_null(q.tail);
	assert_int_equal(q.pending, 0);
}

/* Nodes the daemon could not take go back first, in order, tags kept. */
static void test_unpop(void **state)
{
	struct usq_node n[3];
	struct usq q;
	uint64_t t0, t1;

	(void)state;
	usq_init(&q);
	t0 = usq_push(&q, &n[0]);
	t1 = usq_push(&q, &n[1]);
	usq_push(&q, &n[2]);
	usq_pop(&q, true);
	usq_pop(&q, true);
	usq_unpop(&q, &n[1]);
	usq_unpop(&q, &n[0]);
	assert_int_equal(q.inflight, 0);
	assert_int_equal(q.pending, 3);
	assert_null(usq_find(&q, t0));
	assert_ptr_equal(usq_pop(&q, true), &n[0]);
	assert_int_equal(n[0].tag, t0);
	assert_ptr_equal(usq_pop(&q, true), &n[1]);
	assert_int_equal(n[1].tag, t1);
	assert_ptr_equal(usq_pop(&q, true), &n[2]);
	/* Into an empty queue: it becomes head and tail. */
	usq_unpop(&q, &n[2]);
	assert_ptr_equal(q.head, &n[2]);
	assert_ptr_equal(q.tail, &n[2]);
	usq_push(&q, &n[1]);
	assert_ptr_equal(usq_pop(&q, false), &n[2]);
	assert_ptr_equal(usq_pop(&q, false), &n[1]);
}

static void test_take_any(void **state)
{
	struct usq_node n[4];
	struct usq q;
	int got = 0;

	(void)state;
	usq_init(&q);
	for (int i = 0; i < 4; i++)
		usq_push(&q, &n[i]);
	usq_pop(&q, true);
	usq_pop(&q, true);
	while (usq_take_any(&q))
		got++;
	assert_int_equal(got, 4);
	assert_int_equal(q.pending + q.inflight, 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(n[i].where, USQ_NONE);
}

static void test_reply_checks(void **state)
{
	struct scheme_reply r = { .tag = 1 };

	(void)state;
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 10), 0);
	r.result = 10;
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 10), 0);
	r.result = 11;
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 10), -EINVAL);
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_GETDENTS, 10), -EINVAL);
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_OPEN, 0), 0); /* a handle id */
	r.result = -EIO;
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 0), 0);
	r.result = -USPROTO_ERRNO_MAX - 1;
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_OPEN, 0), -EINVAL);
	r.result = 0;
	r.reserved = 1;
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_CLOSE, 0), -EINVAL);
	/* Data: some bytes, at most the buffer's. */
	r.data = SCHEME_DATA(0x1000, 0);
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 10), -EINVAL);
	r.data = SCHEME_DATA(0x1000, 10);
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 10), 0);
	r.data = SCHEME_DATA(0x1000, 11);
	assert_int_equal(usproto_check_reply(&r, SCHEME_OP_READ, 10), -EINVAL);
	r.data = SCHEME_DATA(0x1000, SCHEME_DATA_MAX);
	assert_int_equal(SCHEME_DATA_LEN(r.data), SCHEME_DATA_MAX);
	assert_int_equal(r.data & SCHEME_DATA_ADDR_MASK, 0x1000);
	assert_true(usproto_is_path_op(SCHEME_OP_OPEN) && usproto_is_path_op(SCHEME_OP_RENAME));
	assert_false(usproto_is_path_op(SCHEME_OP_READ) || usproto_is_path_op(SCHEME_OP_CLOSE));
}

static void test_cancel_packet(void **state)
{
	struct scheme_request req = { .op = SCHEME_OP_READ, .tag = 7, .pid = 3, .uid = 4, .gid = 5, .id = 9 };
	struct scheme_request c;

	(void)state;
	usproto_cancel(&req, 8, &c);
	assert_int_equal(c.op, SCHEME_OP_CANCEL);
	assert_int_equal(c.tag, 8);
	assert_int_equal(c.args[0], 7);
	assert_int_equal(c.pid, 3);
	assert_int_equal(c.uid, 4);
	assert_int_equal(c.gid, 5);
	assert_int_equal(c.id, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_and_tags),
		cmocka_unit_test(test_many_in_flight),
		cmocka_unit_test(test_remove_pending),
		cmocka_unit_test(test_unpop),
		cmocka_unit_test(test_take_any),
		cmocka_unit_test(test_reply_checks),
		cmocka_unit_test(test_cancel_packet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
