/*
 * syscall/abi/abi.h: Anode's system-call ABI, shared by the kernel and user
 * space. It is Linux's AArch64 ABI: `svc #0`, number in x8, arguments in
 * x0-x5, result or -errno in x0, and Linux's numbers (asm-generic/unistd.h)
 * for every call that has a Linux equivalent, so a static musl program built
 * anywhere runs unmodified. Anode's own calls take numbers from a private
 * range starting at SYS_ANODE_BASE, far above Linux's.
 * The structures below have Linux's AArch64 layouts.
 */
#ifndef SYSCALL_ABI_H
#define SYSCALL_ABI_H

#include <stdint.h>

#define SYS_getcwd 17
#define SYS_dup 23
#define SYS_dup3 24
#define SYS_fcntl 25
#define SYS_ioctl 29
#define SYS_chdir 49
#define SYS_openat 56
#define SYS_close 57
#define SYS_pipe2 59
#define SYS_getdents64 61
#define SYS_lseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_readv 65
#define SYS_writev 66
#define SYS_pread64 67
#define SYS_pwrite64 68
#define SYS_pselect6 72
#define SYS_ppoll 73
#define SYS_epoll_create1 20
#define SYS_epoll_ctl 21
#define SYS_epoll_pwait 22
#define SYS_epoll_pwait2 441
#define SYS_timerfd_create 85
#define SYS_timerfd_settime 86
#define SYS_timerfd_gettime 87
#define SYS_newfstatat 79
#define SYS_fstat 80
#define SYS_exit 93
#define SYS_exit_group 94
#define SYS_waitid 95
#define SYS_set_tid_address 96
#define SYS_futex 98
#define SYS_set_robust_list 99
#define SYS_get_robust_list 100
#define SYS_nanosleep 101
#define SYS_clock_settime 112
#define SYS_clock_gettime 113
#define SYS_clock_getres 114
#define SYS_clock_nanosleep 115
#define SYS_sched_setparam 118
#define SYS_sched_setscheduler 119
#define SYS_sched_getscheduler 120
#define SYS_sched_getparam 121
#define SYS_sched_setaffinity 122
#define SYS_sched_getaffinity 123
#define SYS_sched_yield 124
#define SYS_sched_get_priority_max 125
#define SYS_sched_get_priority_min 126
#define SYS_getcpu 168
#define SYS_kill 129
#define SYS_rt_sigaction 134
#define SYS_rt_sigprocmask 135
#define SYS_setpriority 140
#define SYS_getpriority 141
#define SYS_reboot 142
#define SYS_times 153
#define SYS_setpgid 154
#define SYS_getpgid 155
#define SYS_getsid 156
#define SYS_setsid 157
#define SYS_uname 160
#define SYS_getrusage 165
#define SYS_prctl 167
#define SYS_gettimeofday 169
#define SYS_settimeofday 170
#define SYS_getpid 172
#define SYS_sysinfo 179
#define SYS_getppid 173
#define SYS_getuid 174
#define SYS_geteuid 175
#define SYS_getgid 176
#define SYS_getegid 177
#define SYS_gettid 178
/* Credentials (syscall/sys_cred.c). */
#define SYS_setregid 143
#define SYS_setgid 144
#define SYS_setreuid 145
#define SYS_setuid 146
#define SYS_setresuid 147
#define SYS_getresuid 148
#define SYS_setresgid 149
#define SYS_getresgid 150
#define SYS_setfsuid 151
#define SYS_setfsgid 152
#define SYS_getgroups 158
#define SYS_setgroups 159
#define SYS_brk 214
#define SYS_munmap 215
#define SYS_clone 220
#define SYS_execve 221
#define SYS_mmap 222
#define SYS_mprotect 226
#define SYS_wait4 260
#define SYS_prlimit64 261
#define SYS_getrandom 278
#define SYS_membarrier 283
#define SYS_rseq 293
#define SYS_sendfile 71
#define SYS_personality 92
#define SYS_syslog 116
#define SYS_sethostname 161
#define SYS_setdomainname 162
#define SYS_mremap 216
#define SYS_msync 227
#define SYS_madvise 233
#define SYS_socket 198
#define SYS_socketpair 199
#define SYS_bind 200
#define SYS_listen 201
#define SYS_accept 202
#define SYS_connect 203
#define SYS_getsockname 204
#define SYS_getpeername 205
#define SYS_sendto 206
#define SYS_recvfrom 207
#define SYS_setsockopt 208
#define SYS_getsockopt 209
#define SYS_shutdown 210
#define SYS_sendmsg 211
#define SYS_recvmsg 212
#define SYS_accept4 242
#define SYS_LINUX_MAX 512          /* table size for the Linux range */
/* x8 carries the system-call number (Linux AArch64 ABI). */
#define SYSCALL_NR_REG 8
#define SYS_ANODE_BASE 0x10000     /* Anode's private calls (anode_setns, ...) */
/* anode_setns(const char *names, size_t len): narrows the caller's
 * namespace (kernel/scheme/namespace.h) to its intersection with the scheme names
 * in names[0..len), each ended by a NUL; len 0 gives the null namespace
 * (capability mode). Answers how many names the new namespace holds (a
 * name not in the current one is dropped: narrowing never widens). EFAULT
 * for a bad buffer, EINVAL for len above 1024 (NAMESET_BUF_MAX), an empty
 * name, a name of 32 bytes or more, characters outside [a-z0-9_.-], a last
 * name without its NUL or more than 32 names; then nothing changes. It
 * holds for the whole process (every thread) and its later children. */
