/*
 * mm/uvm_oom.h: the out-of-memory killer, as the fault path sees it. When
 * a user page fault (or a daemon's copy into a caller's pages,
 * uvm_get_page) finds no free page, the process with the most resident
 * pages dies (SIGKILL, and a "oom: killed pid N (name) rss K KiB" line in
 * the kernel log) and the fault waits, bounded, for its memory to come
 * back, then retries. Never chosen: init (pid 1), the daemon serving file:
 * (the root file system; its scheme's server_pid), and kernel threads (no
 * address space). Defined in kernel/oom.c; declared here so that mm/ does
 * not include the process layer (no include cycle, tools/layers.py).
 */
#ifndef MM_UVM_OOM_H
#define MM_UVM_OOM_H

#include "kernel/lib/types.h"

/* Called by a fault once it dropped its address space's lock. Kills a
 * victim unless one is already dying, then waits (OOM_WAIT_NS, 5 s, at most) for its
 * address space to be freed. true: retry the allocation. false: fail it
 * as before (the old SIGSEGV / -EFAULT): there is no victim; the victim
 * is the caller itself (its SIGKILL, the lowest pending signal, is taken
 * before any SIGSEGV); the caller holds a spinlock (interrupts masked:
 * then nothing is killed either, as proc_lock may rank above the lock
 * held); the caller is being killed; or the victim did not die in time
 * (it may wait on something the caller holds: the bound keeps that from
 * becoming a deadlock). */
bool oom_kill_and_wait(void);

#endif
