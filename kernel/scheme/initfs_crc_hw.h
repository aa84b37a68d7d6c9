/*
 * kernel/scheme/initfs_crc_hw.h: the CRC-32 of kernel/scheme/initfs.c with
 * the Armv8 CRC32 instructions (CRC32B/CRC32X: zlib's polynomial,
 * reflected, so the same value as the table), eight bytes an instruction
 * instead of one byte per table step: the boot archive's check was some
 * 40M instructions of the kernel's boot, most of it. Only AArch64 builds
 * use it, and only when the CPU has the instructions (optional in Armv8.0,
 * Arm ARM A2.3; FEAT_CRC32): the kernel asks ID_AA64ISAR0_EL1, a user
 * program AT_HWCAP. Everything else keeps the table (initfs_crc_hw_ok()
 * is false).
 */
#ifndef KERNEL_INITFS_CRC_HW_H
#define KERNEL_INITFS_CRC_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__aarch64__)
#include <arm_acle.h>

/* ID_AA64ISAR0_EL1.CRC32, bits [19:16] (Arm ARM D19.2.61): nonzero with FEAT_CRC32. */
#define INITFS_ISAR0_CRC32_SHIFT 16
#define INITFS_ISAR0_CRC32_MASK 0xfUL
/* Linux's arm64 HWCAP_CRC32 (uapi/asm/hwcap.h): the same fact for user space. */
#define INITFS_HWCAP_CRC32 (1UL << 7)
#define INITFS_AT_HWCAP 16 /* Linux's AT_HWCAP (uapi/linux/auxvec.h) */

#if __STDC_HOSTED__
unsigned long getauxval(unsigned long type);
#endif

static inline bool initfs_crc_hw_ok(void)
{
#if __STDC_HOSTED__
	return (getauxval(INITFS_AT_HWCAP) & INITFS_HWCAP_CRC32) != 0;
#else
	uint64_t isar0;

	__asm__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return ((isar0 >> INITFS_ISAR0_CRC32_SHIFT) & INITFS_ISAR0_CRC32_MASK) != 0;
#endif
}

/* Eight bytes at p, any alignment (the builtin: -ffreestanding would call memcpy). */
static inline uint64_t initfs_crc_load64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Bytes one unrolled step takes: the loop's own instructions count too. */
#define INITFS_CRC_HW_STEP 128

/* crc is the running value already inverted (initfs_crc32's ~crc). */
__attribute__((target("+crc"))) static inline uint32_t initfs_crc_hw(uint32_t crc,
								      const uint8_t *p,
								      size_t len)
{
	for (; len >= INITFS_CRC_HW_STEP; len -= INITFS_CRC_HW_STEP, p += INITFS_CRC_HW_STEP) {
		/* Unrolled whole, so that the loads pair into LDP. */
#pragma GCC unroll 16
		for (size_t i = 0; i < INITFS_CRC_HW_STEP; i += 2 * sizeof(uint64_t)) {
			uint64_t lo = initfs_crc_load64(p + i);
			uint64_t hi = initfs_crc_load64(p + i + sizeof(uint64_t));

			crc = __crc32d(crc, lo);
			crc = __crc32d(crc, hi);
		}
	}
	for (; len >= sizeof(uint64_t); len -= sizeof(uint64_t), p += sizeof(uint64_t))
		crc = __crc32d(crc, initfs_crc_load64(p));
	while (len--)
		crc = __crc32b(crc, *p++);
	return crc;
}
#else
static inline bool initfs_crc_hw_ok(void)
{
	return false;
}

static inline uint32_t initfs_crc_hw(uint32_t crc, const uint8_t *p, size_t len)
{
	(void)p;
	(void)len;
	return crc;
}
#endif

#endif