#define SYS_anode_setns (SYS_ANODE_BASE + 0)

/* clone flags (linux/sched.h); the low byte is the exit signal. */
#define ABI_CLONE_VM 0x00000100
#define ABI_CLONE_FS 0x00000200
#define ABI_CLONE_FILES 0x00000400
#define ABI_CLONE_SIGHAND 0x00000800
#define ABI_CLONE_VFORK 0x00004000
#define ABI_CLONE_THREAD 0x00010000
#define ABI_CLONE_SYSVSEM 0x00040000
#define ABI_CLONE_SETTLS 0x00080000
#define ABI_CLONE_PARENT_SETTID 0x00100000
#define ABI_CLONE_CHILD_CLEARTID 0x00200000
#define ABI_CLONE_DETACHED 0x00400000
#define ABI_CLONE_CHILD_SETTID 0x01000000

/* futex(2) (linux/futex.h). */
#define ABI_FUTEX_WAIT 0
#define ABI_FUTEX_WAKE 1
#define ABI_FUTEX_REQUEUE 3
#define ABI_FUTEX_CMP_REQUEUE 4
#define ABI_FUTEX_WAKE_OP 5
#define ABI_FUTEX_WAIT_BITSET 9
#define ABI_FUTEX_WAKE_BITSET 10
#define ABI_FUTEX_LOCK_PI 6
#define ABI_FUTEX_UNLOCK_PI 7
#define ABI_FUTEX_TRYLOCK_PI 8
#define ABI_FUTEX_LOCK_PI2 13
#define ABI_FUTEX_PRIVATE_FLAG 128
#define ABI_FUTEX_CLOCK_REALTIME 256
#define ABI_FUTEX_CMD_MASK (~(ABI_FUTEX_PRIVATE_FLAG | ABI_FUTEX_CLOCK_REALTIME))
#define ABI_FUTEX_BITSET_MATCH_ANY 0xffffffffu
/* Robust futex words: owner tid plus these bits. */
#define ABI_FUTEX_WAITERS 0x80000000u
#define ABI_FUTEX_OWNER_DIED 0x40000000u
#define ABI_FUTEX_TID_MASK 0x3fffffffu
/* FUTEX_WAKE_OP's val3: op:4 cmp:4 oparg:12 cmparg:12 (FUTEX_OP()). */
#define ABI_FUTEX_OP_SHIFT 28
#define ABI_FUTEX_OP_ARG_SHIFT_FLAG 8 /* oparg is a shift count: 1 << oparg */
#define ABI_FUTEX_CMP_SHIFT 24
#define ABI_FUTEX_OPARG_SHIFT 12
#define ABI_FUTEX_FIELD_MASK 0xfff
#define ABI_FUTEX_NIBBLE_MASK 0xf
enum { ABI_FUTEX_OP_SET, ABI_FUTEX_OP_ADD, ABI_FUTEX_OP_OR, ABI_FUTEX_OP_ANDN, ABI_FUTEX_OP_XOR };
enum { ABI_FUTEX_OP_CMP_EQ, ABI_FUTEX_OP_CMP_NE, ABI_FUTEX_OP_CMP_LT, ABI_FUTEX_OP_CMP_LE,
       ABI_FUTEX_OP_CMP_GT, ABI_FUTEX_OP_CMP_GE };

