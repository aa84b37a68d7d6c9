/*
 * kernel/scheme/proc_sys.c: the system-wide files of /proc in Linux 6.1's
 * formats: meminfo, uptime, loadavg, stat, cpuinfo, mounts, version, and
 * /proc/sys/kernel/{hostname,osrelease}. Memory Anode does not have (swap,
 * page cache, huge pages) shows as 0 kB, as on a Linux without it.
 */
#include "kernel/scheme/procfs.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/clock.h"
#include "kernel/lib/format.h"
#include "kernel/version.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/lib/bits.h"
#include "sched/sched.h"
#include "sched/cpustat.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "asm/cpu.h"

/* fs/proc/meminfo.c: "Name:" padded to 16 columns, the value in 8. */
#define MEMINFO_NAME_WIDTH 16
#define MEMINFO_VALUE_WIDTH 8
#define MEMINFO_HUGEPAGE_KB 2048

static void meminfo_line(struct ptext *t, const char *name, uint64_t kb)
{
	char label[MEMINFO_NAME_WIDTH + 1];

	ksnprintf(label, sizeof(label), "%s:", name);
	ptext_printf(t, "%-*s%*lu kB\n", MEMINFO_NAME_WIDTH, label, MEMINFO_VALUE_WIDTH, kb);
}

static void gen_meminfo(struct ptext *t)
{
	/* The lines Linux 6.1 prints that Anode has nothing for, in order. */
	static const char *const zero_after_slab[] = {
		"KernelStack", "PageTables", "SecPageTables", "NFS_Unstable", "Bounce",
		"WritebackTmp",
	};
	static const char *const zero_vmalloc[] = { "VmallocUsed", "VmallocChunk", "Percpu" };
	static const char *const zero_tail[] = {
		"AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages",
		"FilePmdMapped", "CmaTotal", "CmaFree",
	};
	static const char *const zero_mid[] = {
		"SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)",
		"Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "SwapTotal",
		"SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback",
	};
	struct frame_stats fs;
	struct heap_stats hs;
	uint64_t total, free, slab;

	frame_get_stats(&fs);
	heap_stats(&hs);
	total = fs.total_pages * PAGE_SIZE / KiB;
	free = fs.free_pages * PAGE_SIZE / KiB;
	slab = hs.pages * PAGE_SIZE / KiB;
	meminfo_line(t, "MemTotal", total);
	meminfo_line(t, "MemFree", free);
	meminfo_line(t, "MemAvailable", free + hs.cached_pages * PAGE_SIZE / KiB);
	meminfo_line(t, "Buffers", 0);
	meminfo_line(t, "Cached", 0);
	for (size_t i = 0; i < ARRAY_SIZE(zero_mid); i++)
		meminfo_line(t, zero_mid[i], 0);
	meminfo_line(t, "AnonPages", total - free - slab);
	meminfo_line(t, "Mapped", 0);
	meminfo_line(t, "Shmem", 0);
	meminfo_line(t, "KReclaimable", hs.cached_pages * PAGE_SIZE / KiB);
	meminfo_line(t, "Slab", slab);
	meminfo_line(t, "SReclaimable", hs.cached_pages * PAGE_SIZE / KiB);
	meminfo_line(t, "SUnreclaim", (hs.pages - hs.cached_pages) * PAGE_SIZE / KiB);
	for (size_t i = 0; i < ARRAY_SIZE(zero_after_slab); i++)
		meminfo_line(t, zero_after_slab[i], 0);
	meminfo_line(t, "CommitLimit", total);
	meminfo_line(t, "Committed_AS", total - free);
	meminfo_line(t, "VmallocTotal", 0);
	for (size_t i = 0; i < ARRAY_SIZE(zero_vmalloc); i++)
		meminfo_line(t, zero_vmalloc[i], 0);
	ptext_printf(t, "HardwareCorrupted:     0 kB\n"); /* Linux's own, narrower format */
	for (size_t i = 0; i < ARRAY_SIZE(zero_tail); i++)
		meminfo_line(t, zero_tail[i], 0);
	ptext_printf(t, "HugePages_Total:       0\nHugePages_Free:        0\n"
		     "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	/* The size a huge page would have (a level-2 block of the 4 KiB
	 * granule): tools divide by it. */
	meminfo_line(t, "Hugepagesize", MEMINFO_HUGEPAGE_KB);
	meminfo_line(t, "Hugetlb", 0);
}

/* The CPUs that run, lowest first, as Linux's online CPUs: a CPU the
 * device tree names but that never came up (or maxcpus= left out) is in
 * none of these files. */
#define for_each_online_cpu(i) for_each_bit(i, smp_online_mask())

/* "seconds.hundredths", as Linux prints times and loads. */
#define CENTI 100

static void gen_uptime(struct ptext *t)
{
	uint64_t up = timer_now_ns() / (NSEC_PER_SEC / CENTI), idle = 0;
	unsigned i;

	for_each_online_cpu(i) {
		struct cpu_times ct;

		cpustat_get(i, &ct);
		idle += ct.idle;
	}
	idle = idle * (TICK_NS / (NSEC_PER_SEC / CENTI));
	ptext_printf(t, "%lu.%02lu %lu.%02lu\n", up / CENTI, up % CENTI, idle / CENTI, idle % CENTI);
}

static void gen_loadavg(struct ptext *t)
{
	unsigned long avg[3];
	struct sched_counts n;

	loadavg_get(avg);
	sched_count(&n);
	for (int i = 0; i < 3; i++) {
		/* Linux's get_avenrun(.., FIXED_1/200, ..): rounded to hundredths. */
		unsigned long x = avg[i] + LOADAVG_FIXED_1 / (2 * CENTI);

		ptext_printf(t, "%lu.%02lu ", x >> LOADAVG_FSHIFT,
			     ((x & (LOADAVG_FIXED_1 - 1)) * CENTI) >> LOADAVG_FSHIFT);
	}
	ptext_printf(t, "%lu/%lu %d\n", n.active, n.threads, proc_last_pid());
}

