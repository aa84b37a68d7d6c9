/*
 * arch/aarch64/efi/include/limits.h: integer limits for libfdt's headers in
 * the freestanding EFI loader, from the compiler's predefined macros (GCC's
 * own limits.h wants a C library's underneath).
 */
#ifndef EFI_LIBC_LIMITS_H
#define EFI_LIBC_LIMITS_H

#define CHAR_BIT __CHAR_BIT__
#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)

#endif
