/*
 * syscall/syscall.c: the system-call table (Linux's numbers, syscall/abi/abi.h)
 * and dispatch. A table, not a switch: a number either has a handler or
 * answers -ENOSYS and logs one line naming it, once per (number, process),
 * so a program that retries an unknown call in a loop cannot flood the log.
 */
#include "syscall/syscall.h"
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "syscall/abi/abi_signal.h"
#include "syscall/abi/abi_mqueue.h"
#include "syscall/abi/abi_fs.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "sched/sched.h"
#include "kernel/profile.h"
#include "kernel/timer.h"

const syscall_fn syscall_table[SYS_LINUX_MAX] = {
	[SYS_getcwd] = sys_getcwd,
	[SYS_dup] = sys_dup,
	[SYS_dup3] = sys_dup3,
	[SYS_fcntl] = sys_fcntl,
	[SYS_ioctl] = sys_ioctl,
	[SYS_chdir] = sys_chdir,
	[SYS_openat] = sys_openat,
	[SYS_close] = sys_close,
	[SYS_pipe2] = sys_pipe2,
	[SYS_getdents64] = sys_getdents64,
	[SYS_lseek] = sys_lseek,
	[SYS_read] = sys_read,
	[SYS_write] = sys_write,
	[SYS_readv] = sys_readv,
	[SYS_writev] = sys_writev,
	[SYS_pread64] = sys_pread64,
	[SYS_pwrite64] = sys_pwrite64,
	[SYS_newfstatat] = sys_newfstatat,
	[SYS_fstat] = sys_fstat,
	[SYS_exit] = sys_exit,
	[SYS_exit_group] = sys_exit_group,
	[SYS_set_tid_address] = sys_set_tid_address,
	[SYS_futex] = sys_futex,
	[SYS_set_robust_list] = sys_set_robust_list,
	[SYS_get_robust_list] = sys_get_robust_list,
	[SYS_nanosleep] = sys_nanosleep,
	[SYS_clock_settime] = sys_clock_settime,
	[SYS_clock_gettime] = sys_clock_gettime,
	[SYS_clock_getres] = sys_clock_getres,
	[SYS_clock_nanosleep] = sys_clock_nanosleep,
	[SYS_restart_syscall] = sys_restart_syscall,
	[SYS_sched_yield] = sys_sched_yield,
	[SYS_kill] = sys_kill,
	[SYS_rt_sigaction] = sys_rt_sigaction,
	[SYS_rt_sigprocmask] = sys_rt_sigprocmask,
	[SYS_rt_sigpending] = sys_rt_sigpending,
	[SYS_rt_sigsuspend] = sys_rt_sigsuspend,
	[SYS_rt_sigtimedwait] = sys_rt_sigtimedwait,
	[SYS_rt_sigqueueinfo] = sys_rt_sigqueueinfo,
	[SYS_rt_tgsigqueueinfo] = sys_rt_tgsigqueueinfo,
	[SYS_sigaltstack] = sys_sigaltstack,
	[SYS_tkill] = sys_tkill,
	[SYS_tgkill] = sys_tgkill,
	[SYS_getitimer] = sys_getitimer,
	[SYS_setitimer] = sys_setitimer,
	[SYS_timer_create] = sys_timer_create,
	[SYS_timer_settime] = sys_timer_settime,
	[SYS_timer_gettime] = sys_timer_gettime,
	[SYS_timer_getoverrun] = sys_timer_getoverrun,
	[SYS_timer_delete] = sys_timer_delete,
	[SYS_reboot] = sys_reboot,
	[SYS_uname] = sys_uname,
	[SYS_gettimeofday] = sys_gettimeofday,
	[SYS_settimeofday] = sys_settimeofday,
	[SYS_getpid] = sys_getpid,
	[SYS_getppid] = sys_getppid,
	[SYS_getuid] = sys_getid,
	[SYS_geteuid] = sys_getid,
	[SYS_getgid] = sys_getid,
	[SYS_getegid] = sys_getid,
	[SYS_setuid] = sys_setid,
	[SYS_setgid] = sys_setid,
	[SYS_setreuid] = sys_setid,
	[SYS_setregid] = sys_setid,
	[SYS_setresuid] = sys_setid,
	[SYS_setresgid] = sys_setid,
	[SYS_setfsuid] = sys_setid,
	[SYS_setfsgid] = sys_setid,
	[SYS_getresuid] = sys_getresid,
	[SYS_getresgid] = sys_getresid,
	[SYS_getgroups] = sys_getgroups,
	[SYS_setgroups] = sys_setgroups,
	[SYS_gettid] = sys_gettid,
	[SYS_brk] = sys_brk,
	[SYS_munmap] = sys_munmap,
	[SYS_mmap] = sys_mmap,
	[SYS_mprotect] = sys_mprotect,
	[SYS_wait4] = sys_wait4,
	[SYS_prlimit64] = sys_prlimit64,
	[SYS_getrandom] = sys_getrandom,
	/* Job control, waiting, usage (issue 8). */
	[SYS_waitid] = sys_waitid,
	[SYS_getrusage] = sys_getrusage,
	[SYS_times] = sys_times,
	[SYS_setpgid] = sys_setpgid,
	[SYS_getpgid] = sys_getpgid,
	[SYS_getsid] = sys_getsid,
	[SYS_setsid] = sys_setsid,
	[SYS_ppoll] = sys_ppoll,
	[SYS_pselect6] = sys_pselect6,
	[SYS_epoll_create1] = sys_epoll_create1,
	[SYS_epoll_ctl] = sys_epoll_ctl,
	[SYS_epoll_pwait] = sys_epoll_pwait,
	[SYS_epoll_pwait2] = sys_epoll_pwait2,
	[SYS_timerfd_create] = sys_timerfd_create,
	[SYS_timerfd_settime] = sys_timerfd_settime,
	[SYS_timerfd_gettime] = sys_timerfd_gettime,
	[SYS_sched_getaffinity] = sys_sched_getaffinity,
	[SYS_sched_setaffinity] = sys_sched_setaffinity,
	[SYS_sched_get_priority_max] = sys_sched_get_priority_max,
	[SYS_sched_get_priority_min] = sys_sched_get_priority_min,
	[SYS_sched_getscheduler] = sys_sched_getscheduler,
	[SYS_sched_getparam] = sys_sched_getparam,
	[SYS_sched_setscheduler] = sys_sched_setscheduler,
	[SYS_sched_setparam] = sys_sched_setparam,
	[SYS_setpriority] = sys_setpriority,
	[SYS_getpriority] = sys_getpriority,
	[SYS_prctl] = sys_prctl,
	[SYS_rseq] = sys_rseq,
	[SYS_membarrier] = sys_membarrier,
	[SYS_personality] = sys_personality,
	[SYS_sethostname] = sys_sethostname,
	[SYS_setdomainname] = sys_setdomainname,
	[SYS_sendfile] = sys_sendfile,
	[SYS_syslog] = sys_syslog,
	[SYS_mremap] = sys_mremap,
	[SYS_madvise] = sys_madvise,
	[SYS_msync] = sys_msync,
	[SYS_socket] = sys_socket,
	[SYS_socketpair] = sys_socket,
	[SYS_bind] = sys_socket_fd_call,
	[SYS_listen] = sys_socket_fd_call,
	[SYS_accept] = sys_socket_fd_call,
	[SYS_accept4] = sys_socket_fd_call,
	[SYS_connect] = sys_socket_fd_call,
	[SYS_getsockname] = sys_socket_fd_call,
	[SYS_getpeername] = sys_socket_fd_call,
	[SYS_sendto] = sys_socket_fd_call,
	[SYS_recvfrom] = sys_socket_fd_call,
	[SYS_setsockopt] = sys_socket_fd_call,
	[SYS_getsockopt] = sys_socket_fd_call,
	[SYS_shutdown] = sys_socket_fd_call,
	[SYS_sendmsg] = sys_socket_fd_call,
	[SYS_recvmsg] = sys_socket_fd_call,
	[SYS_sysinfo] = sys_sysinfo,
	[SYS_mq_open] = sys_mq_open,
	[SYS_mq_unlink] = sys_mq_unlink,
	[SYS_mq_timedsend] = sys_mq_timedsend,
	[SYS_mq_timedreceive] = sys_mq_timedreceive,
	[SYS_mq_notify] = sys_mq_notify,
	[SYS_mq_getsetattr] = sys_mq_getsetattr,
	/* File systems: names, links, attributes (issue 11, syscall/abi/abi_fs.h). */
	[SYS_unlinkat] = sys_unlinkat,
	[SYS_mkdirat] = sys_mkdirat,
	[SYS_mknodat] = sys_mknodat,
	[SYS_symlinkat] = sys_symlinkat,
	[SYS_readlinkat] = sys_readlinkat,
	[SYS_linkat] = sys_linkat,
	[SYS_renameat] = sys_renameat,
	[SYS_renameat2] = sys_renameat2,
	[SYS_umask] = sys_umask,
	[SYS_fchmod] = sys_fchmod,
	[SYS_fchmodat] = sys_fchmodat,
	[SYS_fchown] = sys_fchown,
	[SYS_fchownat] = sys_fchownat,
	[SYS_utimensat] = sys_utimensat,
	[SYS_truncate] = sys_truncate,
	[SYS_ftruncate] = sys_ftruncate,
	[SYS_fsync] = sys_fsync,
	[SYS_fdatasync] = sys_fdatasync,
	[SYS_sync] = sys_sync,
	[SYS_syncfs] = sys_syncfs,
	[SYS_statfs] = sys_statfs,
	[SYS_fstatfs] = sys_fstatfs,
	[SYS_faccessat] = sys_faccessat,
	[SYS_faccessat2] = sys_faccessat2,
	[SYS_fchdir] = sys_fchdir,
	[SYS_getcpu] = sys_getcpu,
};

