/*
 * tests/user/drvtest_driver.c: the driver t_drvmgr has drvmgr start (not a
 * test itself: no t_ prefix, so no test list runs it). drvmgr runs it as
 *     /tests/drvtest_driver MODE NODE-PATH
 * for QEMU virt's PL031 (/pl031@9010000). MODE "crash" exits at once with
 * CRASH_STATUS (a crash loop). MODE "badconf" exits at once with
 * CONFIG_STATUS, a driver's configuration error. MODE "stay" first checks what drvmgr gave
 * it: its grant (grant:) is exactly the RTC's registers and interrupt; it
 * can map those registers and claim that interrupt (or find it busy: a
 * system pl031d may hold it), while memory: refuses another device's
 * registers (the PL061 GPIO) and irq: another interrupt (the PL061's) with
 * EPERM; and its namespace lacks what the table did not give it (sys:).
 * It then prints "drvtest: NODE-PATH ok pid PID" and waits for a signal
 * forever; on a failed check it prints "drvtest: NODE-PATH FAIL: reason"
 * and exits CHECK_STATUS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CRASH_STATUS 3
#define CHECK_STATUS 2
#define CONFIG_STATUS 2 /* drivers/drvmgr/backoff.h's BACKOFF_EXIT_CONFIG */
/* QEMU virt's tree; GIC SPI n is INTID 32 + n (GIC architecture spec 2.2). */
#define RTC_NODE "/pl031@9010000"
#define RTC_BASE 0x9010000UL
#define RTC_GRANT "mem 0x9010000 0x1000\nirq 34 level\n"
/* The table's fourth field gives the "stay" driver the clock right too. */
#define RTC_GRANT_CLOCK RTC_GRANT "right clock\n"
#define RTC_INTID 34
#define GPIO_BASE 0x9030000UL
#define GPIO_INTID 39
#define PAGE 0x1000UL
#define GRANT_TEXT 1024

static const char *node = "?";

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("drvtest: %s FAIL: ", node); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		exit(CHECK_STATUS); \
	} \
} while (0)

static int map_errno(uint64_t phys)
{
	int fd = open("memory:", O_RDWR), err = 0;
	void *p;

	CHECK(fd >= 0, "open memory: %s", strerror(errno));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)phys);
	if (p == MAP_FAILED)
		err = errno;
	else
		munmap(p, PAGE);
	close(fd);
	return err;
}

static int irq_errno(unsigned n)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "irq:%u", n);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static void check_rights(void)
{
	char text[GRANT_TEXT];
	int fd = open("grant:", O_RDONLY), err;
	ssize_t n;

	CHECK(fd >= 0, "open grant: %s", strerror(errno));
	n = read(fd, text, sizeof(text) - 1);
	CHECK(n >= 0, "read grant: %s", strerror(errno));
	text[n] = '\0';
	close(fd);
	CHECK(!strcmp(text, RTC_GRANT_CLOCK), "grant is \"%s\", not the RTC's and the clock right", text);
	CHECK(map_errno(RTC_BASE) == 0, "mapping its own registers: %s", strerror(map_errno(RTC_BASE)));
	err = irq_errno(RTC_INTID);
	CHECK(err == 0 || err == EBUSY, "claiming its own interrupt: %s", strerror(err));
	CHECK(map_errno(GPIO_BASE) == EPERM, "the PL061's registers are not EPERM");
	CHECK(irq_errno(GPIO_INTID) == EPERM, "the PL061's interrupt is not EPERM");
	CHECK(open("sys:uname", O_RDONLY) < 0 && errno == ENOENT, "sys: is in its namespace");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: drvtest_driver stay|crash|badconf NODE-PATH\n");
		return CHECK_STATUS;
	}
	node = argv[2];
	if (!strcmp(argv[1], "crash"))
		return CRASH_STATUS;
	if (!strcmp(argv[1], "badconf")) {
		fprintf(stderr, "drvtest: %s: not configured for this device\n", node);
		return CONFIG_STATUS;
	}
	CHECK(!strcmp(node, RTC_NODE), "started for %s, not %s", node, RTC_NODE);
	CHECK(!strcmp(argv[1], "stay"), "unknown mode %s", argv[1]);
	check_rights();
	printf("drvtest: %s ok pid %d\n", node, (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
