/*
 * t_devrights: device rights (Anode only, QEMU virt): the first process's
 * grant (grant:) holds the devices (the console UART too, which the kernel
 * hands over when it is mapped) and not RAM or the kernel's own (GIC,
 * timer); malformed narrowing changes nothing; memory: and irq:
 * refuse what the grant lacks (another device, RAM, past a range's end, a
 * kernel interrupt, after narrowing to another node) and a grant never
 * widens; and a real round trip with the PL031 RTC: map its registers, read
 * the time, program the alarm, wait for its interrupt through irq:,
 * acknowledge it and unmask; a signal interrupts the wait (EINTR). Then
 * the kernel's copies refuse the mapping: a daemon's data copy into or out
 * of it is EFAULT, a CLONE_CHILD_SETTID word in it is skipped.
 * Prints "PASS: t_devrights" or "FAIL: t_devrights: <reason>".
 */
#define _GNU_SOURCE /* CLONE_CHILD_SETTID */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_devrights: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* QEMU virt's tree (qemu-system-aarch64 -M virt,dumpdtb=...). GIC SPI n is
 * INTID 32 + n; PPI n is INTID 16 + n (GIC architecture spec, 2.2). */
#define GIC_SPI(n) (32 + (n))
#define GIC_PPI(n) (16 + (n))
#define RTC_NODE "/pl031@9010000"
#define RTC_BASE 0x9010000UL
#define RTC_SIZE 0x1000UL
#define RTC_IRQ GIC_SPI(2)
#define SELF_PATH "/tests/t_devrights"        /* a file initfsd serves */
#define SCRATCH_PATH "/tmp/t_devrights.scratch"
#define GPIO_NODE "/pl061@9030000"
#define GPIO_BASE 0x9030000UL
#define GPIO_IRQ GIC_SPI(7)
#define UART_BASE 0x9000000UL      /* the console: granted, handed over when mapped */
#define UART_IRQ GIC_SPI(1)
#define GIC_DIST_BASE 0x8000000UL  /* the kernel's interrupt controller */
#define TIMER_IRQ GIC_PPI(11)      /* the virtual timer, the kernel's tick */
#define RAM_BASE 0x40000000UL      /* where the kernel is loaded */
#define RAM_END 0x80000000UL       /* -m 1G */
#define PAGE 0x1000UL

/* PL031 registers (ARM DDI 0224, PrimeCell RTC TRM, 3.2), word offsets. */
#define RTCDR 0x00 / 4    /* data: the current count, seconds */
#define RTCMR 0x04 / 4    /* match: the alarm fires when RTCDR reaches it */
/* The alarm is one RTC second away: up to 2 s of guest time, with slack. */
#define ALARM_WAIT_MS 10000
#define RTCIMSC 0x10 / 4  /* interrupt mask set/clear */
#define RTCMIS 0x18 / 4   /* masked interrupt status */
#define RTCICR 0x1C / 4   /* interrupt clear */
#define RTCINTR 0x1       /* the one interrupt bit of IMSC/RIS/MIS/ICR */
/* A count this high is a real date (2020-01-01): QEMU starts at host time. */
#define PLAUSIBLE_TIME 1577836800U

#define GRANT_TEXT 8192
#define SIGNAL_AFTER_US 100000

static char grant_text[GRANT_TEXT];

