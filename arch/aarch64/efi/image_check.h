/*
 * arch/aarch64/efi/image_check.h: checks the 64-byte arm64 Image header
 * (Linux Documentation/arch/arm64/booting.rst) of kernel.img before the EFI
 * loader places it. Pure C without UEFI, so the host tests run it as is.
 */
#ifndef EFI_IMAGE_CHECK_H
#define EFI_IMAGE_CHECK_H

#include <stdint.h>

#define IMAGE_HEADER_SIZE 64
#define IMAGE_TEXT_OFFSET_OFF 0x08	/* u64 LE: load offset from a 2 MiB boundary */
#define IMAGE_SIZE_OFF 0x10		/* u64 LE: bytes to reserve, bss included */
#define IMAGE_FLAGS_OFF 0x18		/* u64 LE */
#define IMAGE_MAGIC_OFF 0x38		/* "ARM\x64" */
#define IMAGE_MAGIC 0x644d5241u		/* the magic read as a LE u32 */

#define IMAGE_FLAG_BE (1u << 0)		/* kernel is big-endian */
#define IMAGE_FLAG_PAGE_SHIFT 1		/* bits 1-2: kernel page size */
#define IMAGE_FLAG_PAGE_MASK (3u << IMAGE_FLAG_PAGE_SHIFT)
#define IMAGE_PAGE_UNSPECIFIED 0
#define IMAGE_PAGE_4K 1
#define IMAGE_FLAG_ANYWHERE (1u << 3)	/* any 2 MiB-aligned base in RAM */

#define IMAGE_ALIGN (UINT64_C(2) << 20)		/* the image base alignment */
#define IMAGE_TEXT_ALIGN (UINT64_C(4) << 10)	/* text_offset granule */
#define IMAGE_SIZE_MAX (UINT64_C(512) << 20)	/* anything larger is corrupt */

enum image_status {
	IMAGE_OK,
	IMAGE_ERR_SHORT,	/* file shorter than the header */
	IMAGE_ERR_MAGIC,
	IMAGE_ERR_ENDIAN,
	IMAGE_ERR_PAGE_SIZE,
	IMAGE_ERR_PLACEMENT,
	IMAGE_ERR_SIZE_ZERO,
	IMAGE_ERR_SIZE_TOO_BIG,
	IMAGE_ERR_SIZE_BELOW_FILE,
	IMAGE_ERR_TEXT_OFFSET,
};

/* What the loader needs from a header that passed. */
struct image_info {
	uint64_t text_offset;	/* the image starts this far above its 2 MiB base */
	uint64_t image_size;	/* bytes from the image start, bss included */
};

/*
 * Checks the header at head, which holds the first min(file_size, 64)
 * bytes of a file of file_size bytes. On IMAGE_OK fills *info.
 */
enum image_status image_check(const void *head, uint64_t file_size, struct image_info *info);

/* One line saying why a header was refused (or "ok"). */
const char *image_status_str(enum image_status status);

#endif
