/*
 * tests/host/test_kmem.c: the kernel's memcpy and memset
 * (kernel/lib/libc/mem.c), compiled in here as kmem_memcpy and
 * kmem_memset: every length 0..160 at every source and destination offset
 * 0..15 copies exactly those bytes and touches none around them (the
 * unaligned word path and its overlapping last word included), and a
 * forward overlapping copy (dst below src, as memmove uses memcpy) is
 * right at every distance.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#define memcpy kmem_memcpy
#define memset kmem_memset
#include "kernel/lib/libc/mem.c"
#undef memcpy
#undef memset

#define MAX_LEN 160
#define MAX_OFF 16
#define GUARD 16
#define BUF (GUARD + MAX_OFF + MAX_LEN + GUARD)
#define FILL 0xa5

static _Alignas(16) unsigned char src[BUF], dst[BUF], want[BUF];

static void pattern(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static void test_copy_every_length_and_offset(void **state)
{
	(void)state;
	for (size_t len = 0; len <= MAX_LEN; len++)
		for (size_t so = 0; so < MAX_OFF; so++)
			for (size_t doff = 0; doff < MAX_OFF; doff++) {
				pattern(src, BUF, (unsigned)len);
				memset(dst, FILL, BUF);
				memset(want, FILL, BUF);
				memcpy(want + GUARD + doff, src + GUARD + so, len);
				assert_ptr_equal(kmem_memcpy(dst + GUARD + doff, src + GUARD + so, len),
						 dst + GUARD + doff);
				assert_memory_equal(dst, want, BUF);
			}
}

static void test_set_every_length_and_offset(void **state)
{
	(void)state;
	for (size_t len = 0; len <= MAX_LEN; len++)
		for (size_t off = 0; off < MAX_OFF; off++) {
			memset(dst, FILL, BUF);
			memset(want, FILL, BUF);
			memset(want + GUARD + off, 0x3c, len);
			assert_ptr_equal(kmem_memset(dst + GUARD + off, 0x3c, len), dst + GUARD + off);
			assert_memory_equal(dst, want, BUF);
		}
}

/* memmove (kernel/lib/libc/string.c) hands a copy whose destination is
 * below its source to memcpy, overlapping or not. */
static void test_forward_overlap(void **state)
{
	(void)state;
	for (size_t len = 0; len <= MAX_LEN; len++)
		for (size_t dist = 1; dist < MAX_OFF; dist++)
			for (size_t off = 0; off < 8; off++) {
				unsigned char *base = dst + GUARD + off;

				pattern(dst, BUF, (unsigned)dist);
				memcpy(want, dst, BUF);
				memmove(want + GUARD + off, want + GUARD + off + dist, len);
				kmem_memcpy(base, base + dist, len);
				assert_memory_equal(dst, want, BUF);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_every_length_and_offset),
		cmocka_unit_test(test_set_every_length_and_offset),
		cmocka_unit_test(test_forward_overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
