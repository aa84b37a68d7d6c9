/*
 * kernel/lib/libc/mem.c: memcpy and memset for the freestanding kernel. Kept
 * apart from string.c because the UEFI loader takes these two from
 * gnu-efi's libefi and the rest from string.c.
 *
 * Both move a block of MEM_BLOCK_WORDS words per loop turn when alignment
 * allows: page copies (copy-on-write), page zeroing (new page tables) and
 * signal frames are most of what they do, and a word at a time spends more
 * instructions on the loop than on the data (the compiler pairs the block's
 * words into LDP/STP).
 *
 * Sides of different alignment (paths and names, copied at any byte
 * offset) move a word at a time with unaligned accesses, which Normal
 * memory allows with SCTLR_EL1.A clear (arch/aarch64/include/asm/sysreg.h;
 * the kernel never memcpy()s device memory, whose accesses must be
 * aligned), and the last partial word as one overlapping word: a 28-byte
 * path is four loads and stores instead of 28 of each. That last word is
 * loaded before anything is stored, so memmove's forward case (dst below
 * src) stays right.
 */
#include <string.h>
#include <stdint.h>

#define WORD sizeof(uint64_t)
#define MEM_BLOCK_WORDS 8
#define MEM_BLOCK (MEM_BLOCK_WORDS * WORD)

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Word copies when both sides share alignment. */
	if ((((uintptr_t)d | (uintptr_t)s) & (WORD - 1)) == 0) {
		for (; n >= MEM_BLOCK; n -= MEM_BLOCK, d += MEM_BLOCK, s += MEM_BLOCK) {
			uint64_t *dw = (uint64_t *)(void *)d;
			const uint64_t *sw = (const uint64_t *)(const void *)s;
			uint64_t w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
			uint64_t w4 = sw[4], w5 = sw[5], w6 = sw[6], w7 = sw[7];

			dw[0] = w0; dw[1] = w1; dw[2] = w2; dw[3] = w3;
			dw[4] = w4; dw[5] = w5; dw[6] = w6; dw[7] = w7;
		}
		for (; n >= WORD; n -= WORD) {
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
			d += WORD;
			s += WORD;
		}
	} else if (n >= WORD) {
		uint64_t last;

		__builtin_memcpy(&last, s + n - WORD, WORD);
		for (; n > WORD; n -= WORD, d += WORD, s += WORD) {
			uint64_t w;

			__builtin_memcpy(&w, s, WORD);
			__builtin_memcpy(d, &w, WORD);
		}
		__builtin_memcpy(d + n - WORD, &last, WORD);
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (((uintptr_t)d & (WORD - 1)) == 0) {
		uint64_t v = (unsigned char)c * 0x0101010101010101ULL;

		for (; n >= MEM_BLOCK; n -= MEM_BLOCK, d += MEM_BLOCK) {
			uint64_t *dw = (uint64_t *)(void *)d;

			dw[0] = v; dw[1] = v; dw[2] = v; dw[3] = v;
			dw[4] = v; dw[5] = v; dw[6] = v; dw[7] = v;
		}
		for (; n >= WORD; n -= WORD) {
			*(uint64_t *)(void *)d = v;
			d += WORD;
		}
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
