/*
 * syscall/sys_ns.c: anode_setns (syscall/abi/abi.h), narrowing the caller's
 * namespace (kernel/scheme/namespace.h). The whole list is copied and checked
 * before the namespace changes, so a bad call changes nothing.
 */
#include "syscall/handlers.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"

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
	if (!err)
		err = nameset_parse(req, buf, len);
	if (!err)
		err = proc_ns_narrow(current_proc(), req);
	kfree(buf);
	kfree(req);
	return err;
}
