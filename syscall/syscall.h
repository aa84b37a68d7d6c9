/*
 * syscall/syscall.h: the kernel side of system calls. Each handler takes the
 * caller's trap frame; arguments are x0-x5 (ARG(n)), the number is x8, the
 * result goes back in x0. Handlers decode and check every argument first,
 * copy user data in, and only then change state.
 */
#ifndef SYSCALL_SYSCALL_H
#define SYSCALL_SYSCALL_H

#include "kernel/lib/types.h"
#include "asm/trap.h"
#include "syscall/abi/abi.h"

#define ARG(n) (tf->x[(n)])

typedef long (*syscall_fn)(struct trap_frame *tf);

#define SYSCALL(name) long sys_##name(struct trap_frame *tf)

/* For handlers that take a timeout (syscall/sys_time.c): a sleep of ns
 * (0, or -EINTR if killed). User timespecs: timespec_from_user (kernel/clock.h). */
#include "kernel/clock.h"
long sleep_for_ns(uint64_t ns, uint64_t *left);

/* Called from the vector table for SVC from EL0. */
void syscall_dispatch(struct trap_frame *tf);

#endif
