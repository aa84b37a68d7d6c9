/*
 * t_siginfo_tail: the siginfo an SA_SIGINFO handler sees is whole, whatever
 * was on the stack where its frame goes: the fields the sender filled
 * (kill's SI_USER with pid and uid, sigqueue's SI_QUEUE and value, tgkill's
 * SI_TKILL, a fault's si_addr) and zeros everywhere else up to its 128
 * bytes, as Linux's copy_siginfo_to_user. Before each signal the stack
 * below the caller is filled with a non-zero byte, so a frame writer that
 * left any of those bytes alone shows them. A plain handler's delivery
 * after that still runs (its frame carries no siginfo).
 * Prints "PASS: t_siginfo_tail" or "FAIL: t_siginfo_tail: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL(...) do { \
	printf("FAIL: t_siginfo_tail: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* Below the caller's stack pointer: more than a signal frame (Linux's
 * rt_sigframe with its 4 KiB of extension space) and the handler's own. */
#define DIRTY_BYTES (32 * 1024)
#define DIRTY_BYTE 0xa5
#define QUEUED_VALUE 0x5a5a
/* siginfo_t's header: si_signo, si_errno, si_code and its padding. */
#define HEADER_BYTES 16
/* The union's members this test sees filled (asm-generic/siginfo.h):
 * kill's {pid, uid} and sigqueue's value after them; a fault's address. */
#define KILL_BYTES (HEADER_BYTES + 16)
#define FAULT_BYTES (HEADER_BYTES + 8)
#define FAULT_ADDRESS 16UL /* unmapped: page 0 */

static volatile sig_atomic_t hits;
static siginfo_t seen;          /* the handler's copy of its siginfo */
static sigjmp_buf back;
/* Read through a volatile pointer: the compiler sees no constant address. */
static volatile int *volatile bad_ptr = (volatile int *)FAULT_ADDRESS;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	memcpy(&seen, si, sizeof(seen));
	hits++;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	on_info(sig, si, uc);
	siglongjmp(back, 1);
}

static void on_plain(int sig)
{
	(void)sig;
	hits++;
}

/* Fills the stack below its caller with DIRTY_BYTE (volatile: the stores
 * stay). */
static __attribute__((noinline)) void dirty_stack(void)
{
	volatile unsigned char junk[DIRTY_BYTES];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = DIRTY_BYTE;
}

static void set_handler(int sig, void (*info)(int, siginfo_t *, void *), void (*plain)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (info) {
		sa.sa_sigaction = info;
		sa.sa_flags = SA_SIGINFO;
	} else {
		sa.sa_handler = plain;
	}
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

/* Every byte of seen from off on is zero, or the first one that is not. */
static long nonzero_from(size_t off)
{
	const unsigned char *b = (const unsigned char *)&seen;

	for (size_t i = off; i < sizeof(seen); i++)
		if (b[i])
			return (long)i;
	return -1;
}

static void expect(const char *what, int sig, int code, size_t filled)
{
	long bad = nonzero_from(filled);

	CHECK(hits == 1, "%s: handler ran %d times", what, (int)hits);
	CHECK(seen.si_signo == sig && seen.si_code == code && seen.si_errno == 0,
	      "%s: signo %d code %d errno %d", what, seen.si_signo, seen.si_code, seen.si_errno);
	CHECK(bad < 0, "%s: byte %ld of the siginfo is %#x, want 0", what, bad,
	      ((const unsigned char *)&seen)[bad < 0 ? 0 : bad]);
	printf("t_siginfo_tail: %s ok\n", what);
}

int main(void)
{
	union sigval v = { .sival_int = QUEUED_VALUE };

	setvbuf(stdout, NULL, _IOLBF, 0);
	set_handler(SIGUSR1, on_info, NULL);

	hits = 0;
	dirty_stack();
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
	expect("kill", SIGUSR1, SI_USER, KILL_BYTES);
	CHECK(seen.si_pid == getpid() && seen.si_uid == getuid() && seen.si_value.sival_int == 0,
	      "kill: pid %d uid %u value %d", seen.si_pid, seen.si_uid, seen.si_value.sival_int);

	hits = 0;
	dirty_stack();
	CHECK(sigqueue(getpid(), SIGUSR1, v) == 0, "sigqueue: %s", strerror(errno));
	expect("sigqueue", SIGUSR1, SI_QUEUE, KILL_BYTES);
	CHECK(seen.si_pid == getpid() && seen.si_value.sival_int == QUEUED_VALUE,
	      "sigqueue: pid %d value %d", seen.si_pid, seen.si_value.sival_int);

	hits = 0;
	dirty_stack();
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0, "tgkill: %s", strerror(errno));
	expect("tgkill", SIGUSR1, SI_TKILL, KILL_BYTES);
	CHECK(seen.si_pid == getpid() && seen.si_uid == getuid(), "tgkill: pid %d uid %u",
	      seen.si_pid, seen.si_uid);

	set_handler(SIGSEGV, on_segv, NULL);
	hits = 0;
	dirty_stack();
	if (!sigsetjmp(back, 1))
		*bad_ptr = 1;
	expect("fault", SIGSEGV, SEGV_MAPERR, FAULT_BYTES);
	CHECK((uintptr_t)seen.si_addr == FAULT_ADDRESS, "fault: si_addr %p, want %#lx", seen.si_addr,
	      FAULT_ADDRESS);

	/* A plain handler's frame: no siginfo written, the handler runs. */
	set_handler(SIGUSR1, NULL, on_plain);
	hits = 0;
	dirty_stack();
	CHECK(kill(getpid(), SIGUSR1) == 0 && hits == 1, "plain handler ran %d times", (int)hits);
	printf("PASS: t_siginfo_tail\n");
	return 0;
}
