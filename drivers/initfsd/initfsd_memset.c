/*
 * drivers/initfsd/initfsd_memset.c: memset for /bin/init and initfsd in
 * general registers only, replacing musl's (whose AArch64 version fills
 * with SIMD stores; a static link takes this one instead). initfsd clears
 * a struct or two per request (a status, a handle), and after every
 * switch the first FP/SIMD instruction of a thread traps to load its FP
 * state (arch/aarch64/fpsimd.c): with this, and the code built
 * -mgeneral-regs-only (initfsd.mk), a request runs none.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WORD sizeof(uint64_t)
#define BLOCK (4 * WORD)
#define BYTE_REPEAT 0x0101010101010101ull /* a byte times this fills a word with it */

/* Not compiled into a call to memset itself (GCC recognizes the loops). */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t w = (uint8_t)c * BYTE_REPEAT;

	/* Bytes up to a word boundary, blocks of words (a struct stat is
	 * four), words, then the last bytes. */
	while (n > 0 && ((uintptr_t)d & (WORD - 1))) {
		*d++ = (uint8_t)c;
		n--;
	}
	for (; n >= BLOCK; n -= BLOCK, d += BLOCK)
		for (size_t i = 0; i < BLOCK; i += WORD)
			memcpy(d + i, &w, WORD); /* unrolled: BLOCK / WORD stores */
	for (; n >= WORD; n -= WORD, d += WORD)
		memcpy(d, &w, WORD); /* one store */
	while (n > 0) {
		*d++ = (uint8_t)c;
		n--;
	}
	return dst;
}