static const char *grant_read(void)
{
	int fd = open("grant:", O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open grant: %s", strerror(errno));
	n = pread(fd, grant_text, sizeof(grant_text) - 1, 0);
	CHECK(n >= 0, "read grant: %s", strerror(errno));
	grant_text[n] = '\0';
	close(fd);
	return grant_text;
}

/* Writes text (len bytes) to grant:; the errno, 0 on success. */
static int grant_write(const char *text, size_t len)
{
	int fd = open("grant:", O_RDWR), err = 0;

	CHECK(fd >= 0, "open grant: rw: %s", strerror(errno));
	if (write(fd, text, len) != (ssize_t)len)
		err = errno;
	close(fd);
	return err;
}

/* Maps len bytes of device memory at phys; the errno (of the open or the
 * mmap), 0 on success (and *out the mapping, if out). */
static int map_dev(uint64_t phys, size_t len, int prot, int flags, volatile uint32_t **out)
{
	int fd = open("memory:", O_RDWR), err = 0;
	void *p;

	/* A process whose grant holds no range cannot even open memory: */
	if (fd < 0)
		return errno;
	p = mmap(NULL, len, prot, flags, fd, (off_t)phys);
	if (p == MAP_FAILED)
		err = errno;
	else if (out)
		*out = p;
	else
		munmap(p, len);
	close(fd);
	return err;
}

static int map_rw(uint64_t phys, size_t len)
{
	return map_dev(phys, len, PROT_READ | PROT_WRITE, MAP_SHARED, NULL);
}

/* Opens irq:n; the errno, 0 on success (*fd the descriptor, if fd). */
static int open_irq(unsigned n, int *fd)
{
	char path[32];
	int d;

	snprintf(path, sizeof(path), "irq:%u", n);
	d = open(path, O_RDWR);
	if (d < 0)
		return errno;
	if (fd)
		*fd = d;
	else
		close(d);
	return 0;
}

/* The grant holds no range touching [lo, hi). */
static void check_no_range_in(const char *text, uint64_t lo, uint64_t hi, const char *what)
{
	for (const char *l = text; (l = strstr(l, "mem ")); l++) {
		unsigned long base, size;

		CHECK(sscanf(l, "mem %lx %lx", &base, &size) == 2, "bad grant line: %.30s", l);
		CHECK(base + size <= lo || base >= hi, "grant has %s: 0x%lx+0x%lx", what, base, size);
	}
}

static void check_first_grant(void)
{
	const char *g = grant_read();
	char line[64];

	printf("first grant:\n%s", g);
	snprintf(line, sizeof(line), "mem 0x%lx 0x%lx\n", RTC_BASE, RTC_SIZE);
	CHECK(strstr(g, line), "no RTC range in the first grant");
	snprintf(line, sizeof(line), "irq %d level\n", RTC_IRQ);
	CHECK(strstr(g, line), "no RTC interrupt in the first grant");
	check_no_range_in(g, RAM_BASE, RAM_END, "RAM");
	/* The console is the serial daemon's to take (kernel/console.h). */
	snprintf(line, sizeof(line), "mem 0x%lx 0x%lx\n", UART_BASE, PAGE);
	CHECK(strstr(g, line), "no console UART range in the first grant");
	check_no_range_in(g, GIC_DIST_BASE, GIC_DIST_BASE + PAGE, "the GIC");
	snprintf(line, sizeof(line), "irq %d ", TIMER_IRQ);
	CHECK(!strstr(g, line), "the timer's interrupt is granted");
	snprintf(line, sizeof(line), "irq %d level\n", UART_IRQ);
	CHECK(strstr(g, line), "no console interrupt in the first grant");
}

static void check_malformed_narrowing(void)
{
	static char too_long[2048];
	char before[GRANT_TEXT];

	strcpy(before, grant_read());
	CHECK(grant_write("\n", 1) == EINVAL, "a write naming no node is not EINVAL");
	CHECK(grant_write("/nonexistent@0", 14) == ENOENT, "an unknown node is not ENOENT");
	CHECK(grant_write(RTC_NODE "\0x", sizeof(RTC_NODE) + 1) == EINVAL, "a NUL inside is not EINVAL");
	memset(too_long, '/', sizeof(too_long));
	CHECK(grant_write(too_long, sizeof(too_long)) == EINVAL, "an over-long write is not EINVAL");
	CHECK(grant_write(RTC_NODE "\n/nonexistent@0", strlen(RTC_NODE "\n/nonexistent@0")) == ENOENT,
	      "a list with an unknown node is not ENOENT");
	CHECK(strcmp(before, grant_read()) == 0, "a refused write changed the grant");
	printf("malformed narrowing refused, grant unchanged\n");
}

static void check_first_refusals(void)
{
	volatile uint32_t *p;
	int fd;

	CHECK(map_rw(RAM_BASE, PAGE) == EPERM, "RAM at 0x%lx is not EPERM", RAM_BASE);
	/* Not the console UART: mapping it would hand the console over. */
	CHECK(map_rw(GIC_DIST_BASE, PAGE) == EPERM, "the GIC is not EPERM");
	CHECK(map_dev(RTC_BASE, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, NULL) == EPERM,
	      "executable device memory is not EPERM");
	CHECK(map_dev(RTC_BASE, PAGE, PROT_READ, MAP_PRIVATE, NULL) == EINVAL,
	      "a private device mapping is not EINVAL");
	fd = open("memory:", O_RDONLY);
	CHECK(fd >= 0, "open memory: read-only: %s", strerror(errno));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)RTC_BASE);
	CHECK(p == MAP_FAILED && errno == EACCES, "writable mapping of a read-only memory: is not EACCES");
	close(fd);
	CHECK(open_irq(TIMER_IRQ, NULL) == EPERM, "the timer's interrupt is not EPERM");
	/* The kernel's until a process maps the UART (the hand-over); init
	 * runs this test once pl011d serves the console, so pl011d has it. */
	CHECK(open_irq(UART_IRQ, NULL) == EBUSY, "the console's interrupt (pl011d's) is not EBUSY");
	CHECK(open("memory:x", O_RDWR) < 0 && errno == ENOENT, "memory:x is not ENOENT");
	CHECK(open("irq:x", O_RDWR) < 0 && errno == ENOENT, "irq:x is not ENOENT");
	CHECK(open("irq:034", O_RDWR) < 0 && errno == ENOENT, "irq:034 is not ENOENT");
	CHECK(open("irq:99999", O_RDWR) < 0 && errno == ENOENT, "irq:99999 is not ENOENT");
	printf("kernel devices, RAM and bad names refused\n");
}

