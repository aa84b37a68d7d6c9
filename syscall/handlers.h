/*
 * syscall/handlers.h: every system-call handler, by file.
 */
#ifndef SYSCALL_HANDLERS_H
#define SYSCALL_HANDLERS_H

#include "syscall/syscall.h"

/* sys_file.c */
SYSCALL(openat); SYSCALL(close); SYSCALL(read); SYSCALL(write); SYSCALL(readv);
SYSCALL(writev); SYSCALL(pread64); SYSCALL(pwrite64); SYSCALL(lseek); SYSCALL(dup);
SYSCALL(dup3); SYSCALL(fcntl); SYSCALL(fstat); SYSCALL(newfstatat); SYSCALL(getdents64);
SYSCALL(pipe2); SYSCALL(ioctl); SYSCALL(getcwd); SYSCALL(chdir);
/* sys_proc.c */
SYSCALL(exit); SYSCALL(exit_group); SYSCALL(clone); SYSCALL(execve); SYSCALL(wait4); SYSCALL(getpid);
SYSCALL(getppid); SYSCALL(gettid); SYSCALL(getid); SYSCALL(set_tid_address);
SYSCALL(sched_yield); SYSCALL(kill); SYSCALL(prlimit64);
/* kernel/futex.c */
SYSCALL(futex); SYSCALL(set_robust_list); SYSCALL(get_robust_list);
/* sys_mem.c */
SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect);
/* sys_time.c */
SYSCALL(nanosleep); SYSCALL(clock_gettime); SYSCALL(clock_getres);
SYSCALL(clock_nanosleep); SYSCALL(gettimeofday);
/* sys_signal.c */
SYSCALL(rt_sigaction); SYSCALL(rt_sigprocmask);
/* sys_misc.c */
SYSCALL(uname); SYSCALL(getrandom); SYSCALL(reboot);

#endif
