/*
 * arch/aarch64/efi/stack_chk.c: the stack-protector symbols Debian's
 * libfdt.a (built for Linux user space) refers to. The loader's other C
 * library functions come from kernel/lib/libc/string.c and, for memcpy and
 * memset, from gnu-efi's libefi.
 */
#include <stdint.h>

/* Any value: libfdt's canaries only need to stay the same while it runs. */
#define STACK_GUARD_VALUE 0x595e9fbd94fda766ul

uintptr_t __stack_chk_guard = STACK_GUARD_VALUE;

__attribute__((noreturn)) void __stack_chk_fail(void);
__attribute__((noreturn)) void __stack_chk_fail(void)
{
	/* The stack is corrupt: touch nothing, stop here for a debugger. */
	for (;;)
		__asm__ volatile("wfe");
}
