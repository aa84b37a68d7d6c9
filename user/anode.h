/*
 * user/anode.h: Anode's own system calls for user programs. Their numbers
 * are syscall/abi/abi.h's (SYS_ANODE_BASE on), repeated here because that
 * header cannot be included next to musl's (its structures use names,
 * such as si_pid, that <signal.h> defines as macros).
 */
#ifndef USER_ANODE_H
#define USER_ANODE_H

#include <stddef.h>
#include <unistd.h>

#define ANODE_SYS_BASE 0x10000                /* SYS_ANODE_BASE */
#define ANODE_SYS_setns (ANODE_SYS_BASE + 0)  /* SYS_anode_setns */

/* Narrows this process's namespace to the NUL-separated names[0..len):
 * how many names it then holds, or -1 and errno (syscall/abi/abi.h). */
static inline long anode_setns(const char *names, size_t len)
{
	return syscall(ANODE_SYS_setns, names, len);
}

#endif