static void cpu_line(struct ptext *t, const char *name, const struct cpu_times *c)
{
	uint64_t to_user_hz = TICK_NS / PROCFS_NS_PER_TICK;

	ptext_printf(t, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name, c->user * to_user_hz,
		     c->system * to_user_hz, c->idle * to_user_hz);
}

static void gen_stat(struct ptext *t)
{
	struct cpu_times sum = { 0 }, per[MAX_CPUS];
	struct sched_counts n;
	uint64_t now_real = 0;
	unsigned i;

	for_each_online_cpu(i) {
		cpustat_get(i, &per[i]);
		sum.user += per[i].user;
		sum.system += per[i].system;
		sum.idle += per[i].idle;
	}
	cpu_line(t, "cpu ", &sum);
	for_each_online_cpu(i) {
		char name[8];

		ksnprintf(name, sizeof(name), "cpu%u", i);
		cpu_line(t, name, &per[i]);
	}
	sched_count(&n);
	clock_read_ns(ABI_CLOCK_REALTIME, &now_real);
	ptext_printf(t, "intr 0\nctxt 0\nbtime %lu\nprocesses %lu\nprocs_running %lu\n"
		     "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		     (now_real - MIN(now_real, timer_now_ns())) / NSEC_PER_SEC, proc_created_count(),
		     n.active);
}

/* MIDR_EL1 fields (Arm ARM D17.2.100). */
#define MIDR_IMPLEMENTER(m) (((m) >> 24) & 0xff)
#define MIDR_VARIANT(m) (((m) >> 20) & 0xf)
#define MIDR_PARTNUM(m) (((m) >> 4) & 0xfff)
#define MIDR_REVISION(m) ((m) & 0xf)
#define CPUINFO_ARCHITECTURE 8 /* what arm64 Linux prints for every AArch64 CPU */
/* arm64's BogoMIPS: loops_per_jiffy is the counter's ticks per jiffy, so
 * the value is the counter frequency over 500000 (arch/arm64/kernel/cpuinfo.c). */
#define BOGOMIPS_DIV 500000UL
#define BOGOMIPS_FRAC_DIV 5000UL

static void gen_cpuinfo(struct ptext *t)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	unsigned i;

	for_each_online_cpu(i) {
		uint64_t midr = cpus[i].midr; /* each CPU's own */

		ptext_printf(t, "processor\t: %u\nBogoMIPS\t: %lu.%02lu\nFeatures\t: fp asimd\n"
			     "CPU implementer\t: 0x%02lx\nCPU architecture: %d\nCPU variant\t: 0x%lx\n"
			     "CPU part\t: 0x%03lx\nCPU revision\t: %lu\n\n",
			     i, freq / BOGOMIPS_DIV, (freq / BOGOMIPS_FRAC_DIV) % CENTI,
			     MIDR_IMPLEMENTER(midr), CPUINFO_ARCHITECTURE, MIDR_VARIANT(midr),
			     MIDR_PARTNUM(midr), MIDR_REVISION(midr));
	}
}

/*
 * What is served where, as Linux's mount lines ("source target type
 * options 0 0"): the file: scheme at /, proc: at /proc, and every scheme
 * the reader can name at /scheme/NAME, its source "NAME:" and, for a
 * daemon's, the server's pid among the options.
 */
static void gen_mounts(struct ptext *t)
{
	struct namespace_set *ns = proc_ns(current_proc());
	struct scheme_entry *list = kmalloc(SCHEME_MAX * sizeof(*list));
	int n = list ? ns_visible_schemes(ns, list, SCHEME_MAX) : 0;

	ptext_printf(t, "%s: / %s rw 0 0\nproc: /proc proc rw,nosuid,nodev,noexec 0 0\n",
		     PATH_FILE_SCHEME, PATH_FILE_SCHEME);
	for (int i = 0; i < n; i++) {
		ptext_printf(t, "%s: %s%s scheme rw", list[i].name, PATH_SCHEME_DIR, list[i].name);
		if (list[i].server_pid)
			ptext_printf(t, ",server=%d", list[i].server_pid);
		ptext_printf(t, " 0 0\n");
	}
	if (!list)
		t->oom = true;
	kfree(list);
	ns_put(ns);
}

static void gen_version(struct ptext *t)
{
	ptext_printf(t, "%s version %s (%s@%s) (gcc %s) %s\n", ANODE_SYSNAME, ANODE_RELEASE,
		     ANODE_NODENAME, ANODE_NODENAME, __VERSION__, ANODE_VERSION);
}

static void gen_hostname(struct ptext *t)
{
	ptext_printf(t, "%s\n", ANODE_NODENAME);
}

static void gen_osrelease(struct ptext *t)
{
	ptext_printf(t, "%s\n", ANODE_RELEASE);
}

const struct sys_file procfs_root_files[] = {
	{ "meminfo", gen_meminfo }, { "uptime", gen_uptime }, { "loadavg", gen_loadavg },
	{ "stat", gen_stat },       { "cpuinfo", gen_cpuinfo }, { "mounts", gen_mounts },
	{ "version", gen_version },
};
const size_t procfs_root_nfiles = ARRAY_SIZE(procfs_root_files);

const struct sys_file procfs_kernel_files[] = {
	{ "hostname", gen_hostname }, { "osrelease", gen_osrelease },
};
const size_t procfs_kernel_nfiles = ARRAY_SIZE(procfs_kernel_files);
