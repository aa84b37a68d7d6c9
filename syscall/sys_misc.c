/*
 * syscall/sys_misc.c: getrandom, reboot, and the small calls a C
 * library reaches for: prctl (the name), rseq (ENOSYS: glibc and musl do
 * without it; it has a table entry so it is not logged as unknown),
 * membarrier, personality.
 */
#include "syscall/handlers.h"
#include "kernel/failalloc.h"
#include "kernel/random.h"
#include "kernel/power.h"
#include "kernel/proc.h"
#include "kernel/cred.h"
#include "kernel/aslr.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define GETRANDOM_CHUNK 256
#define GETRANDOM_MAX (32 * 1024 * 1024) /* Linux's per-call cap */

SYSCALL(getrandom)
{
	uint8_t chunk[GETRANDOM_CHUNK];
	uint64_t ubuf = ARG(0), len = MIN(ARG(1), (uint64_t)GETRANDOM_MAX), done = 0;

	if (ARG(2) & ~(uint64_t)(ABI_GRND_NONBLOCK | ABI_GRND_RANDOM))
		return -EINVAL;
	if (!user_range_ok(ubuf, len))
		return -EFAULT;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));

		random_bytes(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

SYSCALL(reboot)
{
	/* Linux: CAP_SYS_BOOT (root's) first, then the magic numbers. */
	if (caller_cred().euid != CRED_ROOT_ID)
		return -EPERM;
	/* ints, as Linux takes them (glibc sign-extends the first). */
	if ((uint32_t)ARG(0) != ABI_REBOOT_MAGIC1 || (uint32_t)ARG(1) != ABI_REBOOT_MAGIC2)
		return -EINVAL;
	/* init ends the system this way: the failalloc= count is said last. */
	if ((uint32_t)ARG(2) == ABI_REBOOT_CMD_POWER_OFF || (uint32_t)ARG(2) == ABI_REBOOT_CMD_HALT ||
	    (uint32_t)ARG(2) == ABI_REBOOT_CMD_RESTART)
		failalloc_report();
	switch ((uint32_t)ARG(2)) {
	case ABI_REBOOT_CMD_POWER_OFF:
	case ABI_REBOOT_CMD_HALT:
		power_off();
	case ABI_REBOOT_CMD_RESTART:
		power_reset();
	default:
		return -EINVAL;
	}
}

/* PR_SET_NAME / PR_GET_NAME: the name sys:context shows (16 bytes with
 * the NUL, as Linux's comm). Other options: EINVAL. */
SYSCALL(prctl)
{
	struct proc *p = current_proc();
	char name[ABI_TASK_COMM_LEN] = { 0 };
	uint64_t flags;
	size_t n;

	_Static_assert(ABI_TASK_COMM_LEN == PROC_NAME_MAX, "comm is the proc name");
	if (ARG(0) == ABI_PR_GET_NAME) {
		flags = spin_lock_irqsave(&proc_lock);
		memcpy(name, p->name, sizeof(name));
		spin_unlock_irqrestore(&proc_lock, flags);
		return copy_to_user(ARG(1), name, sizeof(name)) ? -EFAULT : 0;
	}
	if (ARG(0) != ABI_PR_SET_NAME)
		return -EINVAL;
	/* A byte at a time: the string may end just before an unmapped page. */
	for (n = 0; n < sizeof(name) - 1; n++) {
		if (copy_from_user(&name[n], ARG(1) + n, 1))
			return -EFAULT;
		if (!name[n])
			break;
	}
	flags = spin_lock_irqsave(&proc_lock);
	memcpy(p->name, name, sizeof(name));
	spin_unlock_irqrestore(&proc_lock, flags);
	return 0;
}

SYSCALL(rseq)
{
	(void)tf;
	return -ENOSYS;
}

/* What membarrier supports: the commands that need no registration
 * tracking. Each is a full barrier on this CPU (dmb ish); with one CPU
 * running user code that is all of them. SMP will need an IPI per CPU. */
#define MEMBARRIER_SUPPORTED (ABI_MEMBARRIER_CMD_GLOBAL | ABI_MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
			      ABI_MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | \
			      ABI_MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
			      ABI_MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)

SYSCALL(membarrier)
{
	uint64_t cmd = ARG(0);

	if (ARG(1))
		return -EINVAL; /* MEMBARRIER_CMD_FLAG_CPU goes with rseq commands only */
	if (cmd == ABI_MEMBARRIER_CMD_QUERY)
		return MEMBARRIER_SUPPORTED;
	/* exactly one supported command bit */
	if ((cmd & (cmd - 1)) || !(cmd & MEMBARRIER_SUPPORTED))
		return -EINVAL;
	__asm__ volatile("dmb ish" ::: "memory");
	return 0;
}

/* Linux's personality(2): Anode runs Linux programs only, so PER_LINUX (0)
 * is the one persona, with or without ADDR_NO_RANDOMIZE (kernel/aslr.h:
 * the next exec's layout is not randomized). A query (0xffffffff) answers
 * the persona, setting one answers the old; any other persona or flag is
 * EINVAL (as Linux for an unknown one) and changes nothing. */
#define PER_LINUX 0x0000
#define PER_QUERY 0xffffffffUL

SYSCALL(personality)
{
	struct proc *p = current_proc();
	uint64_t want = ARG(0) & 0xffffffffUL;

	if (want == PER_QUERY)
		return __atomic_load_n(&p->personality, __ATOMIC_RELAXED);
	if ((want & ~(uint64_t)ABI_ADDR_NO_RANDOMIZE) != PER_LINUX)
		return -EINVAL;
	return __atomic_exchange_n(&p->personality, (uint32_t)want, __ATOMIC_RELAXED);
}
