/*
 * kernel/futex.h: futex(2) wait queues, hashed by key (futex.c), and the
 * robust-futex list a dying thread leaves (futex_robust.c).
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/types.h"

struct thread;

/* Wakes up to n waiters on the current process's word at uaddr, keyed as
 * a shared futex (exit's child-tid word, robust futexes); the number woken
 * or -errno. */
long futex_wake_shared(uint64_t uaddr, int n);
/* Marks the robust futexes the current thread t still holds as
 * FUTEX_OWNER_DIED and wakes one waiter of each (at its exit). */
void futex_robust_exit(struct thread *t);

#endif
