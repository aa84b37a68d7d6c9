/*
 * syscall/sys_proc.c: system calls on processes: exit, exit_group, clone
 * (kernel/thread_group.h), execve, identities, yield, kill (process groups:
 * see proc_kill in kernel/proc.h), prlimit64. wait4 and waitid: sys_wait.c.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/exec.h"
#include "kernel/signal.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "mm/heap.h"
#include "mm/uvm.h"
#include "kernel/timer.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define EXIT_CODE_MASK 0xff

/* Ends the calling thread; the process ends with its last thread. */
SYSCALL(exit)
{
	thread_exit(WAIT_EXITED((int)ARG(0) & EXIT_CODE_MASK));
}

SYSCALL(exit_group)
{
	proc_exit(WAIT_EXITED((int)ARG(0) & EXIT_CODE_MASK));
}

/* AArch64 order: flags, stack, parent_tid, tls, child_tid. */
SYSCALL(clone)
{
	struct clone_req req = { ARG(0), ARG(1), ARG(2), ARG(3), ARG(4) };

	return thread_clone(tf, &req);
}

/* Copies a NULL-terminated user array of strings into one kernel buffer. */
static long copy_strings(uint64_t uarr, char *buf, size_t *used, const char **out, int max)
{
	int n = 0;

	if (!uarr)
		return 0;
	for (;; n++) {
		uint64_t uptr;
		long len;

		if (copy_from_user(&uptr, uarr + (uint64_t)n * sizeof(uptr), sizeof(uptr)))
			return -EFAULT;
		if (!uptr)
			return n;
		if (n == max)
			return -E2BIG;
		len = strncpy_from_user(buf + *used, uptr, EXEC_MAX_STRINGS - *used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : len;
		out[n] = buf + *used;
		*used += (size_t)len + 1;
	}
}

SYSCALL(execve)
{
	char *strings = kmalloc(EXEC_MAX_STRINGS), path[PATH_MAX_LEN];
	const char **argv = kmalloc(EXEC_MAX_ARGS * sizeof(char *));
	size_t used = 0;
	long argc = 0, envc = 0, err;

	err = (strings && argv) ? strncpy_from_user(path, ARG(0), sizeof(path)) : -ENOMEM;
	if (err == 0)
		err = -ENOENT;
	if (err > 0)
		err = argc = copy_strings(ARG(1), strings, &used, argv, EXEC_MAX_ARGS);
	if (err >= 0)
		err = envc = copy_strings(ARG(2), strings, &used, argv + argc, EXEC_MAX_ARGS - (int)argc);
	if (err >= 0)
		err = thread_group_single(); /* the other threads die first */
	if (err >= 0)
		err = exec_image(current_proc(), tf, path, argv, (int)argc, argv + argc, (int)envc);
	if (err >= 0) {
		/* The old image's words are gone (Linux's exec_mm_release). */
		current_thread()->clear_child_tid = current_thread()->robust_list = 0;
		signal_exec(current_proc(), current_thread());
	}
	kfree(strings);
	kfree(argv);
	/* On success tf is the new program's: its x0 must stay 0. */
	return err < 0 ? err : 0;
}

SYSCALL(getpid)
{
	(void)tf;
	return current_proc()->pid;
}

SYSCALL(getppid)
{
	(void)tf;
	return proc_getppid(current_proc());
}

SYSCALL(gettid)
{
	(void)tf;
	return current_thread()->user_tid;
}

SYSCALL(set_tid_address)
{
	current_thread()->clear_child_tid = ARG(0);
	return current_thread()->user_tid;
}

SYSCALL(sched_yield)
{
	(void)tf;
	sched_yield();
	return 0;
}

SYSCALL(kill)
{
	return proc_kill((int)ARG(0), (int)ARG(1));
}

/* Linux's check_prlimit_permission: the caller's real ids match all of
 * the target's, or the caller is privileged (CAP_SYS_RESOURCE: euid 0). */
static bool may_prlimit(const struct cred *me, const struct cred *t)
{
	return me->euid == CRED_ROOT_ID ||
	       (me->uid == t->uid && me->uid == t->euid && me->uid == t->suid && me->gid == t->gid &&
		me->gid == t->egid && me->gid == t->sgid);
}

struct prlimit_req {
	int resource;
	const struct abi_rlimit *new;
	struct abi_rlimit *old;
	struct cred me;
};

/* proc_lock held: p stays alive while its limits change. */
static long prlimit_on(struct proc *p, void *arg)
{
	struct prlimit_req *r = arg;
	struct cred target;

	cred_get(p, &target);
	if (p != current_proc() && !may_prlimit(&r->me, &target))
		return -EPERM;
	return rlimit_prlimit(p, r->resource, r->new, r->old, r->me.euid == CRED_ROOT_ID);
}

/* prlimit64(pid, resource, new, old); getrlimit and setrlimit are this
 * with pid 0 in musl and glibc. Everything is copied in before anything
 * changes, and old is copied out after. */
SYSCALL(prlimit64)
{
	int pid = (int)ARG(0);
	struct abi_rlimit newlim, oldlim;
	struct prlimit_req r = { .resource = (int)ARG(1), .new = ARG(2) ? &newlim : NULL,
				 .old = &oldlim, .me = caller_cred() };
	long err;

	if (ARG(2) && copy_from_user(&newlim, ARG(2), sizeof(newlim)))
		return -EFAULT;
	err = pid == 0 ? prlimit_on(current_proc(), &r) : proc_with_pid(pid, prlimit_on, &r);
	if (err)
		return err;
	if (ARG(3) && copy_to_user(ARG(3), &oldlim, sizeof(oldlim)))
		return -EFAULT;
	return 0;
}
