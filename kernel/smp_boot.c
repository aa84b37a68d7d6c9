/*
 * kernel/smp_boot.c: starting the secondary CPUs (see smp.h) and what each
 * does first: the boot CPU's final MMU settings, its own interrupt
 * controller interface and timer, its idle thread. One CPU is started at a
 * time, each waited for at most SMP_BOOT_TIMEOUT_MS.
 */
#include "kernel/smp.h"
#include "kernel/boot.h"
#include "kernel/percpu.h"
#include "kernel/fdt.h"
#include "kernel/irq.h"
#include "kernel/timer.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "mm/kmap.h"
#include "mm/uvm.h"
#include "asm/cpu.h"
#include <libfdt.h>
#include <string.h>

/* The entry point and park word in head.S. */
extern char smp_entry[];
extern uint64_t smp_park_release;

static int (*psci_cpu_on)(uint64_t mpidr, paddr_t entry); /* set once at boot */
static unsigned online = 1;   /* atomic */
/* Atomic: secondaries whose "up" line is printed (their printk returned). */
static unsigned announced;
/* The boot CPU's translation and system control, copied by each secondary. */
static uint64_t boot_tcr, boot_sctlr; /* written before any secondary starts */

void smp_set_cpu_on(int (*cpu_on)(uint64_t mpidr, paddr_t entry))
{
	psci_cpu_on = cpu_on;
}

