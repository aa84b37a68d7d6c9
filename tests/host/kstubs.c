/*
 * tests/host/kstubs.c: host stand-ins for kernel services (see kstubs.h).
 * Every wait queue shares one condition variable: a wake-up on any queue
 * wakes every sleeper, which the kernel's callers tolerate since they
 * recheck their condition in a loop (waitq.h's contract allows spurious
 * wake-ups from sched_interrupt as well).
 */
#include "tests/host/kstubs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/types.h"
#include "sched/waitq.h"
#include "arch/aarch64/uaccess.h"
#include "mm/heap.h"
#include "kernel/scheme/file.h"
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_OFF (-1)

static long outstanding;      /* atomic */
static int fail_after = FAIL_OFF; /* atomic: allocations left before a failure */
static bool copy_yield;       /* atomic */
static __thread bool killed;

long kstub_outstanding(void)
{
	return __atomic_load_n(&outstanding, __ATOMIC_SEQ_CST);
}

void kstub_fail_alloc_after(int n)
{
	__atomic_store_n(&fail_after, n, __ATOMIC_SEQ_CST);
}

void kstub_set_copy_yield(bool on)
{
	__atomic_store_n(&copy_yield, on, __ATOMIC_SEQ_CST);
}

void kstub_set_killed(bool on)
{
	killed = on;
}

/* Whether this allocation is the one to fail. */
static bool alloc_fails(void)
{
	int left = __atomic_load_n(&fail_after, __ATOMIC_SEQ_CST);

	while (left != FAIL_OFF) {
		int next = left == 0 ? FAIL_OFF : left - 1;

		if (__atomic_compare_exchange_n(&fail_after, &left, next, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return left == 0;
	}
	return false;
}

static void *counted(void *p)
{
	if (p)
		__atomic_add_fetch(&outstanding, 1, __ATOMIC_SEQ_CST);
	return p;
}

void *kmalloc(size_t size)
{
	return counted(alloc_fails() ? NULL : malloc(size));
}

void *kzalloc(size_t size)
{
	return counted(alloc_fails() ? NULL : calloc(1, size));
}

void kfree(void *p)
{
	if (p)
		__atomic_sub_fetch(&outstanding, 1, __ATOMIC_SEQ_CST);
	free(p);
}

static pthread_mutex_t wait_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static unsigned long wake_generation; /* guarded by wait_mutex */

int waitq_sleep(struct waitq *wq, spinlock_t *lk, uint64_t deadline)
{
	unsigned long gen;

	(void)deadline;
	if (killed)
		return -EINTR;
	/* wait_mutex is taken before lk is let go, and a waker takes it to
	 * wake: a wake-up after the caller's check cannot be missed. */
	pthread_mutex_lock(&wait_mutex);
	gen = wake_generation;
	/* Non-NULL while anyone waits, as the kernel's queue head is (the
	 * mutex's unlock skips the wake when it is NULL). */
	__atomic_store_n(&wq->head, (struct thread *)&wake_generation, __ATOMIC_RELAXED);
	spin_unlock(lk);
	while (gen == wake_generation)
		pthread_cond_wait(&wait_cond, &wait_mutex);
	pthread_mutex_unlock(&wait_mutex);
	spin_lock(lk);
	return 0;
}

void waitq_wake_all(struct waitq *wq)
{
	pthread_mutex_lock(&wait_mutex);
	__atomic_store_n(&wq->head, NULL, __ATOMIC_RELAXED);
	wake_generation++;
	pthread_cond_broadcast(&wait_cond);
	pthread_mutex_unlock(&wait_mutex);
}

/* A user copy is a memcpy that, when asked, yields half way, as a copy
 * that faults in a page may sleep. */
static void copy(void *dst, const void *src, size_t n)
{
	size_t half = n / 2;

	memcpy(dst, src, half);
	if (__atomic_load_n(&copy_yield, __ATOMIC_SEQ_CST))
		sched_yield();
	memcpy((char *)dst + half, (const char *)src + half, n - half);
}

long __copy_to_user(void *udst, const void *src, size_t n)
{
	copy(udst, src, n);
	return 0;
}

long __copy_from_user(void *dst, const void *usrc, size_t n)
{
	copy(dst, usrc, n);
	return 0;
}

/* Opens here run as the kernel itself (no process), whose namespace holds
 * every name (kernel/scheme/namespace.h). */
bool current_ns_allows(const char *name)
{
	(void)name;
	return true;
}

/* The caller context: one process, pid 1, root, the stub address space. */
char kstub_user_as;

void caller_current(struct caller *c)
{
	*c = (struct caller){ .pid = 1, .as = KSTUB_USER_AS };
}

struct aspace *caller_space(void)
{
	return KSTUB_USER_AS;
}
