/*
 * kernel/clock.h: the POSIX clocks clock_gettime(2) and time: expose.
 * Monotonic time is the generic timer's counter; real time is that plus
 * the wall-clock time at boot (0, the epoch, until an RTC sets it).
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include "kernel/lib/types.h"

/* 0 and *ns, or -EINVAL for an unknown clock id. */
int clock_read_ns(int clock, uint64_t *ns);
int clock_resolution_ns(int clock, uint64_t *ns);
/* Sets CLOCK_REALTIME to ns now (the caller checked the right): 0, or
 * -EINVAL for a time before boot (earlier than CLOCK_MONOTONIC). Timers
 * already armed on an absolute real time keep their counter deadline. */
int clock_set_realtime(uint64_t ns);

/* A user timespec in ns (saturating at UINT64_MAX: forever); -EFAULT for a
 * bad pointer, -EINVAL for a negative or unnormalized one. */
long timespec_from_user(uint64_t uts, uint64_t *ns);
/* A user itimerspec's value and interval in ns, by the same rules. */
long itimerspec_from_user(uint64_t uits, uint64_t *value, uint64_t *interval);

#endif
