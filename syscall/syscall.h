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

/* Called from the vector table for SVC from EL0: a handler of the Linux
 * table inline (the common case), anything else in syscall_dispatch_slow. */
extern const syscall_fn syscall_table[SYS_LINUX_MAX];
long syscall_dispatch_slow(struct trap_frame *tf);
/* The table syscall_fast_fn reads: syscall_table, or while profiling
 * (syscall_profile_start, kernel/profile.h) one whose every handler counts
 * the call first, so the fast path needs no check of its own for the
 * profiler. */
extern const syscall_fn *syscall_fast_table;

/*
 * Handlers see a partial frame (arch/aarch64/vectors.S): x0-x18, x29, x30,
 * sp, elr, spsr and esr; x19-x28 stay in the registers (C preserves them).
 * The calls that read or rewrite the whole frame (clone copies it to the
 * child, execve and rt_sigreturn replace it) are not in syscall_table but
 * in syscall.c's whole_frame_table, so that the one lookup here decides
 * both: the handler to run inline on a partial frame, or NULL: the whole
 * frame first, then syscall_dispatch_slow (also every number outside the
 * table, and where the profiler counts those).
 */
static inline syscall_fn syscall_fast_fn(uint64_t nr)
{
	return nr < SYS_LINUX_MAX ? syscall_fast_table[nr] : NULL;
}

/* Runs the call: fn, syscall_fast_fn's answer for its number, or NULL for
 * syscall_dispatch_slow (the first parameter: debuggers then show tf
 * first, as tests/qemu/test_gdb.py expects). Its result, for the caller to
 * put in the frame's x0: until then x0 is still the call's first argument
 * (kernel/signal_fast.h keeps it for a restart only when the result asks
 * for one). */
static inline long syscall_dispatch(syscall_fn fn, struct trap_frame *tf)
{
	if (__builtin_expect(fn != NULL, 1))
		return fn(tf);
	return syscall_dispatch_slow(tf);
}

#endif
