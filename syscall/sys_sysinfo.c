/*
 * syscall/sys_sysinfo.c: sysinfo(2), what busybox's free and uptime read:
 * memory in bytes (mem_unit 1), the uptime in seconds (rounded up, as
 * Linux does), the load averages (sched/cpustat.h) and the number of
 * threads. Anode has no swap and no high memory; sharedram and bufferram
 * are 0 (no page cache).
 */
#include "syscall/handlers.h"
#include "sched/sched.h"
#include "sched/cpustat.h"
#include "kernel/timer.h"
#include "kernel/lib/errno.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "arch/aarch64/uaccess.h"
#include <string.h>

#define SYSINFO_SIZE 112 /* Linux's struct sysinfo on a 64-bit machine */
_Static_assert(sizeof(struct abi_sysinfo) == SYSINFO_SIZE, "struct sysinfo layout");

#define SYSINFO_PROCS_MAX 0xffff /* procs is 16 bits */

SYSCALL(sysinfo)
{
	struct abi_sysinfo si;
	struct frame_stats fs;
	struct sched_counts n;
	unsigned long avg[3];
	uint64_t now = timer_now_ns();

	memset(&si, 0, sizeof(si));
	frame_get_stats(&fs);
	sched_count(&n);
	loadavg_get(avg);
	si.uptime = (int64_t)((now + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
	for (int i = 0; i < 3; i++)
		si.loads[i] = avg[i] << (ABI_SI_LOAD_SHIFT - LOADAVG_FSHIFT);
	si.totalram = fs.total_pages * PAGE_SIZE;
	si.freeram = fs.free_pages * PAGE_SIZE;
	si.procs = (uint16_t)MIN(n.threads, (unsigned long)SYSINFO_PROCS_MAX);
	si.mem_unit = 1;
	return copy_to_user(ARG(0), &si, sizeof(si)) ? -EFAULT : 0;
}
