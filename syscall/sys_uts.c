/*
 * syscall/sys_uts.c: the system's names: uname(2), and sethostname(2) and
 * setdomainname(2) (busybox's hostname), root only as Linux's
 * CAP_SYS_ADMIN. One set for the whole system (no UTS namespaces).
 */
#include "syscall/handlers.h"
#include "kernel/cred.h"
#include "kernel/version.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define UTS_NAME_MAX (ABI_UTSNAME_LEN - 1) /* Linux's __NEW_UTS_LEN */

static spinlock_t uts_lock = SPINLOCK_INIT("uts");
/* guarded by uts_lock; NUL-terminated */
static char hostname[ABI_UTSNAME_LEN] = ANODE_NODENAME;
static char domainname[ABI_UTSNAME_LEN] = "(none)";

SYSCALL(uname)
{
	struct abi_utsname u;
	uint64_t irq;

	memset(&u, 0, sizeof(u));
	strcpy(u.sysname, ANODE_SYSNAME);
	strcpy(u.release, ANODE_RELEASE);
	strcpy(u.version, ANODE_VERSION);
	strcpy(u.machine, ANODE_MACHINE);
	irq = spin_lock_irqsave(&uts_lock);
	memcpy(u.nodename, hostname, sizeof(hostname));
	memcpy(u.domainname, domainname, sizeof(domainname));
	spin_unlock_irqrestore(&uts_lock, irq);
	return copy_to_user(ARG(0), &u, sizeof(u)) ? -EFAULT : 0;
}

/* Copies in the new name (len bytes, not NUL-terminated), then sets it. */
static long set_name(char *name, uint64_t uname, uint64_t len)
{
	char buf[ABI_UTSNAME_LEN] = { 0 };
	uint64_t irq;

	if (caller_cred().uid != CRED_ROOT_ID)
		return -EPERM;
	if (len > UTS_NAME_MAX)
		return -EINVAL;
	if (copy_from_user(buf, uname, len))
		return -EFAULT;
	irq = spin_lock_irqsave(&uts_lock);
	memcpy(name, buf, sizeof(buf));
	spin_unlock_irqrestore(&uts_lock, irq);
	return 0;
}

SYSCALL(sethostname)
{
	return set_name(hostname, ARG(0), ARG(1));
}

SYSCALL(setdomainname)
{
	return set_name(domainname, ARG(0), ARG(1));
}
