/*
 * user/cpu_settle.h: runs the caller once on every CPU, for the programs
 * that compare memory figures (t_smpfork, fuzz). A dead thread's kernel
 * stack is freed by the next thread that runs on its CPU (sched/switch.c),
 * and a parent's wait can return while its child's last thread is still
 * on its way off another CPU; once the caller has run on each CPU, every
 * such switch is over and its memory is back. Needs _GNU_SOURCE (cpu_set_t).
 */
#ifndef USER_CPU_SETTLE_H
#define USER_CPU_SETTLE_H

#include <sched.h>
#include <unistd.h>

static void cpu_settle(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t all, one;

	if (sched_getaffinity(0, sizeof(all), &all) != 0)
		return;
	for (long cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) == 0)
			sched_yield();
	}
	sched_setaffinity(0, sizeof(all), &all);
}

#endif
