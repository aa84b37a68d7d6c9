/*
 * syscall/abi/abi_mqueue.h: POSIX message queues as Linux's AArch64 ABI has
 * them: the system-call numbers, struct mq_attr, si_code SI_MESGQ, and the
 * limits of ipc/mqueue.c and /proc/sys/fs/mqueue (Linux 6.1's defaults).
 */
#ifndef ABI_MQUEUE_H
#define ABI_MQUEUE_H

#include <stdint.h>

#define SYS_mq_open 180
#define SYS_mq_unlink 181
#define SYS_mq_timedsend 182
#define SYS_mq_timedreceive 183
#define SYS_mq_notify 184
#define SYS_mq_getsetattr 185

/* struct mq_attr: four longs and four reserved (64 bytes). */
struct abi_mq_attr {
	int64_t mq_flags;   /* 0 or O_NONBLOCK: the descriptor's, not the queue's */
	int64_t mq_maxmsg;
	int64_t mq_msgsize;
	int64_t mq_curmsgs;
	int64_t __reserved[4];
};

/* si_code of a message-queue notification (uapi/asm-generic/siginfo.h). */
#define ABI_SI_MESGQ (-3)

/* Priorities are below MQ_PRIO_MAX (uapi/linux/mqueue.h... include/linux). */
#define ABI_MQ_PRIO_MAX 32768
/* /proc/sys/fs/mqueue: msg_default, msgsize_default, and the unprivileged
 * caps msg_max, msgsize_max (ipc/mq_sysctl.c: the defaults). */
#define MQ_MSG_DEFAULT 10
#define MQ_MSGSIZE_DEFAULT 8192
#define MQ_MSG_MAX 10
#define MQ_MSGSIZE_MAX 8192
/* What a privileged caller may ask (include/linux/ipc_namespace.h). */
#define MQ_HARD_MSGMAX 65536
#define MQ_HARD_MSGSIZEMAX (16 * 1024 * 1024)
/* RLIMIT_MSGQUEUE's default (include/uapi/linux/mqueue.h MQ_BYTES_MAX):
 * the bytes one user's queues may pin. */
#define MQ_BYTES_MAX 819200
/* What Linux charges per message slot: a struct msg_msg and, up to
 * MQ_PRIO_MAX of them, a struct posix_msg_tree_node (48 bytes each on a
 * 64-bit kernel), so the same queues fit under MQ_BYTES_MAX as on Linux. */
#define MQ_MSG_OVERHEAD 48
#define MQ_NODE_OVERHEAD 48
/* The SIGEV_THREAD cookie a netlink notification carries (NOTIFY_COOKIE_LEN). */
#define MQ_NOTIFY_COOKIE_LEN 32
/* Status line size of a descriptor's read (FILENT_SIZE). */
#define MQ_FILENT_SIZE 80
/* NAME_MAX: the longest queue name. */
#define MQ_NAME_MAX 255

#endif