/* In a child: narrowed to the GPIO controller, the RTC is out of reach;
 * narrowing to the RTC then leaves nothing (a grant never widens). */
static void child_other_node(void)
{
	CHECK(grant_write(GPIO_NODE, strlen(GPIO_NODE)) == 0, "narrow to " GPIO_NODE);
	CHECK(map_rw(GPIO_BASE, PAGE) == 0, "map the GPIO controller it was granted");
	CHECK(map_rw(RTC_BASE, PAGE) == EPERM, "RTC registers without a grant are not EPERM");
	CHECK(open_irq(RTC_IRQ, NULL) == EPERM, "the RTC interrupt without a grant is not EPERM");
	CHECK(grant_write(RTC_NODE, strlen(RTC_NODE)) == 0, "narrow to " RTC_NODE);
	CHECK(strcmp(grant_read(), "") == 0, "narrowing to another node widened: %s", grant_text);
	CHECK(map_rw(RTC_BASE, PAGE) == EPERM, "RTC registers after a widening attempt");
	CHECK(map_rw(GPIO_BASE, PAGE) == EPERM, "GPIO registers after narrowing away");
	CHECK(open("memory:", O_RDONLY) < 0 && errno == EPERM, "memory: opens with an empty grant");
	CHECK(open_irq(GPIO_IRQ, NULL) == EPERM, "GPIO interrupt after narrowing away");
	exit(0);
}

static void check_other_node(void)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		child_other_node();
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the narrowed child failed");
	printf("narrowed child: other device refused, grant never widens\n");
}

