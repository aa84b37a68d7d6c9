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
#define FD_LIMIT 256      /* RLIMIT_NOFILE: the descriptor table size */

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

/* Reports defaults; setting limits is not supported yet. */
SYSCALL(prlimit64)
{
	int pid = (int)ARG(0), resource = (int)ARG(1);
	struct abi_rlimit lim = { ABI_RLIM_INFINITY, ABI_RLIM_INFINITY }, newlim;

	if (pid != 0 && pid != current_proc()->pid)
		return -ESRCH;
	if (resource < 0 || resource >= ABI_RLIM_NLIMITS)
		return -EINVAL;
	if (ARG(2) && copy_from_user(&newlim, ARG(2), sizeof(newlim)))
		return -EFAULT;
	if (resource == ABI_RLIMIT_NOFILE)
		lim.rlim_cur = lim.rlim_max = FD_LIMIT;
	else if (resource == ABI_RLIMIT_STACK)
		lim.rlim_cur = USER_STACK_SIZE;
	if (ARG(3) && copy_to_user(ARG(3), &lim, sizeof(lim)))
		return -EFAULT;
	if (ARG(2))
		return -EPERM;
	return 0;
}