unsigned smp_online_cpus(void)
{
	return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

uint64_t smp_online_mask(void)
{
	uint64_t mask = 0;

	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (smp_cpu_online(i))
			mask |= 1ULL << i;
	return mask;
}

bool smp_cpu_online(unsigned id)
{
	return id < MAX_CPUS && __atomic_load_n(&cpus[id].state, __ATOMIC_ACQUIRE) == CPU_ONLINE;
}

bool smp_cpu_stat(unsigned id, struct cpu_stat *st)
{
	unsigned state = id < MAX_CPUS ? __atomic_load_n(&cpus[id].state, __ATOMIC_ACQUIRE) : CPU_OFFLINE;

	if (state != CPU_ONLINE && state != CPU_FAILED)
		return false;
	/* The counters are the CPU's own: a racy read is at most a tick old. */
	*st = (struct cpu_stat){
		.mpidr = cpus[id].mpidr, .online = state == CPU_ONLINE,
		.ticks = __atomic_load_n(&cpus[id].ticks, __ATOMIC_RELAXED),
		.busy_ticks = __atomic_load_n(&cpus[id].busy_ticks, __ATOMIC_RELAXED),
	};
	return true;
}

static paddr_t virt_to_image_phys(const void *p)
{
	return kernel_phys_base + (paddr_t)((const char *)p - __text_start);
}

/* Makes a word written through the cache visible to a CPU whose MMU (so
 * cache) is still off: clean to the point of coherency, then wake it. */
static void publish_uncached(volatile uint64_t *word, uint64_t value)
{
	*word = value;
	dsb(ishst);
	__asm__ volatile("dc civac, %0" : : "r"(word) : "memory");
	dsb(sy);
	sev();
}

/* The 64-bit `cpu-release-addr` of a spin-table CPU node: an aligned
 * doubleword of RAM (the kernel writes it through the physmap, which maps
 * RAM only), else -EINVAL and the CPU is skipped. */
static int release_addr(int node, paddr_t *pa)
{
	int len;
	const fdt64_t *p = fdt_getprop(dt_blob(), node, "cpu-release-addr", &len);

	if (!p || len != (int)sizeof(*p))
		return -EINVAL;
	*pa = fdt64_to_cpu(*p);
	if (*pa % sizeof(uint64_t) ||
	    !ranges_contain(boot_info.ram, boot_info.nram, *pa, sizeof(uint64_t)))
		return -EINVAL;
	return 0;
}

/* Starts the CPU of node; the enable method as smp.h says. */
static int start_cpu(int node, uint64_t mpidr)
{
	paddr_t entry = virt_to_image_phys(smp_entry), rel;
	const char *method = dt_prop_str(node, "enable-method");

	if (boot_el == 3) {
		publish_uncached(&smp_park_release, mpidr);
		return 0;
	}
	if (method && strcmp(method, "psci") == 0)
		return psci_cpu_on ? psci_cpu_on(mpidr, entry) : -ENODEV;
	if (method && strcmp(method, "spin-table") == 0) {
		if (release_addr(node, &rel))
			return -EINVAL;
		publish_uncached(phys_to_virt(rel), entry);
		return 0;
	}
	return -EOPNOTSUPP;
}

/* Waits for cpus[id] to say it runs; on time-out marks it failed, so that
 * a CPU arriving later stops at once instead of joining (smp_secondary_main). */
static bool wait_online(unsigned id)
{
	uint64_t deadline = timer_deadline_after_ns(SMP_BOOT_TIMEOUT_MS * NSEC_PER_MSEC);
	unsigned expect = CPU_STARTING;

	while (timer_now() < deadline) {
		if (__atomic_load_n(&cpus[id].state, __ATOMIC_ACQUIRE) == CPU_ONLINE)
			return true;
		__asm__ volatile("yield");
	}
	return !__atomic_compare_exchange_n(&cpus[id].state, &expect, CPU_FAILED, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Waits until every secondary that came up has printed its line: then no
 * CPU but this one is in printk (a secondary prints with interrupts
 * masked), the summary line comes after theirs, and what runs next
 * (selftest=klogpanic takes klog_lock for good) finds the others idle.
 * A CPU online always prints; the wait is bounded all the same. */
static void wait_announced(void)
{
	uint64_t deadline = timer_deadline_after_ns(SMP_BOOT_TIMEOUT_MS * NSEC_PER_MSEC);

	while (__atomic_load_n(&announced, __ATOMIC_ACQUIRE) < smp_online_cpus() - 1 &&
	       timer_now() < deadline)
		__asm__ volatile("yield");
}

/* The affinity in a CPU node's reg (one or two cells, per /cpus). */
static int cpu_mpidr(int cpus_node, int node, uint64_t *mpidr)
{
	int ac = fdt_address_cells(dt_blob(), cpus_node), len;
	const fdt32_t *reg = fdt_getprop(dt_blob(), node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || len < ac * (int)sizeof(*reg))
		return -EINVAL;
	*mpidr = ac == 2 ? ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1])
			 : fdt32_to_cpu(reg[0]);
	return 0;
}

/* Brings up the CPU of node as cpus[id]; true if it runs. */
static bool bring_up(unsigned id, int node, uint64_t mpidr)
{
	vaddr_t stack = kstack_alloc();
	int err;

	if (!stack) {
		printk("smp: no stack for CPU %u\n", id);
		return false;
	}
	percpu_init_secondary(id, mpidr);
	cpus[id].boot_stack = stack;
	__atomic_store_n(&cpus[id].state, CPU_STARTING, __ATOMIC_RELEASE);
	err = start_cpu(node, mpidr);
	if (err) {
		printk("smp: CPU %u (mpidr %#lx) not started (%d), skipped\n", id, mpidr, err);
		cpus[id].state = CPU_FAILED;
		return false;
	}
	if (!wait_online(id)) {
		/* Its stack stays allocated: it may still be running on it. */
		printk("smp: CPU %u (mpidr %#lx) did not come up in %u ms, skipped\n", id, mpidr,
		       SMP_BOOT_TIMEOUT_MS);
		return false;
	}
	return true;
}

void smp_boot_secondaries(unsigned maxcpus)
{
	int cpus_node = dt_path_offset("/cpus"), node, err;
	unsigned id = 1;
	uint64_t self = cpus[0].mpidr;

	boot_tcr = read_sysreg(tcr_el1);
	boot_sctlr = read_sysreg(sctlr_el1);
	if (maxcpus == 0 || maxcpus > MAX_CPUS)
		maxcpus = MAX_CPUS;
	if (cpus_node < 0 || maxcpus == 1) {
		printk("smp: 1 CPU online%s\n", maxcpus == 1 ? " (maxcpus=1)" : "");
		return;
	}
	err = smp_ipi_init();
	if (err) {
		printk("smp: no inter-processor interrupts (%d): one CPU only\n", err);
		return;
	}
	fdt_for_each_subnode(node, dt_blob(), cpus_node) {
		const char *type = dt_prop_str(node, "device_type");
		uint64_t mpidr;

		if (id >= maxcpus)
			break;
		if (!type || strcmp(type, "cpu") != 0 || !dt_node_enabled(node) ||
		    cpu_mpidr(cpus_node, node, &mpidr) || (mpidr & MPIDR_AFF012_MASK) == self)
			continue;
		if (bring_up(id, node, mpidr))
			__atomic_add_fetch(&online, 1, __ATOMIC_RELEASE);
		id++; /* a failed slot is never reused: its CPU may still arrive */
	}
	wait_announced();
	printk("smp: %u CPU%s online\n", smp_online_cpus(), smp_online_cpus() == 1 ? "" : "s");
}

/* A secondary's first C, on its own stack with its per-CPU data (head.S). */
void smp_secondary_main(void);
void smp_secondary_main(void)
{
	struct cpu *c = this_cpu();
	unsigned expect = CPU_STARTING;

	/* The boot CPU's final settings: no identity map, TTBR0 walks of user
	 * spaces, no writable-executable mappings. */
	aspace_activate(NULL);
	write_sysreg(tcr_el1, boot_tcr);
	isb();
	write_sysreg(sctlr_el1, boot_sctlr);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory"); /* this CPU's own TLB only */
	dsb(nsh);
	isb();
	c->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF012_MASK;
	c->midr = read_sysreg(midr_el1);
	irq_cpu_init();
	timer_cpu_init();
	sched_init_cpu();
	if (!__atomic_compare_exchange_n(&c->state, &expect, CPU_ONLINE, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		timer_stop(); /* too late: the boot CPU gave up on us */
		for (;;)
			wfi();
	}
	printk("smp: CPU %u up (mpidr %#lx)\n", c->id, c->mpidr);
	__atomic_add_fetch(&announced, 1, __ATOMIC_RELEASE);
	irq_enable();
	sched_idle();
}
