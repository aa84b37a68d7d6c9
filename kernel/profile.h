/*
 * kernel/profile.h: the sampling profiler behind `make profile`
 * (tools/profile.py). The command-line word profile=HZ starts a timer event
 * at HZ that records the interrupted context (pc, exception level, process)
 * into a ring allocated once at boot, and makes the system-call dispatcher
 * count calls per number. At power-off the samples and counts are written
 * to the console between "profile: begin" and "profile: end" lines, for
 * the host to symbolize. Off (no profile= word): nothing in the dispatcher
 * (syscall_profile_start switches its table).
 */
#ifndef KERNEL_PROFILE_H
#define KERNEL_PROFILE_H

#include "kernel/lib/types.h"

#define PROFILE_WORD "profile" /* the command-line key */
#define PROFILE_HZ_MAX 100000  /* a sample per 10 us at most: the interrupt's own cost stays small */

/* Set once at boot when profile= was valid; read by the hot-path hook. */
extern bool profile_enabled;

/* Parses profile=HZ (spec NULL: off) and starts sampling on this CPU. */
void profile_setup(const char *spec);
/* Counts one system call (the dispatcher calls it when profiling). */
void profile_syscall(uint64_t nr);
/* Makes the system-call dispatcher count every call (syscall/syscall.c,
 * which switches its fast table); once at boot, before any system call. */
void syscall_profile_start(void);
/* Stops sampling and writes what was gathered to the console. */
void profile_dump(void);

#endif
