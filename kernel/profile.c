/*
 * kernel/profile.c: the sampling profiler (see profile.h). One timer event
 * samples the context its interrupt came from (the CPU's irq_tf): with one
 * CPU that is every sample; with several, the CPU that takes the event is
 * the one sampled. Samples go into a ring of PROFILE_RING_BYTES taken from
 * the frame allocator at boot (not the kernel's bss, which every boot
 * would zero), and stop when it is full (the dump says how many were
 * dropped). The host side is tools/profile.py.
 */
#include "kernel/profile.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/timer.h"
#include "kernel/lib/libc/stdlib.h"
#include "kernel/lib/libc/string.h"
#include "mm/frame.h"
#include "mm/kmap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "syscall/abi/abi.h"
#include <asm/sysreg.h>
#include <asm/trap.h>

/* The ring: 2^9 pages, 2 MiB, 64 Ki samples (6.5 s of guest time at
 * 10 kHz, tools/profile.py's default). */
#define PROFILE_RING_ORDER 9
#define PROFILE_RING_BYTES (MM_PAGE_SIZE << PROFILE_RING_ORDER)
/* SPSR_ELx.M[3:2] (C5.2.18): the exception level the interrupt came from. */
#define SPSR_EL_SHIFT 2
#define SPSR_EL_MASK 3
/* Calls numbered at or above SYS_LINUX_MAX (Anode's own) share the last
 * counter: the dump shows it as number SYS_LINUX_MAX. */
#define PROFILE_SYSCALL_SLOTS (SYS_LINUX_MAX + 1)

struct profile_sample {
	uint64_t pc;
	int32_t pid;               /* 0: no process (the idle thread) */
	uint16_t cpu;
	uint8_t el;
	uint8_t pad;
	char name[PROC_NAME_MAX];  /* the process's name when sampled */
};

bool profile_enabled;           /* set once at boot */
static uint64_t period;         /* counter units between samples; set once at boot */
static unsigned long hz;        /* set once at boot */
static struct profile_sample *ring; /* set once at boot */
static uint64_t ring_cap;       /* set once at boot */
/* Written only by the event's fn, which runs on one CPU at a time (timer.c's
 * running count); published with release, read by the dump with acquire. */
static uint64_t nsamples;
static uint64_t dropped;
/* Raised (release) by the dump: the event records nothing more, and stops. */
static bool stopped;
/* Per call number; incremented atomically from any CPU. */
static uint64_t syscalls[PROFILE_SYSCALL_SLOTS];
static struct timer_event sampler;

/* Records the interrupted context. The process name is copied without its
 * lock (an interrupt cannot take it): a sample taken while exec renames
 * the process may carry a mixed name, which costs one sample's label. */
static void record(const struct trap_frame *tf)
{
	struct thread *t = current_thread();
	const struct proc *p = t ? t->proc : NULL;
	uint64_t n = nsamples;
	struct profile_sample *s;

	if (n >= ring_cap) {
		dropped++;
		return;
	}
	s = &ring[n];
	s->pc = tf->elr;
	s->el = (uint8_t)((tf->spsr >> SPSR_EL_SHIFT) & SPSR_EL_MASK);
	s->cpu = (uint16_t)this_cpu()->id;
	s->pid = p ? p->pid : 0;
	if (p)
		memcpy(s->name, p->name, PROC_NAME_MAX);
	else
		strcpy(s->name, "-");
	s->name[PROC_NAME_MAX - 1] = '\0';
	__atomic_store_n(&nsamples, n + 1, __ATOMIC_RELEASE);
}

/* The event: samples, then re-arms on the fixed grid (a late interrupt
 * skips the missed points rather than taking them in a burst). */
static void sample(struct timer_event *ev)
{
	const struct trap_frame *tf = this_cpu()->irq_tf;
	uint64_t now = timer_now();

	if (__atomic_load_n(&stopped, __ATOMIC_ACQUIRE))
		return;
	if (tf)
		record(tf);
	while (ev->deadline <= now)
		ev->deadline += period;
	timer_add(ev);
}

void profile_setup(const char *spec)
{
	char *end;
	unsigned long v;
	paddr_t pa;

	if (!spec)
		return;
	v = strtoul(spec, &end, 10);
	if (*spec == '\0' || *end != '\0' || v == 0 || v > PROFILE_HZ_MAX) {
		printk("profile: bad value \"%s\" (want HZ, 1..%u): ignored\n", spec, PROFILE_HZ_MAX);
		return;
	}
	if (frame_alloc(PROFILE_RING_ORDER, &pa)) {
		printk("profile: no memory for the sample ring: off\n");
		return;
	}
	ring = phys_to_virt(pa);
	ring_cap = PROFILE_RING_BYTES / sizeof(*ring);
	hz = v;
	period = timer_ns_to_count(NSEC_PER_SEC / hz);
	if (period == 0)
		period = 1;
	sampler.fn = sample;
	sampler.deadline = timer_now() + period;
	profile_enabled = true;
	syscall_profile_start();
	timer_add(&sampler);
	printk("profile: sampling at %lu Hz, room for %lu samples\n", hz, ring_cap);
}

void profile_syscall(uint64_t nr)
{
	__atomic_add_fetch(&syscalls[nr < SYS_LINUX_MAX ? nr : SYS_LINUX_MAX], 1, __ATOMIC_RELAXED);
}

void profile_dump(void)
{
	uint64_t n;

	if (!profile_enabled)
		return;
	__atomic_store_n(&stopped, true, __ATOMIC_RELEASE);
	n = __atomic_load_n(&nsamples, __ATOMIC_ACQUIRE);
	printk("profile: begin hz=%lu samples=%lu dropped=%lu\n", hz, n, dropped);
	for (uint64_t i = 0; i < n; i++)
		printk("S %lx %u %d %u %s\n", ring[i].pc, ring[i].el, ring[i].pid, ring[i].cpu,
		       ring[i].name);
	for (unsigned i = 0; i < PROFILE_SYSCALL_SLOTS; i++)
		if (syscalls[i])
			printk("C %u %lu\n", i, __atomic_load_n(&syscalls[i], __ATOMIC_RELAXED));
	printk("profile: end\n");
}
