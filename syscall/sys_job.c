/*
 * syscall/sys_job.c: process groups and sessions: setpgid, getpgid,
 * getsid, setsid (the rules are kernel/pgrp.c's). aarch64 has no getpgrp:
 * C libraries call getpgid(0).
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"

SYSCALL(setpgid)
{
	return jobctl_setpgid((int)ARG(0), (int)ARG(1));
}

SYSCALL(getpgid)
{
	return jobctl_getpgid((int)ARG(0));
}

SYSCALL(getsid)
{
	return jobctl_getsid((int)ARG(0));
}

SYSCALL(setsid)
{
	(void)tf;
	return jobctl_setsid();
}