static void check_rtc_grant(void)
{
	char want[128];

	CHECK(grant_write(RTC_NODE "\n", sizeof(RTC_NODE)) == 0, "narrow to " RTC_NODE ": %s", strerror(errno));
	snprintf(want, sizeof(want), "mem 0x%lx 0x%lx\nirq %d level\n", RTC_BASE, RTC_SIZE, RTC_IRQ);
	CHECK(strcmp(grant_read(), want) == 0, "RTC grant is:\n%s", grant_text);
	CHECK(map_rw(RTC_BASE, 2 * PAGE) == EPERM, "a mapping past the RTC's range is not EPERM");
	CHECK(map_rw(GPIO_BASE, PAGE) == EPERM, "another device's range is not EPERM");
	CHECK(open_irq(GPIO_IRQ, NULL) == EPERM, "another device's interrupt is not EPERM");
	printf("narrowed to the RTC: its range and interrupt only\n");
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A wait for an interrupt that never comes ends with EINTR on a signal. */
static void check_eintr(int irq_fd)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = SIGNAL_AFTER_US } };
	uint64_t count;

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer: %s", strerror(errno));
	CHECK(read(irq_fd, &count, sizeof(count)) < 0 && errno == EINTR, "a signal did not interrupt the wait");
}

static void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	CHECK(fl >= 0 && fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) == 0, "fcntl: %s",
	      strerror(errno));
}

/* A device mapping is never executable, is shared with a forked child
 * (registers, not a copy), and the child's exit with it still mapped gives
 * nothing to the page allocator (or the next check would find it broken). */
static void check_mapping_kept(volatile uint32_t *rtc)
{
	int status;
	pid_t pid;

	CHECK(mprotect((void *)rtc, RTC_SIZE, PROT_READ | PROT_EXEC) < 0 && errno == EACCES,
	      "mprotect to executable device memory is not EACCES");
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(rtc[RTCDR] >= PLAUSIBLE_TIME ? 0 : 1);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child did not read the RTC");
	CHECK(rtc[RTCDR] >= PLAUSIBLE_TIME, "RTCDR unreadable after the child's exit");
}

/* A daemon's data copy moves a caller's buffer through its pages
 * (kernel/scheme/uscheme_data.c), which device registers are not: a read
 * from a file initfsd serves into the mapping, and a write from it, are
 * EFAULT and touch nothing (Linux's get_user_pages refuses VM_IO mappings
 * the same way; its read(2) would store through the user mapping). */
static void check_daemon_copy_refused(volatile uint32_t *rtc)
{
	int fd = open(SELF_PATH, O_RDONLY);
	uint32_t match = rtc[RTCMR];

	CHECK(fd >= 0, "open %s: %s", SELF_PATH, strerror(errno));
	CHECK(read(fd, (void *)&rtc[RTCMR], sizeof(uint32_t)) < 0 && errno == EFAULT,
	      "a daemon's read into device registers is not EFAULT");
	CHECK(rtc[RTCMR] == match, "a refused read changed RTCMR");
	close(fd);
	fd = open(SCRATCH_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0, "open %s: %s", SCRATCH_PATH, strerror(errno));
	CHECK(write(fd, (const void *)&rtc[RTCDR], sizeof(uint32_t)) < 0 && errno == EFAULT,
	      "a daemon's write from device registers is not EFAULT");
	close(fd);
	CHECK(unlink(SCRATCH_PATH) == 0, "unlink %s: %s", SCRATCH_PATH, strerror(errno));
}

/* The kernel's own stores into a process's memory (CLONE_CHILD_SETTID's
 * tid, written into the child) skip device registers as a word that
 * cannot be written: the child runs, RTCMR keeps its value. Linux would
 * store through the child's mapping. */
