/*
 * kernel/scheme/proc_pid_text.c: /proc/PID/stat and /proc/PID/status in
 * Linux 6.1's formats (fs/proc/array.c: do_task_stat, proc_pid_status),
 * from a snapshot (procfs.h). What Anode does not keep shows as Linux
 * shows it for a process without it: no controlling terminal (tty_nr 0,
 * tpgid -1), no page-fault counts, no capabilities beyond root's, one
 * memory node. Times are in USER_HZ ticks; stime is what the tick found
 * running in the kernel (the time of exited threads counts as utime).
 */
#include "kernel/scheme/procfs.h"
#include "kernel/cred.h"
#include "kernel/scheme/fdtable.h"
#include "mm/uvm.h"
#include "mm/layout.h"

#define STAT_NO_TTY_PGRP (-1)
#define STAT_EXIT_SIGNAL 17           /* SIGCHLD: what a parent is sent */
#define STAT_RLIM_INFINITY (~0UL)     /* rsslim */
#define STAT_PRIO_NICE_0 20           /* task_prio() of nice 0 */
#define STATUS_UMASK 0022
#define STATUS_SIGQ_MAX 7767          /* RLIMIT_SIGPENDING of a 1 GiB machine */
#define STATUS_CAP_ALL 0x000001ffffffffffUL /* CAP_LAST_CAP 40 */
#define SIG_STAT_MASK 0x7fffffffUL    /* stat shows the first 31 signals */

static uint64_t ticks(uint64_t ns)
{
	return ns / PROCFS_NS_PER_TICK;
}

void procfs_gen_stat(struct ptext *t, const struct proc_snap *s)
{
	bool zombie = s->state == 'Z';

	ptext_printf(t, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %ld %ld %ld %ld %d 0 %lu",
		     s->tid, s->name, s->state, s->ppid, s->pgid, s->sid, 0, STAT_NO_TTY_PGRP,
		     0U, 0UL, 0UL, 0UL, 0UL, ticks(s->utime_ns), ticks(s->stime_ns),
		     (long)ticks(s->cutime_ns), 0L, (long)(STAT_PRIO_NICE_0 + s->nice),
		     (long)s->nice, s->nthreads, ticks(s->start_ns));
	ptext_printf(t, " %lu %lu %lu 0 0 0 0 0", s->vsize, s->rss_pages,
		     zombie ? 0 : STAT_RLIM_INFINITY);
	/* Then processor to exit_code (fields 39-52): 0 (CPU 0, no real-time
	 * policy, no accounting, memory layout and exit code not shown). */
	ptext_printf(t, " %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		     s->sig_pending & SIG_STAT_MASK, s->sig_blocked & SIG_STAT_MASK,
		     s->sig_ignored & SIG_STAT_MASK, s->sig_caught & SIG_STAT_MASK,
		     STAT_EXIT_SIGNAL);
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "S (sleeping)";
	}
}

static void status_kb(struct ptext *t, const char *name, uint64_t bytes)
{
	ptext_printf(t, "%s:\t%8lu kB\n", name, bytes / KiB);
}

void procfs_gen_status(struct ptext *t, const struct proc_snap *s)
{
	unsigned long caps = s->uid == CRED_ROOT_ID ? STATUS_CAP_ALL : 0;

	ptext_printf(t, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", s->name, STATUS_UMASK,
		     state_name(s->state));
	ptext_printf(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s->pid,
		     s->tid, s->ppid);
	ptext_printf(t, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", s->uid, s->uid, s->uid,
		     s->uid, s->gid, s->gid, s->gid, s->gid);
	ptext_printf(t, "FDSize:\t%d\nGroups:\t \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		     FD_MAX, s->pid, s->tid, s->pgid, s->sid);
	if (s->state != 'Z') {
		static const char *const zero_kb[] = { "VmLck", "VmPin" };

		status_kb(t, "VmPeak", s->vsize);
		status_kb(t, "VmSize", s->vsize);
		for (size_t i = 0; i < ARRAY_SIZE(zero_kb); i++)
			status_kb(t, zero_kb[i], 0);
		status_kb(t, "VmHWM", s->rss_pages * PAGE_SIZE);
		status_kb(t, "VmRSS", s->rss_pages * PAGE_SIZE);
		status_kb(t, "RssAnon", s->rss_pages * PAGE_SIZE);
		status_kb(t, "RssFile", 0);
		status_kb(t, "RssShmem", 0);
		status_kb(t, "VmData", s->vsize);
		status_kb(t, "VmStk", USER_STACK_SIZE);
		status_kb(t, "VmExe", 0);
		status_kb(t, "VmLib", 0);
		status_kb(t, "VmPTE", 0);
		status_kb(t, "VmSwap", 0);
		status_kb(t, "HugetlbPages", 0);
	}
	ptext_printf(t, "CoreDumping:\t0\nTHP_enabled:\t0\nThreads:\t%d\nSigQ:\t0/%d\n", s->nthreads,
		     STATUS_SIGQ_MAX);
	ptext_printf(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		     s->sig_pending, s->sig_shared, s->sig_blocked, s->sig_ignored, s->sig_caught);
	ptext_printf(t, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\nCapAmb:\t%016lx\n",
		     0UL, caps, caps, STATUS_CAP_ALL, 0UL);
	ptext_printf(t, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
		     "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n"
		     "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}
