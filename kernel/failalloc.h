/*
 * kernel/failalloc.h: the kernel command-line word failalloc=N[,START], which
 * makes the kernel's allocators (kmalloc/kzalloc, frame_alloc and
 * frame_alloc_zeroed) fail on purpose so that error paths get exercised:
 * of the allocations counted, one in N fails after the first START, the
 * same ones in every run given the same sequence of allocations (the rule
 * is mm/failinject.h's).
 *
 * Counted are only the allocations a user process causes: those made by a
 * thread of a user process (its system calls, its exit), once the knob is
 * armed (when the first user process is about to run), outside interrupt
 * handlers and outside user page faults (failalloc_suspend), and not by
 * the boot chain's processes (init and initfsd: those whose namespace
 * holds the private names, kernel/scheme/namespace.h). So boot, kernel
 * threads and the processes serving the archive are never affected, and neither is the page-fault handler:
 * a fault cannot report ENOMEM to the program, only kill it, which would
 * tell a clean failure from a bug no better than a crash does. Each call
 * counts once (kzalloc is one kmalloc); a kmalloc that needs pages (a new
 * slab, or a block above HEAP_SLAB_MAX) counts twice, as they come from
 * frame_alloc.
 */
#ifndef MM_FAILALLOC_H
#define MM_FAILALLOC_H

#include "kernel/lib/types.h"

#define FAILALLOC_WORD "failalloc" /* the command-line key */

/* Reads the word's value (NULL: absent, the knob stays off) and says on the
 * console what it will do; a malformed value is reported and ignored. */
void failalloc_setup(const char *spec);
struct proc;
/* Processes fn says true for are not counted (kernel/main.c passes
 * proc_ns_holds_private: the boot chain's). Set at boot, before arming. */
void failalloc_exempt(bool (*fn)(struct proc *p));
/* Starts counting (the first user process is about to run). */
void failalloc_arm(void);
/* The allocators' hook: true when this allocation must fail. */
bool failalloc_should_fail(void);
/* Brackets a user page fault: nothing in between is counted. Interrupts
 * must stay masked from suspend to resume (the state is per CPU). */
void failalloc_suspend(void);
void failalloc_resume(void);
/* Prints how many allocations failed on purpose, if the knob is on. */
void failalloc_report(void);

#endif
