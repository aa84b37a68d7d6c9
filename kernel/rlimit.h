/*
 * kernel/rlimit.h: a process's resource limits (getrlimit(2), setrlimit(2),
 * prlimit64(2)), the rules for changing them (Linux's do_prlimit) and the
 * checks that enforce them. Enforced: NOFILE (descriptor numbers), NPROC
 * (processes and threads per real uid; root exempt, as Linux exempts
 * INIT_USER and CAP_SYS_RESOURCE), AS and DATA (mmap, brk: Linux 6.1's
 * may_expand_vm), STACK (exec's stack size, at most USER_STACK_SIZE),
 * CPU (SIGXCPU each second from the soft limit, SIGKILL at the hard one),
 * FSIZE (SIGXFSZ and EFBIG). Stored and reported only: CORE (Anode writes
 * no core dumps), MEMLOCK (there is no mlock), RSS, LOCKS, SIGPENDING,
 * MSGQUEUE, NICE, RTPRIO, RTTIME.
 *
 * Inherited by fork, kept across exec. A soft limit never exceeds its hard
 * one; raising a hard limit needs an effective uid of 0.
 */
#ifndef KERNEL_RLIMIT_H
#define KERNEL_RLIMIT_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "syscall/abi/abi.h"

/* Linux's resource numbers (include/uapi/asm-generic/resource.h). */
#define ABI_RLIMIT_CPU 0
#define ABI_RLIMIT_FSIZE 1
#define ABI_RLIMIT_DATA 2
#define ABI_RLIMIT_CORE 4
#define ABI_RLIMIT_RSS 5
#define ABI_RLIMIT_NPROC 6
#define ABI_RLIMIT_MEMLOCK 8
#define ABI_RLIMIT_AS 9
#define ABI_RLIMIT_LOCKS 10
#define ABI_RLIMIT_SIGPENDING 11
#define ABI_RLIMIT_MSGQUEUE 12
#define ABI_RLIMIT_NICE 13
#define ABI_RLIMIT_RTPRIO 14
#define ABI_RLIMIT_RTTIME 15

struct proc;

struct proc_rlimits {
	/* "rlimit", a leaf (taken inside proc_lock, never around another
	 * lock): guards lim, each pair written together under it. Each
	 * field is stored atomically, so the enforcing checks (the tick, fd
	 * allocation, mmap) read a single field with an atomic load and no
	 * lock. */
	spinlock_t lock;
	struct abi_rlimit lim[ABI_RLIM_NLIMITS];
	/* Ticks charged to the process (all its threads) since fork, kept
	 * across exec, for RLIMIT_CPU; atomic, added to by every CPU's tick. */
	uint64_t cpu_ticks;
};

/* The first process's limits (Linux's INIT_RLIMITS, sized to Anode). */
void rlimit_init_first(struct proc *p);
/* child's limits: a copy of parent's (fork). */
void rlimit_fork(struct proc *child, struct proc *parent);
/* prlimit64 on p (the caller's process or another, whose permission the
 * caller checked): reads the old pair into *old (if not NULL), then sets
 * *new (if not NULL) by Linux's rules: -EINVAL for soft > hard or a bad
 * resource, -EPERM for raising the hard limit without privilege (or
 * NOFILE's past the descriptor table). */
int rlimit_prlimit(struct proc *p, int resource, const struct abi_rlimit *new,
		   struct abi_rlimit *old, bool privileged);
/* A soft limit, read atomically. */
uint64_t rlimit_cur(struct proc *p, int resource);

/* --- enforcement, each for the calling process ---
 * The file layer's checks (rlimit_nofile, rlimit_fsize_*) are declared in
 * kernel/scheme/fdtable.h and file.h, below this layer, and defined here. */
/* The stack size exec gives: the soft STACK limit, within
 * [RLIMIT_STACK_MIN, USER_STACK_SIZE]. */
uint64_t rlimit_stack_size(struct proc *p);
/* RLIMIT_NPROC for a new process or thread of p: -EAGAIN if p's real
 * user already has that many (unless p's real or effective uid is 0).
 * Counted, then made: forks racing on several CPUs may each pass, so a
 * user can exceed the limit by at most one per CPU. */
int rlimit_nproc_check(struct proc *p);
/* kernel/rlimit_vm.c, for the calling process's space as. May a mapping of
 * len bytes (prot, VMA_* flags) be added in place of what [skip_start,
 * skip_end) holds (MAP_FIXED; else an empty range)? 0 or -ENOMEM (AS,
 * DATA, or with account - it reserves memory: private writable or shared
 * anonymous, no MAP_NORESERVE - larger than RAM). */
struct aspace;
int rlimit_vm_check(struct aspace *as, uint64_t skip_start, uint64_t skip_end, uint64_t len,
		    unsigned prot, unsigned vma_flags, bool account);
/* brk from old_brk to want: the same for the heap's growth (0 if it shrinks). */
int rlimit_brk_check(struct aspace *as, uint64_t old_brk, uint64_t want);
/* mremap growing the mapping at addr by grow bytes: the same, as Linux's
 * vma_to_resize (0 if there is no mapping there: uvm_remap refuses it). */
int rlimit_remap_check(struct aspace *as, uint64_t addr, uint64_t grow);
/* mprotect of [start, end) to prot: -ENOMEM if the private memory it makes
 * writable would take DATA past its limit (Linux's mprotect_fixup). */
int rlimit_protect_check(struct aspace *as, uint64_t start, uint64_t end, unsigned prot);
/* The tick found a thread of p running (interrupt context). */
void rlimit_cpu_tick(struct proc *p);

#endif
