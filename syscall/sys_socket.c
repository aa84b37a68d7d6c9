/*
 * syscall/sys_socket.c: the socket calls, for a kernel with no address
 * family yet (networking and local sockets would be schemes: a later
 * issue). socket and socketpair answer EAFNOSUPPORT, as Linux built
 * without the family does, so C libraries fall back cleanly (busybox's
 * syslog() from login, musl's mq_notify with SIGEV_THREAD); every call on
 * a descriptor answers EBADF for a bad one and ENOTSOCK otherwise, as
 * Linux for a file that is not a socket.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/lib/errno.h"

SYSCALL(socket)
{
	(void)tf;
	return -EAFNOSUPPORT;
}

/* bind, listen, accept, accept4, connect, getsockname, getpeername, sendto,
 * recvfrom, setsockopt, getsockopt, shutdown, sendmsg, recvmsg: x0 is the
 * descriptor. */
SYSCALL(socket_fd_call)
{
	struct file *f = fd_get(current_proc()->fds, (int)ARG(0));

	if (!f)
		return -EBADF;
	file_put(f);
	return -ENOTSOCK;
}
