/*
 * kernel/stack_chk.c: the stack-protector symbols Debian's libfdt.a was
 * built to use (it is compiled for Linux user space with
 * -fstack-protector). The kernel itself is built without the protector;
 * the guard value is fixed because libfdt only runs at boot.
 */
#include "kernel/panic.h"

#define STACK_GUARD_VALUE 0x416e6f6465d00d00UL /* "Anode" and a pattern */

unsigned long __stack_chk_guard = STACK_GUARD_VALUE;

__noreturn void __stack_chk_fail(void);
__noreturn void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed in libfdt");
}
