/*
 * user/fuzz/calls.c: which system call the fuzzer makes next, the kinds of
 * its arguments, the few calls it steers away from, and the raw `svc`.
 *
 * A call is any number 0..FUZZ_NR_MAX (most answer ENOSYS), or, far more
 * often, one Anode implements (the table below: syscall/syscall.c's, with
 * each argument's kind, so that a read gets a descriptor, a buffer and a
 * length rather than three random words). Even then some calls get wholly
 * random arguments.
 *
 * Steered away from, because they would end the run by design rather than
 * find a bug: signals to anyone but the worker itself (kill of -1 would
 * reach every process of the user, the supervisor included; of the parent
 * or another worker, a SIGSTOP or SIGKILL there is not the kernel's
 * fault), the same for calls that change another process (prlimit64,
 * setpriority, sched_set*), execve with usable arguments (the worker would
 * become another program: its path is random, its argv always a pointer
 * no read can follow, which Linux checks before the point of no return),
 * and
 * mq_open of random names (queues outlive the workers; the supervisor
 * unlinks the names it knows). Calls that end the worker (exit,
 * exit_group, rt_sigreturn of a random frame) are made, but rarely: the
 * supervisor starts a worker again, and each restart tests tearing down a
 * process in a random state, but one every few calls would be all the
 * fuzzer did. reboot stays in: the workers are not root, so it must fail.
 */
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_NR_MAX 500
#define IMPLEMENTED_IN 8        /* 7 calls in 8 are implemented ones */
#define RANDOM_ARGS_IN 8        /* of those, 1 in 8 gets random arguments */
#define ENDING_CALL_IN 32       /* a call that ends the worker: made 1 in 32 */
#define BOGUS_PIDS 4

struct call {
	int nr;
	const char *kinds; /* one letter per argument, args.c's arg_kind */
};

/* Argument kinds: f descriptor, d directory descriptor or AT_FDCWD, p path,
 * q message-queue name, b buffer, l length, o offset, i integer or flags,
 * u uid/gid, n pid, g signal, t time structure, v iovec array, a address,
 * x anything. */
