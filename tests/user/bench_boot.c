/*
 * bench_boot: the boot rows of `make bench` (tools/bench/bench.py). Reads
 * the generic timer's virtual count (CNTVCT_EL0, which both Anode and
 * Linux let EL0 read; it starts at 0 at reset) as its first act, prints it
 * as "bench: boot_stamp N ns", then execs busybox's getty on the console,
 * as Anode's init.rc login line does, so that the prompt follows:
 *
 *   Linux: it is the initramfs's /init, the first user program, so the
 *          stamp is the reset -> first user instruction figure (within the
 *          few hundred instructions of musl's start-up), and, with nothing
 *          else to start, reset -> login program too. It mounts devtmpfs
 *          (after the stamp) for getty's /dev/null.
 *   Anode: init=/tests/bench_boot runs it in the login program's place,
 *          once init has started the daemons and the console: the stamp is
 *          reset -> login program (the kernel prints reset -> first process).
 *
 * Under -icount shift=0 a counter tick is 16 guest instructions (62.5 MHz).
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#define NSEC_PER_SEC 1000000000ULL

static inline uint64_t read_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t read_cntfrq(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

int main(void)
{
	uint64_t count = read_cntvct(), freq = read_cntfrq();

	/* count * 1e9 would overflow 64 bits after ~295 s at 62.5 MHz:
	 * whole seconds and the rest apart, exactly. */
	uint64_t ns = count / freq * NSEC_PER_SEC + count % freq * NSEC_PER_SEC / freq;
	printf("bench: boot_stamp %llu ns\n", (unsigned long long)ns);
	fflush(stdout);
	/* Linux's initramfs has no /dev/null, which getty opens: devtmpfs
	 * brings it (Anode's boot archive has it). */
	if (access("/dev/null", F_OK) != 0 && mount("dev", "/dev", "devtmpfs", 0, NULL) != 0)
		perror("bench_boot: mount devtmpfs");
	execl("/bin/busybox", "getty", "-L", "115200", "/dev/console", "vt100", (char *)NULL);
	perror("bench_boot: exec /bin/busybox getty");
	return 1;
}