/* set_robust_list(2): the head user space registers. */
struct abi_robust_list_head {
	uint64_t list;            /* first entry; the head's own address ends the list */
	int64_t futex_offset;     /* from an entry to its futex word */
	uint64_t list_op_pending; /* an entry being locked or unlocked */
};

/* openat/fcntl flags (asm-generic/fcntl.h, AArch64 values). */
#define ABI_O_ACCMODE 03
#define ABI_O_RDONLY 00
#define ABI_O_WRONLY 01
#define ABI_O_RDWR 02
#define ABI_O_CREAT 0100
#define ABI_O_EXCL 0200
#define ABI_O_NOCTTY 0400
#define ABI_O_TRUNC 01000
#define ABI_O_APPEND 02000
#define ABI_O_NONBLOCK 04000
#define ABI_O_DIRECTORY 040000     /* AArch64 value */
#define ABI_O_NOFOLLOW 0100000
#define ABI_O_LARGEFILE 0400000
#define ABI_O_CLOEXEC 02000000
#define ABI_AT_FDCWD (-100)
#define ABI_AT_EMPTY_PATH 0x1000
#define ABI_AT_SYMLINK_NOFOLLOW 0x100

#define ABI_F_DUPFD 0
#define ABI_F_GETFD 1
#define ABI_F_SETFD 2
#define ABI_F_GETFL 3
#define ABI_F_SETFL 4
#define ABI_F_DUPFD_CLOEXEC 1030
#define ABI_FD_CLOEXEC 1

#define ABI_SEEK_SET 0
#define ABI_SEEK_CUR 1
#define ABI_SEEK_END 2

#define ABI_TCGETS 0x5401
#define ABI_TIOCGWINSZ 0x5413
/* The other terminal ioctls a daemon serves (asm-generic/ioctls.h). */
#define ABI_TCSETS 0x5402
#define ABI_TCSETSW 0x5403
#define ABI_TCSETSF 0x5404
#define ABI_TIOCGPGRP 0x540F
#define ABI_TIOCSPGRP 0x5410
#define ABI_TIOCOUTQ 0x5411
#define ABI_TIOCSWINSZ 0x5414
#define ABI_FIONREAD 0x541B
#define ABI_TIOCGSID 0x5429

/* File types in st_mode (Linux values). */
#define ABI_S_IFMT 0170000
#define ABI_S_IFDIR 0040000
#define ABI_S_IFCHR 0020000
#define ABI_S_IFREG 0100000
#define ABI_S_IFIFO 0010000
#define ABI_S_IXALL 0111 /* execute for owner, group, others */
#define ABI_DT_DIR 4
#define ABI_DT_REG 8
#define ABI_DT_CHR 2
#define ABI_DT_FIFO 1

