/*
 * syscall/handlers.h: every system-call handler, by file.
 */
#ifndef SYSCALL_HANDLERS_H
#define SYSCALL_HANDLERS_H

#include "syscall/syscall.h"

struct thread;
/* Calls fn(t, arg) for the caller's own thread with TID tid (0: the
 * caller) under its process's threads_lock and returns its result; -ESRCH
 * if there is none (sys_priority.c). */
long with_own_thread(int tid, long (*fn)(struct thread *t, void *arg), void *arg);

/* sys_file.c */
SYSCALL(openat); SYSCALL(close); SYSCALL(read); SYSCALL(write); SYSCALL(readv);
SYSCALL(writev); SYSCALL(pread64); SYSCALL(pwrite64); SYSCALL(lseek); SYSCALL(dup);
SYSCALL(dup3); SYSCALL(fcntl); SYSCALL(fstat); SYSCALL(newfstatat); SYSCALL(getdents64);
SYSCALL(pipe2); SYSCALL(ioctl); SYSCALL(getcwd); SYSCALL(chdir);
/* sys_proc.c */
SYSCALL(exit); SYSCALL(exit_group); SYSCALL(clone); SYSCALL(execve); SYSCALL(getpid);
SYSCALL(getppid); SYSCALL(gettid); SYSCALL(set_tid_address);
SYSCALL(sched_yield); SYSCALL(kill); SYSCALL(prlimit64);
/* sys_wait.c */
SYSCALL(wait4); SYSCALL(waitid); SYSCALL(getrusage); SYSCALL(times);
/* sys_job.c */
SYSCALL(setpgid); SYSCALL(getpgid); SYSCALL(getsid); SYSCALL(setsid);
/* sys_poll.c */
SYSCALL(ppoll); SYSCALL(pselect6);
/* sys_epoll.c */
SYSCALL(epoll_create1); SYSCALL(epoll_ctl); SYSCALL(epoll_pwait); SYSCALL(epoll_pwait2);
/* sys_mqueue.c */
SYSCALL(mq_open); SYSCALL(mq_unlink); SYSCALL(mq_timedsend); SYSCALL(mq_timedreceive);
SYSCALL(mq_notify); SYSCALL(mq_getsetattr);
/* sys_timerfd.c */
SYSCALL(timerfd_create); SYSCALL(timerfd_settime); SYSCALL(timerfd_gettime);
/* sys_sched.c */
SYSCALL(sched_getaffinity); SYSCALL(sched_setaffinity); SYSCALL(getcpu); SYSCALL(sched_get_priority_max);
SYSCALL(sched_get_priority_min); SYSCALL(sched_getscheduler); SYSCALL(sched_getparam);
SYSCALL(sched_setscheduler); SYSCALL(sched_setparam);
/* sys_priority.c */
SYSCALL(setpriority); SYSCALL(getpriority);
/* kernel/futex.c */
SYSCALL(futex); SYSCALL(set_robust_list); SYSCALL(get_robust_list);
/* sys_mem.c */
SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect);
/* sys_time.c */
SYSCALL(nanosleep); SYSCALL(clock_gettime); SYSCALL(clock_getres);
SYSCALL(clock_nanosleep); SYSCALL(gettimeofday); SYSCALL(restart_syscall);
SYSCALL(clock_settime); SYSCALL(settimeofday);
/* sys_signal.c */
SYSCALL(rt_sigaction); SYSCALL(rt_sigprocmask); SYSCALL(rt_sigpending);
SYSCALL(rt_sigsuspend); SYSCALL(sigaltstack); SYSCALL(rt_sigreturn);
/* sys_sigsend.c */
SYSCALL(tkill); SYSCALL(tgkill); SYSCALL(rt_sigqueueinfo); SYSCALL(rt_tgsigqueueinfo);
SYSCALL(rt_sigtimedwait);
/* sys_itimer.c */
SYSCALL(getitimer); SYSCALL(setitimer);
/* sys_timer.c */
SYSCALL(timer_create); SYSCALL(timer_settime); SYSCALL(timer_gettime);
SYSCALL(timer_getoverrun); SYSCALL(timer_delete);
/* Helper of sys_time.c for other time arguments: a checked timespec in ns
 * (saturating), -EFAULT or -EINVAL. */
/* sys_misc.c */
SYSCALL(getrandom); SYSCALL(reboot); SYSCALL(prctl); SYSCALL(rseq);
SYSCALL(membarrier); SYSCALL(personality);
/* sys_uts.c */
SYSCALL(uname); SYSCALL(sethostname); SYSCALL(setdomainname);
/* sys_sendfile.c */
SYSCALL(sendfile);
/* sys_socket.c */
SYSCALL(socket); SYSCALL(socket_fd_call);
/* sys_syslog.c */
SYSCALL(syslog);
/* sys_madvise.c */
SYSCALL(mremap); SYSCALL(madvise); SYSCALL(msync);

/* sys_sysinfo.c */
SYSCALL(sysinfo);
/* sys_path.c */
SYSCALL(unlinkat); SYSCALL(mkdirat); SYSCALL(mknodat); SYSCALL(symlinkat);
SYSCALL(readlinkat); SYSCALL(linkat); SYSCALL(renameat); SYSCALL(renameat2); SYSCALL(umask);
/* sys_fsattr.c */
SYSCALL(fchmod); SYSCALL(fchmodat); SYSCALL(fchown); SYSCALL(fchownat); SYSCALL(utimensat);
SYSCALL(truncate); SYSCALL(ftruncate); SYSCALL(fsync); SYSCALL(fdatasync); SYSCALL(sync);
SYSCALL(syncfs); SYSCALL(statfs); SYSCALL(fstatfs); SYSCALL(faccessat); SYSCALL(faccessat2);
SYSCALL(fchdir);

/* sys_ns.c (Anode's own, SYS_ANODE_BASE on) */
SYSCALL(anode_setns);

/* sys_cred.c */
SYSCALL(getid); SYSCALL(setid); SYSCALL(getresid); SYSCALL(getgroups); SYSCALL(setgroups);

#endif
