/*
 * syscall/sys_misc.c: uname, getrandom and reboot.
 */
#include "syscall/handlers.h"
#include "kernel/random.h"
#include "kernel/power.h"
#include "kernel/proc.h"
#include "kernel/version.h"
#include "kernel/errno.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define GETRANDOM_CHUNK 256
#define GETRANDOM_MAX (32 * 1024 * 1024) /* Linux's per-call cap */

SYSCALL(uname)
{
	struct abi_utsname u;

	memset(&u, 0, sizeof(u));
	strcpy(u.sysname, ANODE_SYSNAME);
	strcpy(u.nodename, ANODE_NODENAME);
	strcpy(u.release, ANODE_RELEASE);
	strcpy(u.version, ANODE_VERSION);
	strcpy(u.machine, ANODE_MACHINE);
	return copy_to_user(ARG(0), &u, sizeof(u)) ? -EFAULT : 0;
}

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
	if (ARG(0) != ABI_REBOOT_MAGIC1 || ARG(1) != ABI_REBOOT_MAGIC2)
		return -EINVAL;
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
