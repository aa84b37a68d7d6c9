/*
 * kernel/scheme/timerfd.h: timer descriptors (timerfd_create(2)): a kernel timer
 * whose expirations are counted and read as a u64, a readiness source for
 * poll and epoll (POLLIN while the count is nonzero).
 */
#ifndef KERNEL_TIMERFD_H
#define KERNEL_TIMERFD_H

#include "kernel/lib/types.h"

struct file;
struct abi_itimerspec;

/* A new disarmed timer file on clock (CLOCK_REALTIME or CLOCK_MONOTONIC);
 * flags may hold O_NONBLOCK. -EINVAL for another clock, -ENOMEM. */
int timerfd_file_create(int clock, int flags, struct file **out);
/* timerfd_settime: value_ns 0 disarms; abs: value is a time on the
 * timer's clock. *old gets the previous setting. -EINVAL if f is not a
 * timer file. */
int timerfd_set(struct file *f, bool abs, uint64_t value_ns, uint64_t interval_ns,
		struct abi_itimerspec *old);
int timerfd_get(struct file *f, struct abi_itimerspec *cur);

#endif
