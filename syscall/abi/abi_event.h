/*
 * syscall/abi/abi_event.h: the readiness ABI shared by the kernel and user
 * space: epoll's (Linux's values and layout) and the event: scheme's.
 *
 * event: (Anode's own interface to the same event queues as epoll):
 * open("event:") gives an event queue. write() takes whole
 * struct abi_event_sub records, each one subscription change (op ADD, MOD
 * or DEL of descriptor fd, as epoll_ctl; events as epoll's, with
 * ABI_EVENT_EDGE for edge triggered and ABI_EVENT_ONESHOT); it returns the
 * bytes of the records applied, or the first record's error. read() returns
 * whole struct abi_epoll_event records of ready descriptors, waiting for
 * one (O_NONBLOCK: -EAGAIN; a signal: -EINTR); a buffer shorter than one
 * record is -EINVAL.
 */
#ifndef SYSCALL_ABI_EVENT_H
#define SYSCALL_ABI_EVENT_H

#include <stdint.h>

/* struct epoll_event: not packed on AArch64 (only x86-64 packs it). */
struct abi_epoll_event {
	uint32_t events;
	uint32_t __pad;
	uint64_t data;
};

#define ABI_EPOLL_CTL_ADD 1
#define ABI_EPOLL_CTL_DEL 2
#define ABI_EPOLL_CTL_MOD 3

#define ABI_EPOLLIN 0x001u
#define ABI_EPOLLPRI 0x002u
#define ABI_EPOLLOUT 0x004u
#define ABI_EPOLLERR 0x008u
#define ABI_EPOLLHUP 0x010u
#define ABI_EPOLLRDHUP 0x2000u
#define ABI_EPOLLEXCLUSIVE (1u << 28)
#define ABI_EPOLLWAKEUP (1u << 29)
#define ABI_EPOLLONESHOT (1u << 30)
#define ABI_EPOLLET (1u << 31)
#define ABI_EPOLL_CLOEXEC 02000000   /* O_CLOEXEC */
/* Linux's bound on maxevents: the whole array must fit in INT_MAX bytes. */
#define ABI_EPOLL_MAXEVENTS (0x7fffffff / (int)sizeof(struct abi_epoll_event))

/* event: subscriptions. */
#define ABI_EVENT_ADD ABI_EPOLL_CTL_ADD
#define ABI_EVENT_DEL ABI_EPOLL_CTL_DEL
#define ABI_EVENT_MOD ABI_EPOLL_CTL_MOD
#define ABI_EVENT_EDGE ABI_EPOLLET
#define ABI_EVENT_ONESHOT ABI_EPOLLONESHOT

struct abi_event_sub {
	int32_t op;                 /* ABI_EVENT_ADD / MOD / DEL */
	int32_t fd;
	uint32_t events;            /* ABI_EPOLLIN | ... | ABI_EVENT_EDGE ... */
	uint32_t __pad;             /* 0 */
	uint64_t data;              /* returned with the events */
};

#endif