/* The calls that read or rewrite the whole frame (syscall/syscall.h): not
 * in syscall_table, so the fast path (syscall_fast_fn) never runs them on
 * a partial frame; syscall_dispatch_slow finds them here. */
static const syscall_fn whole_frame_table[SYS_LINUX_MAX] = {
	[SYS_rt_sigreturn] = sys_rt_sigreturn,
	[SYS_clone] = sys_clone,
	[SYS_execve] = sys_execve,
};

/* Anode's own calls, numbered from SYS_ANODE_BASE (syscall/abi/abi.h). */
#define SYS_ANODE_TABLE 16
static const syscall_fn anode_table[SYS_ANODE_TABLE] = {
	[SYS_anode_setns - SYS_ANODE_BASE] = sys_anode_setns,
};

/* The (number, pid) pairs already logged. Bounded: once full, the oldest
 * entry makes room, so a pair may be logged again only after ENOSYS_SEEN
 * newer pairs. A pid reused by a later process inherits its entries: that
 * process's first unknown call may then go unlogged. */
#define ENOSYS_SEEN 64

struct enosys_seen {
	uint64_t nr;
	int pid;         /* 0: empty (no process has pid 0) */
};

/* However many processes call unknown numbers, at most ENOSYS_BURST lines
 * are logged per ENOSYS_INTERVAL_NS (Linux's printk_ratelimit defaults);
 * the others are counted, and the count logged before the next line that
 * is. Without it an unprivileged program that forks and calls every unknown
 * number floods the console and pushes the rest out of the log (found by
 * /bin/fuzz: hundreds of lines per worker process). */
