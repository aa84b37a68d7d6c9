/*
 * kernel/stack_chk.c: the stack protector. The kernel is built with
 * -fstack-protector-strong (and Debian's libfdt.a with -fstack-protector):
 * functions with arrays or address-taken locals put __stack_chk_guard in
 * their frame and check it before returning. The guard is set once per
 * boot, from the counter and RNDR (asm/rng.h), by stack_chk_init, which
 * head.S calls before kmain: no protected frame is live yet, so none
 * returns with the old value. Secondary CPUs start later and share it.
 */
#include "kernel/panic.h"
#include "kernel/ksyms.h"
#include "kernel/selftest.h"
#include "kernel/random.h"
#include "asm/rng.h"

/* Until stack_chk_init: "Anode" and a pattern. */
#define STACK_GUARD_BOOT 0x416e6f6465d00d00UL
/* The guard's low byte is 0, as glibc's: a string overflow that copies
 * the guard's other bytes back still stops at it. */
#define STACK_GUARD_LOW_BYTE 0xffUL

unsigned long __stack_chk_guard = STACK_GUARD_BOOT;

void stack_chk_init(void) __attribute__((no_stack_protector));
void stack_chk_init(void)
{
	/* Spread the counter's changing low bits over the word. */
	__stack_chk_guard = (splitmix64_mix(cpu_entropy()) ^ STACK_GUARD_BOOT) & ~STACK_GUARD_LOW_BYTE;
}

/* One AArch64 instruction: the call is the one before the return address. */
#define INSN_BYTES 4

/* Called from the epilogue of the function whose guard was overwritten,
 * so the call site names it. The call is often the function's last
 * instruction (this never returns), so the return address itself may
 * already be in the next function. */
__noreturn void __stack_chk_fail(void) __attribute__((no_stack_protector));
__noreturn void __stack_chk_fail(void)
{
	uint64_t at = (uint64_t)__builtin_return_address(0) - INSN_BYTES, off = 0;
	const char *fn = ksym_lookup(at, &off);

	panic("stack protector: stack smashed in %s+0x%lx", fn ? fn : "?", off);
}

static int test_canary(void)
{
	SELFTEST_CHECK(__stack_chk_guard != STACK_GUARD_BOOT, "the canary is still the boot value");
	SELFTEST_CHECK(!(__stack_chk_guard & STACK_GUARD_LOW_BYTE), "the canary's low byte is not 0");
	return 0;
}
SELFTEST(st_canary, "stack canary set per boot", test_canary);
