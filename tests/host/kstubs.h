/*
 * tests/host/kstubs.h: host stand-ins for the kernel services that the file
 * layer, the schemes and sched/mutex.c use (tests/host/kstubs.c): a heap
 * that counts what is outstanding and can be told to fail, wait queues on
 * pthreads (so several host threads can block in kernel code), user copies
 * that may yield mid-copy (as a faulting copy may sleep), and a per-thread
 * "killed" flag that makes waits fail with -EINTR.
 */
#ifndef TESTS_HOST_KSTUBS_H
#define TESTS_HOST_KSTUBS_H

#include <stdbool.h>
#include <stddef.h>

/* Allocations made and not yet freed. */
long kstub_outstanding(void);
/* After n more successful allocations, the next one fails (once);
 * n = -1 turns failing off. */
void kstub_fail_alloc_after(int n);
/* Whether user copies yield the CPU half way (to widen race windows). */
void kstub_set_copy_yield(bool on);
/* Sets this thread's killed flag: its waits then return -EINTR. */
void kstub_set_killed(bool killed);

/* The one user address space of the host tests: a uio naming it goes
 * through the stubbed user copies (kernel/scheme/uio.c under HOST_TEST). */
#define KSTUB_USER_AS ((struct aspace *)&kstub_user_as)
extern char kstub_user_as;

#endif
