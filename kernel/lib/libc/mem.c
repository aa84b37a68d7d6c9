/*
 * kernel/lib/libc/mem.c: memcpy and memset for the freestanding kernel. Kept
 * apart from string.c because the UEFI loader takes these two from
 * gnu-efi's libefi and the rest from string.c.
 */
#include <string.h>
#include <stdint.h>
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Word copies when both sides share alignment. */
	if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(uint64_t) - 1)) == 0) {
		for (; n >= sizeof(uint64_t); n -= sizeof(uint64_t)) {
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
			d += sizeof(uint64_t);
			s += sizeof(uint64_t);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (((uintptr_t)d & (sizeof(uint64_t) - 1)) == 0) {
		uint64_t v = (unsigned char)c * 0x0101010101010101ULL;

		for (; n >= sizeof(uint64_t); n -= sizeof(uint64_t)) {
			*(uint64_t *)(void *)d = v;
			d += sizeof(uint64_t);
		}
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

