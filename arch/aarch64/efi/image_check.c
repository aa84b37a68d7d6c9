/*
 * arch/aarch64/efi/image_check.c: validation of the arm64 Image header of
 * kernel.img (see image_check.h). The header is little-endian whatever the
 * host, so fields are assembled byte by byte.
 */
#include "image_check.h"

#define BITS_PER_BYTE 8

static uint64_t read_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (i * BITS_PER_BYTE);
	return v;
}

enum image_status image_check(const void *head, uint64_t file_size, struct image_info *info)
{
	const uint8_t *h = head;
	uint64_t text_offset, image_size, flags, page;

	if (file_size < IMAGE_HEADER_SIZE)
		return IMAGE_ERR_SHORT;
	if (read_le(h + IMAGE_MAGIC_OFF, sizeof(uint32_t)) != IMAGE_MAGIC)
		return IMAGE_ERR_MAGIC;
	text_offset = read_le(h + IMAGE_TEXT_OFFSET_OFF, sizeof(uint64_t));
	image_size = read_le(h + IMAGE_SIZE_OFF, sizeof(uint64_t));
	flags = read_le(h + IMAGE_FLAGS_OFF, sizeof(uint64_t));

	if (flags & IMAGE_FLAG_BE)
		return IMAGE_ERR_ENDIAN;
	page = (flags & IMAGE_FLAG_PAGE_MASK) >> IMAGE_FLAG_PAGE_SHIFT;
	if (page != IMAGE_PAGE_UNSPECIFIED && page != IMAGE_PAGE_4K)
		return IMAGE_ERR_PAGE_SIZE;
	if (!(flags & IMAGE_FLAG_ANYWHERE))
		return IMAGE_ERR_PLACEMENT;
	if (image_size == 0)
		return IMAGE_ERR_SIZE_ZERO;
	if (image_size > IMAGE_SIZE_MAX)
		return IMAGE_ERR_SIZE_TOO_BIG;
	if (image_size < file_size)
		return IMAGE_ERR_SIZE_BELOW_FILE;
	if (text_offset >= IMAGE_ALIGN || text_offset % IMAGE_TEXT_ALIGN)
		return IMAGE_ERR_TEXT_OFFSET;

	info->text_offset = text_offset;
	info->image_size = image_size;
	return IMAGE_OK;
}

const char *image_status_str(enum image_status status)
{
	switch (status) {
	case IMAGE_OK:
		return "ok";
	case IMAGE_ERR_SHORT:
		return "file is shorter than the 64-byte arm64 Image header";
	case IMAGE_ERR_MAGIC:
		return "no arm64 Image magic \"ARM\\x64\" at offset 0x38: not an arm64 Image";
	case IMAGE_ERR_ENDIAN:
		return "big-endian kernel (flags bit 0 set): only little-endian kernels boot";
	case IMAGE_ERR_PAGE_SIZE:
		return "kernel needs 16 KiB or 64 KiB pages (flags bits 1-2): only 4 KiB is supported";
	case IMAGE_ERR_PLACEMENT:
		return "kernel must sit at the base of RAM (flags bit 3 clear): only 'anywhere' images boot";
	case IMAGE_ERR_SIZE_ZERO:
		return "image_size is 0 (pre-3.17 Linux header or corrupt file)";
	case IMAGE_ERR_SIZE_TOO_BIG:
		return "image_size is absurd (over 512 MiB): corrupt header";
	case IMAGE_ERR_SIZE_BELOW_FILE:
		return "image_size is smaller than the file: corrupt header or truncated size";
	case IMAGE_ERR_TEXT_OFFSET:
		return "text_offset is not a 4 KiB multiple below 2 MiB: corrupt header";
	}
	return "unknown image check result";
}
