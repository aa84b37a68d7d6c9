/*
 * tests/host/test_sched.c: the scheduling policy (sched/policy.c): run
 * queues pick the highest priority first and are FIFO inside a priority;
 * a small simulation of the tick shows round robin with the quantum, a
 * higher priority preempting, and sleeping not refilling a quantum; wake-up
 * preemption; wait queues lose a thread from the head, middle or tail; a
 * ready thread leaves its run queue from the head, middle or tail (a
 * priority change requeues it: PI boosts, nice); a turn's end
 * (rq_push_pop) picks what a push and a pop would, its one-step case
 * included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "sched/policy.h"

#define NTHREADS 4
#define SIM_TICKS (30 * THREAD_SLICE_TICKS)

static struct thread th[NTHREADS];
static struct runqueue rq;

static int setup(void **state)
{
	(void)state;
	memset(th, 0, sizeof(th));
	memset(&rq, 0, sizeof(rq));
	for (int i = 0; i < NTHREADS; i++) {
		th[i].tid = i;
		th[i].prio = THREAD_PRIO_USER;
		th[i].state = THREAD_SLEEPING;
	}
	return 0;
}

static void test_priority_order_and_fifo(void **state)
{
	(void)state;
	th[0].prio = 5;
	th[1].prio = 2;
	th[2].prio = 7;
	th[3].prio = 2;
	assert_true(rq_empty(&rq));
	for (int i = 0; i < NTHREADS; i++)
		rq_push(&rq, &th[i]);
	assert_false(rq_empty(&rq));
	assert_int_equal(th[2].state, THREAD_READY);
	assert_ptr_equal(rq_pop(&rq), &th[1]);
	assert_ptr_equal(rq_pop(&rq), &th[3]);
	assert_ptr_equal(rq_pop(&rq), &th[0]);
	assert_ptr_equal(rq_pop(&rq), &th[2]);
	assert_null(rq_pop(&rq));
	assert_true(rq_empty(&rq));
	/* A list emptied and refilled keeps working (its tail was reset). */
	rq_push(&rq, &th[3]);
	rq_push(&rq, &th[1]);
	assert_ptr_equal(rq_pop(&rq), &th[3]);
	assert_ptr_equal(rq_pop(&rq), &th[1]);
	assert_null(th[1].next);
}

/* rq_push_pop gives what rq_push then rq_pop give, in each case: the
 * level's sole thread swapped (its one step), a longer level, a better
 * level elsewhere, and nothing better than the thread itself. */
static void test_push_pop(void **state)
{
	(void)state;
	rq_push(&rq, &th[1]);
	/* th[0] and th[1] share a level, th[1] alone queued: swapped. */
	assert_ptr_equal(rq_push_pop(&rq, &th[0]), &th[1]);
	assert_int_equal(th[0].state, THREAD_READY);
	assert_ptr_equal(rq_push_pop(&rq, &th[1]), &th[0]);
	assert_null(th[0].next);
	/* Two queued at the level: FIFO, the thread goes to the tail. */
	rq_push(&rq, &th[2]);
	assert_ptr_equal(rq_push_pop(&rq, &th[0]), &th[1]);
	assert_ptr_equal(rq_pop(&rq), &th[2]);
	assert_ptr_equal(rq_pop(&rq), &th[0]);
	assert_true(rq_empty(&rq));
	/* A better level waits: it runs, the thread queues behind. */
	th[3].prio = THREAD_PRIO_USER - 1;
	rq_push(&rq, &th[3]);
	rq_push(&rq, &th[1]);
	assert_ptr_equal(rq_push_pop(&rq, &th[0]), &th[3]);
	assert_ptr_equal(rq_pop(&rq), &th[1]);
	assert_ptr_equal(rq_pop(&rq), &th[0]);
	/* Only worse threads queued, or none: the thread itself again. */
	th[2].prio = THREAD_PRIO_USER + 1;
	rq_push(&rq, &th[2]);
	assert_ptr_equal(rq_push_pop(&rq, &th[0]), &th[0]);
	assert_ptr_equal(rq_pop(&rq), &th[2]);
	assert_ptr_equal(rq_push_pop(&rq, &th[0]), &th[0]);
	assert_true(rq_empty(&rq));
}

/* What sched.c does on each tick and switch, for runnable threads only:
 * returns the thread running after the tick. */
static struct thread *sim_tick(struct thread *cur)
{
	if (!quantum_tick(cur))
		return cur;
	rq_push(&rq, cur);
	cur = rq_pop(&rq);
	quantum_start(cur);
	return cur;
}

static struct thread *sim_start(void)
{
	struct thread *t = rq_pop(&rq);

	quantum_start(t);
	return t;
}