/* mmap (asm-generic/mman-common.h). */
#define ABI_PROT_READ 0x1
#define ABI_PROT_WRITE 0x2
#define ABI_PROT_EXEC 0x4
#define ABI_MAP_SHARED 0x01
#define ABI_MAP_PRIVATE 0x02
#define ABI_MAP_TYPE 0x0f
#define ABI_MAP_FIXED 0x10
#define ABI_MAP_ANONYMOUS 0x20

/* clone / wait4 / signals. */
#define ABI_CSIGNAL 0xff
#define ABI_SIGCHLD 17
#define ABI_SIGKILL 9
#define ABI_SIGSEGV 11
#define ABI_SIGILL 4
#define ABI_SIGBUS 7
#define ABI_SIGTERM 15
#define ABI_SIGSTOP 19
#define ABI_SIGTRAP 5
#define ABI_SIGCONT 18
#define ABI_SIGURG 23
#define ABI_SIGWINCH 28
#define ABI_SIGHUP 1
#define ABI_SIG_MAX 64
/* wait4/waitid options (linux/wait.h). */
#define ABI_WNOHANG 0x1
#define ABI_WUNTRACED 0x2          /* = WSTOPPED for waitid */
#define ABI_WSTOPPED ABI_WUNTRACED
#define ABI_WEXITED 0x4
#define ABI_WCONTINUED 0x8
#define ABI_WNOWAIT 0x01000000
/* waitid id types. */
#define ABI_P_ALL 0
#define ABI_P_PID 1
#define ABI_P_PGID 2
/* si_code values for SIGCHLD (asm-generic/siginfo.h). */
#define ABI_CLD_EXITED 1
#define ABI_CLD_KILLED 2
#define ABI_CLD_DUMPED 3
#define ABI_CLD_STOPPED 5
#define ABI_CLD_CONTINUED 6
#define ABI_CLOCK_REALTIME 0
#define ABI_CLOCK_MONOTONIC 1
#define ABI_CLOCK_PROCESS_CPUTIME_ID 2
#define ABI_CLOCK_THREAD_CPUTIME_ID 3
#define ABI_CLOCK_MONOTONIC_RAW 4
#define ABI_CLOCK_REALTIME_COARSE 5
#define ABI_CLOCK_MONOTONIC_COARSE 6
#define ABI_CLOCK_BOOTTIME 7
#define ABI_TIMER_ABSTIME 1

/* reboot(2) magic and commands. */
#define ABI_REBOOT_MAGIC1 0xfee1dead
#define ABI_REBOOT_MAGIC2 672274793
#define ABI_REBOOT_CMD_RESTART 0x01234567
#define ABI_REBOOT_CMD_POWER_OFF 0x4321fedc
#define ABI_REBOOT_CMD_HALT 0xcdef0123

#define ABI_GRND_NONBLOCK 1
#define ABI_GRND_RANDOM 2

/* Auxiliary vector (linux/auxvec.h). */
#define ABI_AT_NULL 0
#define ABI_AT_PHDR 3
#define ABI_AT_PHENT 4
#define ABI_AT_PHNUM 5
#define ABI_AT_PAGESZ 6
#define ABI_AT_ENTRY 9
#define ABI_AT_UID 11
#define ABI_AT_EUID 12
#define ABI_AT_GID 13
#define ABI_AT_EGID 14
#define ABI_AT_HWCAP 16
#define ABI_AT_CLKTCK 17
#define ABI_AT_SECURE 23
#define ABI_AT_RANDOM 25
#define ABI_AT_EXECFN 31

struct abi_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct abi_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct abi_iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

/* struct stat as asm-generic/stat.h lays it out for AArch64. */
struct abi_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t __pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t __pad2;
	int64_t st_blocks;
	int64_t st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};

/* getdents64 record; d_name is NUL-terminated, records 8-byte aligned. */
struct abi_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

