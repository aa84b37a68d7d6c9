/*
 * kernel/lib/libc/word_at_a_time.h: the constants of the has-zero test,
 * shared by the kernel's strlen (string.c) and __strncpy_from_user
 * (arch/aarch64/uaccess_copy.S). For a 64-bit word w,
 * (w - WORD_ONES) & ~w & WORD_HIGHS is nonzero exactly when a byte of w is
 * zero (as Linux's word-at-a-time.h). Plain literals: the assembler reads
 * this file too.
 */
#ifndef KLIBC_WORD_AT_A_TIME_H
#define KLIBC_WORD_AT_A_TIME_H

#define WORD_BYTES 8
#define WORD_ONES 0x0101010101010101
#define WORD_HIGHS 0x8080808080808080

#endif
