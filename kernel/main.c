/*
 * kernel/main.c: kmain, the kernel's C entry, and the boot order: device
 * tree, physmap, console, memory, remap, drivers, interrupts, then the
 * command line's choice (self-tests, or /bin/init, then idle).
 */
#include "kernel/lib/types.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/fdt.h"
#include "kernel/cmdline.h"
#include "kernel/driver.h"
#include "kernel/percpu.h"
#include "kernel/timer.h"
#include "kernel/irq.h"
#include "kernel/power.h"
#include "kernel/selftest.h"
#include "kernel/aslr.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/initrd.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/proc.h"
#include "kernel/random.h"
#include "kernel/smp.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include <libfdt.h>
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "kernel/failalloc.h"
#include "kernel/profile.h"
#include "kernel/boottime.h"
#include "asm/cpu.h"
#include "kernel/lib/errno.h"
#include <string.h>
#include <stdlib.h>

#define MAX_RAM_RANGES BOOT_MAX_RAM
#define MAX_RESERVED 32
#define INIT_PROGRAM "/bin/init" /* the one program the kernel starts */

struct boot_info boot_info;
static struct cmdline cmdline;

/* Without a device tree there is no console either; the log keeps the story. */
static void map_device_tree(paddr_t dtb_pa)
{
	size_t mapped;
	const void *blob;

	/* ELF boot passes 0; QEMU then put the tree at the bottom of RAM,
	 * which on virt is the 1 GiB boundary below the kernel. */
	if (dtb_pa == 0)
		dtb_pa = ALIGN_DOWN(kernel_phys_base, PT_LEVEL_SIZE(1));
	blob = kmap_fdt(dtb_pa, &mapped);
	if (!blob || dt_setup(blob, mapped))
		panic("no valid device tree at %#lx", dtb_pa);
	boot_info.dtb_pa = dtb_pa;
	boot_info.dtb_size = dt_size();
}

static void start_console(struct dt_chosen *chosen, int *chosen_err);

static void find_memory(void)
{
	int n = dt_memory(boot_info.ram, MAX_RAM_RANGES);

	if (n <= 0) {
		struct dt_chosen chosen;
		int chosen_err;

		/* The console needs no RAM map: start it so the reason is seen. */
		start_console(&chosen, &chosen_err);
		panic("device tree: no memory (%d)", n);
	}
	boot_info.nram = n;
	if (kmap_physmap(boot_info.ram, n))
		panic("cannot map RAM");
}

/*
 * The console is the device /chosen/stdout-path names when a driver handles
 * it; otherwise (the Raspberry Pi 3 tree names the mini UART) the first
 * enabled device any console driver handles.
 */
static void start_console(struct dt_chosen *chosen, int *chosen_err)
{
	/* dt_chosen fills what it could read even on an error (a malformed
	 * initrd pair), so the console and bootargs survive one. */
	*chosen_err = dt_chosen(chosen);
	if (chosen->stdout_node >= 0 && driver_probe_node(chosen->stdout_node, DRIVER_CONSOLE) == 0)
		return;
	driver_probe_first(DRIVER_CONSOLE);
}

static void add_reserved(struct mem_range *r, int *n, paddr_t base, uint64_t size)
{
	if (*n < MAX_RESERVED && size)
		r[(*n)++] = (struct mem_range){ base, size };
}

static void print_memory_map(const struct mem_range *res, int nres)
{
	for (int i = 0; i < boot_info.nram; i++)
		printk("memory: RAM      [%#012lx-%#012lx) %lu MiB\n", boot_info.ram[i].base,
		       boot_info.ram[i].base + boot_info.ram[i].size, boot_info.ram[i].size / MiB);
	for (int i = 0; i < nres; i++)
		printk("memory: reserved [%#012lx-%#012lx)\n", res[i].base, res[i].base + res[i].size);
}

/*
 * The boot archive's choice: the boot loader's initrd when it is usable
 * (kernel/initrd.c), else the one in the image. Before the frame allocator,
 * so that a used initrd's pages are reserved before anything allocates and
 * a refused one's are free memory.
 */
static bool take_initrd(const struct dt_chosen *chosen, int chosen_err, struct mem_range *keep)
{
	const struct initrd_busy busy[] = {
		{ kernel_phys_base, (uint64_t)(_end - __text_start), "the kernel image" },
		{ boot_info.dtb_pa, boot_info.dtb_size, "the device tree" },
	};

	return initrd_take(chosen, chosen_err, busy, ARRAY_SIZE(busy), keep);
}

static void init_memory(const struct dt_chosen *chosen, int chosen_err)
{
	struct mem_range res[MAX_RESERVED], initrd;
	int nres = 0, n;

	add_reserved(res, &nres, kernel_phys_base, (uint64_t)(_end - __text_start));
	add_reserved(res, &nres, boot_info.dtb_pa, boot_info.dtb_size);
	if (take_initrd(chosen, chosen_err, &initrd))
		add_reserved(res, &nres, initrd.base, initrd.size);
	n = dt_reserved(res + nres, MAX_RESERVED - nres);
	/* Handing out memory the tree reserves would corrupt whoever owns it. */
	if (n < 0)
		panic("device tree: reserved ranges unreadable or more than %d (%d)", MAX_RESERVED, n);
	if (n > 0)
		nres += n;
	print_memory_map(res, nres);
	if (frame_init(boot_info.ram, boot_info.nram, res, nres))
		panic("frame allocator set-up failed");
	frame_dump();
	vm_set_table_source(frame_alloc_zeroed_page);
	kheap_init();
}