static const struct call calls[] = {
	{ SYS_read, "fbl" }, { SYS_write, "fbl" }, { SYS_readv, "fvi" }, { SYS_writev, "fvi" },
	{ SYS_pread64, "fblo" }, { SYS_pwrite64, "fblo" }, { SYS_openat, "dpii" },
	{ SYS_close, "f" }, { SYS_lseek, "foi" }, { SYS_dup, "f" }, { SYS_dup3, "ffi" },
	{ SYS_fcntl, "fix" }, { SYS_ioctl, "fix" }, { SYS_getdents64, "fbl" }, { SYS_pipe2, "bi" },
	{ SYS_fstat, "fb" }, { SYS_newfstatat, "dpbi" }, { SYS_getcwd, "bl" }, { SYS_chdir, "p" },
	{ SYS_fchdir, "f" }, { SYS_ppoll, "bltbl" }, { SYS_pselect6, "ibbbtb" },
	{ SYS_epoll_create1, "i" }, { SYS_epoll_ctl, "fifb" }, { SYS_epoll_pwait, "fbliil" },
	{ SYS_epoll_pwait2, "fbltbl" }, { SYS_timerfd_create, "ii" }, { SYS_timerfd_settime, "fitb" },
	{ SYS_timerfd_gettime, "fb" }, { SYS_exit, "i" }, { SYS_exit_group, "i" },
	{ SYS_waitid, "inbib" }, { SYS_set_tid_address, "b" }, { SYS_futex, "biitbi" },
	{ SYS_set_robust_list, "bl" }, { SYS_get_robust_list, "nbb" }, { SYS_nanosleep, "tb" },
	{ SYS_clock_settime, "it" }, { SYS_clock_gettime, "ib" }, { SYS_clock_getres, "ib" },
	{ SYS_clock_nanosleep, "iitb" }, { SYS_sched_setparam, "nb" },
	{ SYS_sched_setscheduler, "nib" }, { SYS_sched_getscheduler, "n" },
	{ SYS_sched_getparam, "nb" }, { SYS_sched_setaffinity, "nlb" },
	{ SYS_sched_getaffinity, "nlb" }, { SYS_sched_yield, "" },
	{ SYS_sched_get_priority_max, "i" }, { SYS_sched_get_priority_min, "i" },
	{ SYS_getcpu, "bbb" }, { SYS_kill, "ng" }, { SYS_tkill, "ng" }, { SYS_tgkill, "nng" },
	{ SYS_rt_sigaction, "gbbl" }, { SYS_rt_sigprocmask, "ibbl" }, { SYS_rt_sigpending, "bl" },
	{ SYS_rt_sigsuspend, "bl" }, { SYS_rt_sigtimedwait, "bbtl" },
	{ SYS_rt_sigqueueinfo, "ngb" }, { SYS_rt_tgsigqueueinfo, "nngb" }, { SYS_rt_sigreturn, "" },
	{ SYS_sigaltstack, "bb" }, { SYS_setpriority, "iin" }, { SYS_getpriority, "in" },
	{ SYS_reboot, "iiib" }, { SYS_times, "b" }, { SYS_setpgid, "nn" }, { SYS_getpgid, "n" },
	{ SYS_getsid, "n" }, { SYS_setsid, "" }, { SYS_uname, "b" }, { SYS_getrusage, "ib" },
	{ SYS_prctl, "ixxxx" }, { SYS_gettimeofday, "bb" }, { SYS_settimeofday, "bb" },
	{ SYS_getpid, "" }, { SYS_getppid, "" }, { SYS_getuid, "" }, { SYS_geteuid, "" },
	{ SYS_getgid, "" }, { SYS_getegid, "" }, { SYS_gettid, "" }, { SYS_sysinfo, "b" },
	{ SYS_setregid, "uu" }, { SYS_setgid, "u" }, { SYS_setreuid, "uu" }, { SYS_setuid, "u" },
	{ SYS_setresuid, "uuu" }, { SYS_getresuid, "bbb" }, { SYS_setresgid, "uuu" },
	{ SYS_getresgid, "bbb" }, { SYS_setfsuid, "u" }, { SYS_setfsgid, "u" },
	{ SYS_getgroups, "lb" }, { SYS_setgroups, "lb" }, { SYS_brk, "a" }, { SYS_munmap, "al" },
	{ SYS_clone, "ibbbb" }, { SYS_execve, "pbb" }, { SYS_mmap, "aliifo" },
	{ SYS_mprotect, "ali" }, { SYS_wait4, "nbib" }, { SYS_prlimit64, "nibb" },
	{ SYS_getrandom, "bli" }, { SYS_membarrier, "iii" }, { SYS_rseq, "blii" },
	{ SYS_sendfile, "ffbl" }, { SYS_personality, "i" }, { SYS_syslog, "ibl" },
	{ SYS_sethostname, "bl" }, { SYS_setdomainname, "bl" }, { SYS_mremap, "allia" },
	{ SYS_msync, "ali" }, { SYS_madvise, "ali" }, { SYS_socket, "iii" },
	{ SYS_socketpair, "iiib" }, { SYS_bind, "fbl" }, { SYS_listen, "fi" },
	{ SYS_accept, "fbb" }, { SYS_connect, "fbl" }, { SYS_getsockname, "fbb" },
	{ SYS_getpeername, "fbb" }, { SYS_sendto, "fblibl" }, { SYS_recvfrom, "fblibb" },
	{ SYS_setsockopt, "fiibl" }, { SYS_getsockopt, "fiibb" }, { SYS_shutdown, "fi" },
	{ SYS_sendmsg, "fbi" }, { SYS_recvmsg, "fbi" }, { SYS_accept4, "fbbi" },
	{ SYS_faccessat, "dpi" }, { SYS_faccessat2, "dpii" }, { SYS_fchmod, "fi" },
	{ SYS_fchmodat, "dpii" }, { SYS_fchown, "fuu" }, { SYS_fchownat, "dpuui" },
	{ SYS_fdatasync, "f" }, { SYS_fstatfs, "fb" }, { SYS_statfs, "pb" }, { SYS_fsync, "f" },
	{ SYS_ftruncate, "fo" }, { SYS_truncate, "po" }, { SYS_getitimer, "ib" },
	{ SYS_setitimer, "itb" }, { SYS_linkat, "dpdpi" }, { SYS_mkdirat, "dpi" },
	{ SYS_mknodat, "dpii" }, { SYS_mq_getsetattr, "fbb" }, { SYS_mq_notify, "fb" },
	{ SYS_mq_open, "qiib" }, { SYS_mq_timedreceive, "fblbt" }, { SYS_mq_timedsend, "fblit" },
	{ SYS_mq_unlink, "q" }, { SYS_readlinkat, "dpbl" }, { SYS_renameat, "dpdp" },
	{ SYS_renameat2, "dpdpi" }, { SYS_restart_syscall, "" }, { SYS_symlinkat, "pdp" },
	{ SYS_sync, "" }, { SYS_syncfs, "f" }, { SYS_timer_create, "ibb" },
	{ SYS_timer_delete, "i" }, { SYS_timer_getoverrun, "i" }, { SYS_timer_gettime, "ib" },
	{ SYS_timer_settime, "iitb" }, { SYS_umask, "i" }, { SYS_unlinkat, "dpi" },
	{ SYS_utimensat, "dpbi" },
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static int ends_worker(long nr)
{
	return nr == SYS_exit || nr == SYS_exit_group || nr == SYS_rt_sigreturn;
}

/* A pid a worker may act on: itself, its own group (0), or none. */
static long own_pid(uint64_t *rng)
{
	static const long bogus[BOGUS_PIDS] = { 0x7fffffff, -0x7fffffff, 99999, -99999 };

	switch (rng_below(rng, 3)) {
	case 0:
		return getpid();
	case 1:
		return 0;
	default:
		return bogus[rng_below(rng, BOGUS_PIDS)];
	}
}

/* A thread to signal: the caller itself, the worker's main thread, or none. */
static long own_tid(uint64_t *rng)
{
	long pid = own_pid(rng);

	return pid == 0 ? (long)syscall(SYS_gettid) : pid;
}

static void steer(uint64_t *rng, long nr, long a[6])
{
	switch (nr) {
	case SYS_kill:
	case SYS_rt_sigqueueinfo:
	case SYS_prlimit64:
	case SYS_sched_setaffinity:
	case SYS_sched_setscheduler:
	case SYS_sched_setparam:
		a[0] = own_pid(rng);
		break;
	case SYS_tkill:
		a[0] = own_tid(rng);
		break;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		a[0] = own_pid(rng);
		a[1] = own_tid(rng);
		break;
	case SYS_setpriority:
		a[1] = own_pid(rng);
		break;
	case SYS_execve:
		/* Never NULL or a readable pointer (the read-only page is zeroes):
		 * both are an empty argv to Linux, and the exec would happen. A
		 * worker that became /bin/fuzz started workers of its own, which
		 * outlived it and the run (found on a 30,000-call run). */
		a[1] = arg_unreadable_pointer(rng);
		break;
	case SYS_mq_open:
		a[0] = arg_kind(rng, 'q');
		break;
	}
}

void calls_pick(uint64_t *rng, long *nr, long a[6])
{
	for (;;) {
		const char *kinds = "xxxxxx";

		if (rng_below(rng, IMPLEMENTED_IN) != 0) {
			const struct call *c = &calls[rng_below(rng, NCALLS)];

			*nr = c->nr;
			if (rng_below(rng, RANDOM_ARGS_IN) != 0)
				kinds = c->kinds;
		} else {
			*nr = (long)rng_below(rng, FUZZ_NR_MAX + 1);
		}
		if (ends_worker(*nr) && rng_below(rng, ENDING_CALL_IN) != 0)
			continue;
		for (int i = 0; i < 6; i++)
			a[i] = kinds[0] ? arg_kind(rng, *kinds++) : arg_any(rng);
		steer(rng, *nr, a);
		return;
	}
}

/*
 * The call itself. A clone that made a child (it returns 0 there) ends the
 * child at once with exit, without touching the stack: the child may share
 * the parent's memory and stack (CLONE_VM) or have a random stack pointer,
 * and a fuzzer that multiplied itself would measure nothing. x8 keeps the
 * number across the call on Linux's ABI; it is reloaded anyway.
 */
long calls_raw(long nr, const long a[6])
{
	register long x0 __asm__("x0") = a[0];
	register long x1 __asm__("x1") = a[1];
	register long x2 __asm__("x2") = a[2];
	register long x3 __asm__("x3") = a[3];
	register long x4 __asm__("x4") = a[4];
	register long x5 __asm__("x5") = a[5];
	register long x8 __asm__("x8") = nr;

	if (nr == SYS_clone || nr == SYS_clone3) {
		__asm__ volatile("svc #0\n\t"
				 "cbnz x0, 1f\n\t"
				 "mov x8, %[exit]\n\t"
				 "svc #0\n"
				 "1:"
				 : "+r"(x0), "+r"(x8)
				 : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), [exit] "i"(SYS_exit)
				 : "memory", "cc");
		return x0;
	}
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x8)
			 : "memory");
	return x0;
}