static void test_round_robin_quantum(void **state)
{
	int ran[NTHREADS] = { 0 }, switches = 0;
	struct thread *cur, *prev;

	(void)state;
	for (int i = 0; i < 3; i++)
		rq_push(&rq, &th[i]);
	cur = sim_start();
	for (int tick = 0; tick < SIM_TICKS; tick++) {
		ran[cur->tid]++;
		prev = cur;
		cur = sim_tick(cur);
		if (cur != prev) {
			/* Each switch comes after exactly one full quantum, in turn. */
			assert_int_equal(cur->tid, (prev->tid + 1) % 3);
			switches++;
		}
	}
	assert_int_equal(switches, SIM_TICKS / THREAD_SLICE_TICKS);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ran[i], SIM_TICKS / 3);
}

static void test_higher_priority_runs_alone(void **state)
{
	struct thread *cur;

	(void)state;
	th[0].prio = THREAD_PRIO_USER - 1;
	for (int i = 0; i < 3; i++)
		rq_push(&rq, &th[i]);
	cur = sim_start();
	for (int tick = 0; tick < SIM_TICKS; tick++) {
		assert_ptr_equal(cur, &th[0]);
		cur = sim_tick(cur);
	}
}

static void test_quantum_accounting(void **state)
{
	(void)state;
	quantum_start(&th[0]);
	assert_int_equal(th[0].slice, THREAD_SLICE_TICKS);
	for (int i = 1; i < THREAD_SLICE_TICKS; i++)
		assert_false(quantum_tick(&th[0]));
	/* It slept with one tick left: waking does not refill the quantum. */
	quantum_start(&th[0]);
	assert_int_equal(th[0].slice, 1);
	assert_true(quantum_tick(&th[0]));
	quantum_start(&th[0]);
	assert_int_equal(th[0].slice, THREAD_SLICE_TICKS);
	/* sched_yield gives up the rest: slice 0 counts as used up. */
	th[0].slice = 0;
	quantum_start(&th[0]);
	assert_int_equal(th[0].slice, THREAD_SLICE_TICKS);
}

static void test_wake_preempts(void **state)
{
	struct thread idle = { .prio = THREAD_PRIORITIES - 1 };

	(void)state;
	assert_true(wake_preempts(&th[0], &idle, &idle));
	assert_false(wake_preempts(&th[0], &th[1], &idle)); /* same priority */
	th[0].prio = THREAD_PRIO_USER - 1;
	assert_true(wake_preempts(&th[0], &th[1], &idle));
	assert_false(wake_preempts(&th[1], &th[0], &idle));
}

static void test_rq_remove(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		rq_push(&rq, &th[i]);
	assert_false(rq_remove(&rq, &th[3])); /* not queued */
	assert_true(rq_remove(&rq, &th[1]));  /* middle */
	assert_true(rq_remove(&rq, &th[2]));  /* tail: the tail moves back */
	rq_push(&rq, &th[3]);
	assert_true(rq_remove(&rq, &th[0]));  /* head */
	assert_ptr_equal(rq_pop(&rq), &th[3]);
	assert_null(rq_pop(&rq));
	assert_true(rq_empty(&rq));
}

static void test_waitq_remove(void **state)
{
	struct waitq wq = WAITQ_INIT, other = WAITQ_INIT;

	(void)state;
	for (int i = 0; i < NTHREADS; i++)
		waitq_add(&wq, &th[i]);
	assert_ptr_equal(th[2].waiting_on, &wq);
	waitq_remove(&th[1]); /* middle */
	assert_null(th[1].waiting_on);
	waitq_remove(&th[1]); /* not waiting: nothing happens */
	waitq_remove(&th[3]); /* head (the last added) */
	waitq_remove(&th[0]); /* tail */
	assert_ptr_equal(wq.head, &th[2]);
	assert_null(th[2].next);
	waitq_add(&other, &th[1]);
	assert_ptr_equal(waitq_pop(&wq), &th[2]);
	assert_null(th[2].waiting_on);
	assert_null(waitq_pop(&wq));
	assert_ptr_equal(other.head, &th[1]); /* the other queue untouched */
	waitq_remove(&th[1]);
	assert_null(other.head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_priority_order_and_fifo, setup),
		cmocka_unit_test_setup(test_round_robin_quantum, setup),
		cmocka_unit_test_setup(test_higher_priority_runs_alone, setup),
		cmocka_unit_test_setup(test_quantum_accounting, setup),
		cmocka_unit_test_setup(test_wake_preempts, setup),
		cmocka_unit_test_setup(test_waitq_remove, setup),
		cmocka_unit_test_setup(test_rq_remove, setup),
		cmocka_unit_test_setup(test_push_pop, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
