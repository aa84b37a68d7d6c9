/*
 * kernel/cred.h: a process's identity, what getuid(2) and friends answer
 * and what a scheme request carries as its caller (syscall/abi/scheme_proto.h).
 * Set when the process is created (root, 0/0, for the first), inherited by
 * fork, kept by exec. Nothing changes it yet (setuid and friends are a
 * later issue), so it is read without a lock.
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <stdint.h>

#define CRED_ROOT_ID 0

struct cred {
	uint32_t uid, gid;
};

/* The calling process's identity, for the caller fields of requests. */
struct cred caller_cred(void);

#endif