#define ENOSYS_BURST 10
#define ENOSYS_INTERVAL_NS (5 * NSEC_PER_SEC)

static spinlock_t enosys_lock = SPINLOCK_INIT("enosys");
/* Guarded by enosys_lock: */
static struct enosys_seen enosys_seen[ENOSYS_SEEN];
static unsigned int enosys_next; /* the entry to replace next */
static uint64_t enosys_window_ns; /* when the current interval began */
static unsigned int enosys_lines, enosys_suppressed; /* in it; since the last line */

/* Whether (nr, pid) is new and may be logged now; remembers it. *skipped:
 * how many lines were suppressed before this one. */
static bool enosys_first(uint64_t nr, int pid, unsigned int *skipped)
{
	uint64_t flags = spin_lock_irqsave(&enosys_lock), now = timer_now_ns();
	bool first = true;

	for (unsigned int i = 0; i < ENOSYS_SEEN && first; i++)
		if (enosys_seen[i].pid == pid && enosys_seen[i].nr == nr)
			first = false;
	if (first) {
		enosys_seen[enosys_next] = (struct enosys_seen){ .nr = nr, .pid = pid };
		enosys_next = (enosys_next + 1) % ENOSYS_SEEN;
		if (now - enosys_window_ns >= ENOSYS_INTERVAL_NS) {
			enosys_window_ns = now;
			enosys_lines = 0;
		}
		if (enosys_lines < ENOSYS_BURST) {
			enosys_lines++;
			*skipped = enosys_suppressed;
			enosys_suppressed = 0;
		} else {
			enosys_suppressed++;
			first = false;
		}
	}
	spin_unlock_irqrestore(&enosys_lock, flags);
	return first;
}

/* A number with no handler: -ENOSYS, logged (rarely: out of line). */
static __attribute__((noinline)) long syscall_unknown(uint64_t nr)
{
	struct proc *p = current_proc();
	unsigned int skipped = 0;

	if (enosys_first(nr, p->pid, &skipped)) {
		if (skipped)
			printk("syscall: %u unknown-number lines suppressed\n", skipped);
		printk("syscall: unknown number %lu from pid %d (%s): -ENOSYS\n", nr, p->pid, p->name);
	}
	return -ENOSYS;
}

const syscall_fn *syscall_fast_table = syscall_table;

/* syscall_fast_table while profiling: sys_profiled where syscall_table has
 * a handler. Written once at boot (syscall_profile_start). */
static syscall_fn profiled_table[SYS_LINUX_MAX];

/* Counts the call for the profiler, then runs syscall_table's handler. */
static long sys_profiled(struct trap_frame *tf)
{
	uint64_t nr = tf->x[SYSCALL_NR_REG];

	profile_syscall(nr);
	return syscall_table[nr](tf);
}

void syscall_profile_start(void)
{
	for (unsigned nr = 0; nr < SYS_LINUX_MAX; nr++)
		profiled_table[nr] = syscall_table[nr] ? sys_profiled : NULL;
	syscall_fast_table = profiled_table;
}

/* What syscall_dispatch does not do inline: the whole-frame calls,
 * Anode's numbers and unknown ones, each counted for the profiler. */
long syscall_dispatch_slow(struct trap_frame *tf)
{
	uint64_t nr = tf->x[SYSCALL_NR_REG];
	syscall_fn fn = nr < SYS_LINUX_MAX ? (syscall_table[nr] ? syscall_table[nr] : whole_frame_table[nr])
		      : nr - SYS_ANODE_BASE < SYS_ANODE_TABLE ? anode_table[nr - SYS_ANODE_BASE]
							      : NULL;

	if (profile_enabled)
		profile_syscall(nr);
	return fn ? fn(tf) : syscall_unknown(nr);
}