#define ABI_UTSNAME_LEN 65
struct abi_utsname {
	char sysname[ABI_UTSNAME_LEN];
	char nodename[ABI_UTSNAME_LEN];
	char release[ABI_UTSNAME_LEN];
	char version[ABI_UTSNAME_LEN];
	char machine[ABI_UTSNAME_LEN];
	char domainname[ABI_UTSNAME_LEN];
};

/* sysinfo(2) (linux/sysinfo.h, 64-bit layout); loads scaled by
 * 1 << ABI_SI_LOAD_SHIFT. */
#define ABI_SI_LOAD_SHIFT 16
struct abi_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs;
	uint16_t pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[0];
};

struct abi_rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};
#define ABI_RLIM_INFINITY (~0UL)
#define ABI_RLIMIT_STACK 3
#define ABI_RLIMIT_NOFILE 7
#define ABI_RLIM_NLIMITS 16

/* struct rusage (wait4, getrusage). */
struct abi_rusage {
	struct abi_timeval ru_utime;
	struct abi_timeval ru_stime;
	int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
		ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

/* rt_sigaction's struct on AArch64 (it has SA_RESTORER). */
struct abi_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};
#define ABI_SIG_BLOCK 0
#define ABI_SIG_UNBLOCK 1
#define ABI_SIG_SETMASK 2
#define ABI_SIGSET_SIZE 8
#define ABI_SIG_DFL 0
#define ABI_SIG_IGN 1

/* siginfo_t as waitid fills it: the SIGCHLD member of the union. */
#define ABI_SIGINFO_SIZE 128
struct abi_siginfo_chld {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad;             /* the union is 8-byte aligned */
	int32_t si_pid;
	uint32_t si_uid;
	int32_t si_status;
	int32_t __pad2;
	int64_t si_utime;
	int64_t si_stime;
	uint8_t __rest[ABI_SIGINFO_SIZE - 48];
};

/* struct tms (times(2)), in clock ticks. */
struct abi_tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};
#define ABI_USER_HZ 100            /* times() units per second, AT_CLKTCK */
#define ABI_RUSAGE_SELF 0
#define ABI_RUSAGE_CHILDREN (-1)
#define ABI_RUSAGE_THREAD 1

/* poll(2) events. */
struct abi_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
#define ABI_POLLIN 0x001
#define ABI_POLLPRI 0x002
#define ABI_POLLOUT 0x004
#define ABI_POLLNVAL 0x020
#define ABI_FD_SETSIZE 1024

/* Scheduling (linux/sched.h). */
#define ABI_SCHED_OTHER 0
#define ABI_SCHED_FIFO 1
#define ABI_SCHED_RR 2
#define ABI_SCHED_BATCH 3
#define ABI_SCHED_IDLE 5
#define ABI_SCHED_RESET_ON_FORK 0x40000000
#define ABI_SCHED_RT_PRIO_MAX 99
/* setpriority/getpriority: which, and the nice range */
#define ABI_PRIO_PROCESS 0
#define ABI_PRIO_PGRP 1
#define ABI_PRIO_USER 2
#define ABI_NICE_MIN (-20)
#define ABI_NICE_MAX 19
#define ABI_NICE_RAW_BIAS 20 /* the raw getpriority returns 20 - nice */

/* prctl options (linux/prctl.h). */
#define ABI_PR_SET_NAME 15
#define ABI_PR_GET_NAME 16
#define ABI_TASK_COMM_LEN 16

/* membarrier commands (linux/membarrier.h). */
#define ABI_MEMBARRIER_CMD_QUERY 0
#define ABI_MEMBARRIER_CMD_GLOBAL 1
#define ABI_MEMBARRIER_CMD_GLOBAL_EXPEDITED 2
#define ABI_MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED 4
#define ABI_MEMBARRIER_CMD_PRIVATE_EXPEDITED 8
#define ABI_MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED 16
#define ABI_MEMBARRIER_CMD_FLAG_CPU 1

struct abi_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#endif