static void check_settid_refused(volatile uint32_t *rtc)
{
	uint32_t match = rtc[RTCMR];
	int status;
	long pid = syscall(SYS_clone, SIGCHLD | CLONE_CHILD_SETTID, 0, NULL, NULL, &rtc[RTCMR]);

	CHECK(pid >= 0, "clone with CLONE_CHILD_SETTID: %s", strerror(errno));
	if (pid == 0)
		syscall(SYS_exit, 0);
	CHECK(waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the CLONE_CHILD_SETTID child did not exit 0");
	CHECK(rtc[RTCMR] == match, "the child's tid was stored into RTCMR");
}

static void check_rtc_round_trip(void)
{
	volatile uint32_t *rtc;
	uint64_t count = 0, ack = 1;
	uint32_t now;
	int irq_fd;

	CHECK(map_dev(RTC_BASE, RTC_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, &rtc) == 0, "map the RTC: %s",
	      strerror(errno));
	now = rtc[RTCDR];
	CHECK(now >= PLAUSIBLE_TIME, "RTCDR %u is not a plausible time", now);
	printf("RTCDR: %u\n", now);
	rtc[RTCIMSC] = 0;
	rtc[RTCICR] = RTCINTR;
	CHECK(open_irq(RTC_IRQ, &irq_fd) == 0, "claim the RTC interrupt: %s", strerror(errno));
	CHECK(open_irq(RTC_IRQ, NULL) == EBUSY, "a second claim is not EBUSY");
	set_nonblock(irq_fd, true);
	CHECK(read(irq_fd, &count, sizeof(count)) < 0 && errno == EAGAIN, "nothing fired, yet no EAGAIN");
	CHECK(read(irq_fd, &count, 4) < 0 && errno == EINVAL, "a short read is not EINVAL");
	CHECK(write(irq_fd, (void *)8, sizeof(ack)) < 0 && errno == EFAULT, "a bad ack buffer is not EFAULT");
	CHECK(write(irq_fd, &ack, 4) < 0 && errno == EINVAL, "a short ack is not EINVAL");
	set_nonblock(irq_fd, false);
	check_eintr(irq_fd);
	/* The alarm: RTCMR one second on, its interrupt unmasked. */
	{
		/* Readiness first: poll says nothing has fired, then epoll
		 * (armed before the alarm) wakes when it does. */
		struct pollfd pfd = { .fd = irq_fd, .events = POLLIN };
		struct epoll_event ev = { .events = EPOLLIN }, got;
		int ep = epoll_create1(EPOLL_CLOEXEC);

		CHECK(poll(&pfd, 1, 0) == 0, "poll says an irq that has not fired is ready");
		CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, irq_fd, &ev) == 0, "epoll_ctl on irq: %s",
		      strerror(errno));
		rtc[RTCIMSC] = RTCINTR;
		rtc[RTCMR] = rtc[RTCDR] + 1;
		CHECK(epoll_wait(ep, &got, 1, ALARM_WAIT_MS) == 1 && (got.events & EPOLLIN),
		      "epoll did not see the alarm interrupt: %s", strerror(errno));
		close(ep);
	}
	CHECK(read(irq_fd, &count, sizeof(count)) == sizeof(count), "wait for the alarm: %s", strerror(errno));
	CHECK(count >= 1, "the alarm fired %llu times", (unsigned long long)count);
	CHECK(rtc[RTCMIS] & RTCINTR, "the RTC's masked status shows no alarm");
	printf("alarm interrupt %d fired (%llu)\n", RTC_IRQ, (unsigned long long)count);
	rtc[RTCICR] = RTCINTR;
	CHECK(write(irq_fd, &ack, sizeof(ack)) == sizeof(ack), "ack: %s", strerror(errno));
	set_nonblock(irq_fd, true);
	CHECK(read(irq_fd, &count, sizeof(count)) < 0 && errno == EAGAIN, "fired again after the ack");
	rtc[RTCIMSC] = 0;
	close(irq_fd);
	CHECK(open_irq(RTC_IRQ, &irq_fd) == 0, "the interrupt was not released at close: %s", strerror(errno));
	close(irq_fd);
	check_mapping_kept(rtc);
	check_daemon_copy_refused(rtc);
	check_settid_refused(rtc);
	CHECK(munmap((void *)rtc, RTC_SIZE) == 0, "munmap: %s", strerror(errno));
	printf("acknowledged, unmasked, released\n");
}

int main(void)
{
	check_first_grant();
	check_malformed_narrowing();
	check_first_refusals();
	check_other_node();
	check_rtc_grant();
	check_rtc_round_trip();
	printf("PASS: t_devrights\n");
	return 0;
}
