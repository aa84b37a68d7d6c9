/*
 * syscall/sys_ns.c: anode_setns (syscall/abi/abi.h), narrowing the caller's
 * namespace (kernel/scheme/namespace.h). The whole list is copied and checked
 * before the namespace changes, so a bad call changes nothing. "*" alone
 * (NS_WILDCARD) drops the private names instead (namespace.h).
 */
#include "syscall/handlers.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

SYSCALL(anode_setns)
{
	uint64_t ubuf = ARG(0), len = ARG(1);
	struct nameset *req;
	char *buf;
	long err;

	if (len > NAMESET_BUF_MAX)
		return -EINVAL;
	req = kmalloc(sizeof(*req));
	buf = kmalloc(NAMESET_BUF_MAX);
	err = req && buf ? 0 : -ENOMEM;
	if (!err && copy_from_user(buf, ubuf, len))
		err = -EFAULT;
	if (!err && len == NS_WILDCARD_LEN && memcmp(buf, NS_WILDCARD, NS_WILDCARD_LEN) == 0)
		err = proc_ns_drop_private(current_proc());
	else if (!err)
		err = nameset_parse(req, buf, len);
	if (!err && !(len == NS_WILDCARD_LEN && memcmp(buf, NS_WILDCARD, NS_WILDCARD_LEN) == 0))
		err = proc_ns_narrow(current_proc(), req);
	kfree(buf);
	kfree(req);
	return err;
}
