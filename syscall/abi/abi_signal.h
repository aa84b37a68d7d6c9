/*
 * syscall/abi/abi_signal.h: the Linux AArch64 signal ABI (shared by the kernel
 * and user space, like syscall/abi/abi.h): signal numbers, sigaction flags,
 * siginfo, stack_t, and the rt_sigframe layout of arch/arm64 (siginfo, then
 * ucontext whose sigcontext's __reserved area holds records).
 */
#ifndef SYSCALL_ABI_SIGNAL_H
#define SYSCALL_ABI_SIGNAL_H

#include "syscall/abi/abi.h"

/* Signal system calls (Linux's asm-generic numbers). */
#define SYS_getitimer 102
#define SYS_setitimer 103
#define SYS_restart_syscall 128
#define SYS_tkill 130
#define SYS_tgkill 131
#define SYS_sigaltstack 132
#define SYS_rt_sigsuspend 133
#define SYS_rt_sigpending 136
#define SYS_rt_sigtimedwait 137
#define SYS_rt_sigqueueinfo 138
#define SYS_rt_sigreturn 139
#define SYS_rt_tgsigqueueinfo 240
#define SYS_timer_create 107
#define SYS_timer_gettime 108
#define SYS_timer_getoverrun 109
#define SYS_timer_settime 110
#define SYS_timer_delete 111

/* Signal numbers not in abi.h (asm-generic/signal.h). */
#define ABI_SIGHUP 1
#define ABI_SIGINT 2
#define ABI_SIGQUIT 3
#define ABI_SIGABRT 6
#define ABI_SIGFPE 8
#define ABI_SIGUSR1 10
#define ABI_SIGUSR2 12
#define ABI_SIGPIPE 13
#define ABI_SIGALRM 14
#define ABI_SIGTSTP 20
#define ABI_SIGTTIN 21
#define ABI_SIGTTOU 22
#define ABI_SIGXCPU 24
#define ABI_SIGXFSZ 25
#define ABI_SIGVTALRM 26
#define ABI_SIGPROF 27
#define ABI_SIGSYS 31
#define ABI_SIGRTMIN 32

/* sa_flags (asm-generic/signal-defs.h, arm64 SA_RESTORER). */
#define ABI_SA_NOCLDSTOP 0x00000001UL
#define ABI_SA_NOCLDWAIT 0x00000002UL
#define ABI_SA_SIGINFO 0x00000004UL
#define ABI_SA_RESTORER 0x04000000UL
#define ABI_SA_ONSTACK 0x08000000UL
#define ABI_SA_RESTART 0x10000000UL
#define ABI_SA_NODEFER 0x40000000UL
#define ABI_SA_RESETHAND 0x80000000UL

/* si_code values. */
#define ABI_SI_USER 0
#define ABI_SI_KERNEL 0x80
#define ABI_SI_QUEUE (-1)
#define ABI_SI_TIMER (-2)
#define ABI_SI_TKILL (-6)
#define ABI_SEGV_MAPERR 1
#define ABI_SEGV_ACCERR 2
#define ABI_BUS_ADRALN 1
#define ABI_ILL_ILLOPC 1
#define ABI_TRAP_BRKPT 1
#define ABI_CLD_EXITED 1
#define ABI_CLD_KILLED 2
#define ABI_CLD_DUMPED 3
#define ABI_CLD_STOPPED 5
#define ABI_CLD_CONTINUED 6

/* siginfo_t: 128 bytes; the union's members as the kernel fills them. */
#define ABI_SIGINFO_SIZE 128
struct abi_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad;
	union {
		struct { int32_t pid; uint32_t uid; uint64_t value; } kill; /* kill, sigqueue */
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t __pad;
			 int64_t utime, stime; } chld;
		struct { uint64_t addr; } fault;
		struct { int32_t tid; int32_t overrun; uint64_t value; } timer; /* POSIX timers */
		uint8_t raw[ABI_SIGINFO_SIZE - 16];
	};
};

/* stack_t and sigaltstack flags; arm64's minimum size. */
struct abi_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t __pad;
	uint64_t ss_size;
};
#define ABI_SS_ONSTACK 1
#define ABI_SS_DISABLE 2
#define ABI_SS_AUTODISARM (1U << 31)
#define ABI_MINSIGSTKSZ 5120

/* itimers (setitimer/getitimer). */
#define ABI_ITIMER_REAL 0
#define ABI_ITIMER_VIRTUAL 1
#define ABI_ITIMER_PROF 2
struct abi_itimerval {
	struct abi_timeval it_interval;
	struct abi_timeval it_value;
};

/* POSIX timers (timer_create): struct sigevent (64 bytes) and sigev_notify. */
#define ABI_SIGEV_SIGNAL 0
#define ABI_SIGEV_NONE 1
#define ABI_SIGEV_THREAD 2 /* musl makes it SIGEV_THREAD_ID; the kernel treats it as SIGEV_SIGNAL */
#define ABI_SIGEV_THREAD_ID 4
#define ABI_SIGEVENT_SIZE 64
struct abi_sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	union {
		int32_t tid;               /* SIGEV_THREAD_ID */
		uint8_t __pad[ABI_SIGEVENT_SIZE - 16];
	};
};
struct abi_itimerspec {
	struct abi_timespec it_interval;
	struct abi_timespec it_value;
};

/* arch/arm64 uapi sigcontext.h. */
#define ABI_SIGCONTEXT_RESERVED 4096
struct abi_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint8_t __reserved[ABI_SIGCONTEXT_RESERVED] __attribute__((aligned(16)));
};

/* A record in __reserved: magic and size (header included). */
struct abi_aarch64_ctx {
	uint32_t magic;
	uint32_t size;
};

#define ABI_FPSIMD_MAGIC 0x46508001
struct abi_fpsimd_context {
	struct abi_aarch64_ctx head;
	uint32_t fpsr;
	uint32_t fpcr;
	uint64_t vregs[64] __attribute__((aligned(16))); /* v0..v31, 128 bits each */
};

#define ABI_UC_UNUSED (1024 / 8 - 8)
struct abi_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct abi_stack uc_stack;
	uint64_t uc_sigmask;
	uint8_t uc_unused[ABI_UC_UNUSED];
	struct abi_sigcontext uc_mcontext;
};

struct abi_rt_sigframe {
	struct abi_siginfo info;
	struct abi_ucontext uc;
};

#endif