/* Seeds the kernel's random numbers from /chosen/rng-seed, if present. */
static void seed_random(void)
{
	int chosen = dt_path_offset("/chosen"), len = 0;
	const void *seed = chosen >= 0 ? fdt_getprop(dt_blob(), chosen, "rng-seed", &len) : NULL;

	if (seed && len > 0)
		random_seed(seed, (size_t)len);
}

/* Starts the first process, always /bin/init from the boot archive, and
 * passes it the command line's choice of program as its arguments:
 * "init=PATH -- ARGS" gives /bin/init PATH ARGS..., which init runs as its
 * main program instead of init.rc's `main` line (user/init.c); with no
 * init= the words after " -- " are init's arguments as they are. This CPU
 * then idles. Nothing waits on purpose before it (the tick is measured by
 * the self-tests, timer_selftest.c). Kernel words no option asked for are
 * named in the log first. */
static __noreturn void start_user_space(void)
{
	const char *path = cmdline_get(&cmdline, "init");
	const char *argv[CMDLINE_MAX_WORDS + 2], *unknown;
	bool boottime = cmdline_has(&cmdline, BOOTTIME_WORD);
	int argc = 0;

	/* Every option has been looked up by now: the rest are typos. */
	for (int i = 0; (unknown = cmdline_unasked(&cmdline, i)) != NULL; i++)
		printk("cmdline: unknown word \"%s\", ignored\n", unknown);
	argv[argc++] = INIT_PROGRAM;
	if (path && *path)
		argv[argc++] = path;
	for (int i = 0; i < cmdline.nargs; i++)
		argv[argc++] = cmdline.args[i];
	if (proc_init_first(INIT_PROGRAM, argv, argc))
		power_off();
	boottime_mark("first process");
	if (boottime)
		boottime_print();
	printk("boot: first process ready %lu us after reset\n", timer_now_ns() / NSEC_PER_USEC);
	sched_idle();
}

/* "maxcpus=N" (N >= 1) limits how many CPUs run; absent or malformed: all. */
static unsigned maxcpus(void)
{
	const char *v = cmdline_get(&cmdline, "maxcpus");
	char *end;
	unsigned long n = v ? strtoul(v, &end, 10) : 0;

	if (v && (*v == '\0' || *end != '\0' || n == 0)) {
		printk("cmdline: maxcpus=%s is not a positive number, ignored\n", v);
		return 0;
	}
	return (unsigned)n;
}

void kmain(paddr_t dtb_pa);
void kmain(paddr_t dtb_pa)
{
	struct dt_chosen chosen;
	int chosen_err;

	boot_info.kmain_count = read_sysreg(cntvct_el0);
	percpu_init_boot();
	vm_set_table_source(kmap_early_table);
	boottime_mark("reset to kmain");
	map_device_tree(dtb_pa);
	boottime_mark("device tree");
	find_memory();
	boottime_mark("physmap");
	start_console(&chosen, &chosen_err);
	boottime_mark("console");

	printk("\nAnode (AArch64) booting: entered at EL%lu, CPU MIDR %#lx\n", boot_el,
	       read_sysreg(midr_el1));
	printk("kernel: image at phys %#lx, %lu KiB; device tree at %#lx, %zu bytes\n",
	       kernel_phys_base, (uint64_t)(_end - __text_start) / KiB, boot_info.dtb_pa,
	       boot_info.dtb_size);
	if (cmdline_parse(&cmdline, chosen.bootargs))
		printk("cmdline: too long or too many words, ignored\n");
	printk("cmdline: \"%s\"\n", chosen.bootargs ? chosen.bootargs : "");

	init_memory(&chosen, chosen_err);
	boottime_mark("memory");
	kmap_remap_kernel();
	boottime_mark("remap");
	printk("kernel: remapped: text r-x, rodata r--, data/bss rw-, boot stack guard page\n");

	driver_probe_all();
	boottime_mark("drivers");
	if (!irq_chip())
		panic("no interrupt controller found");
	if (!timer_present())
		panic("no timer found");
	console_start_input();
	seed_random();
	uvm_init();
	boottime_mark("input, random, uvm");
	schemes_init();
	boottime_mark("schemes");
	sched_init();
	irq_enable();
	printk("boot: kmain reached %lu us after reset\n",
	       timer_count_to_ns(boot_info.kmain_count) / NSEC_PER_USEC);
	smp_boot_secondaries(maxcpus());
	boottime_mark("secondary CPUs");

	if (cmdline_has(&cmdline, "selftest")) {
		const char *which = cmdline_get(&cmdline, "selftest");

		if (which && strcmp(which, "fault") == 0)
			selftest_fault_demo();
		if (which && strcmp(which, "overflow") == 0)
			selftest_overflow_demo();
		if (which && strcmp(which, "stack") == 0)
			selftest_stack_demo();
		if (which && strcmp(which, "smppanic") == 0)
			selftest_smp_panic_demo();
		if (which && (strcmp(which, "klogpanic") == 0 || strcmp(which, "klogpanicself") == 0))
			selftest_klog_panic_demo(strcmp(which, "klogpanicself") == 0);
		if (which && (strcmp(which, "lockorder") == 0 || strcmp(which, "lockhold") == 0))
			selftest_lock_demo(strcmp(which, "lockorder") == 0);
		selftest_run_all();
		printk("boot: self-tests ended %lu us after reset\n", timer_now_ns() / NSEC_PER_USEC);
		power_off();
	}
	if (cmdline_has(&cmdline, "norandmaps")) /* as Linux: no user-space ASLR */
		aslr_disable();
	profile_setup(cmdline_get(&cmdline, PROFILE_WORD));
	failalloc_setup(cmdline_get(&cmdline, FAILALLOC_WORD));
	failalloc_exempt(proc_ns_holds_private);
	start_user_space();
}
