/*
 * tests/host/test_image_check.c: host unit test of the EFI loader's arm64
 * Image header check (arch/aarch64/efi/image_check.c): Anode's own header
 * passes, and truncated or corrupt images (short file, bad magic, zero,
 * absurd or too-small image_size, big-endian or wrong page-size flags,
 * bad text_offset) are refused with the matching explanation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/efi/image_check.h"

#define FILE_SIZE (80u * 1024)		/* a kernel.img's length */
#define IMAGE_SIZE (300u * 1024)	/* with its bss */
#define ANODE_FLAGS 0xa			/* LE, 4 KiB pages, anywhere */
#define CODE0_BRANCH 0x14000010u	/* b +0x40 */
#define FLAGS_PAGE_16K (2u << IMAGE_FLAG_PAGE_SHIFT)
#define FLAGS_PAGE_64K (3u << IMAGE_FLAG_PAGE_SHIFT)
#define LINUX_TEXT_OFFSET 0x80000	/* what pre-5.8 Linux used: still valid */
#define MIB (1024u * 1024)

static uint8_t head[IMAGE_HEADER_SIZE];

static void put_le(unsigned off, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		head[off + i] = (uint8_t)(v >> (8 * i));
}

/* A header like the one arch/aarch64/boot/head.S writes. */
static void good_header(void)
{
	memset(head, 0, sizeof(head));
	put_le(0, CODE0_BRANCH, sizeof(uint32_t));
	put_le(IMAGE_TEXT_OFFSET_OFF, 0, sizeof(uint64_t));
	put_le(IMAGE_SIZE_OFF, IMAGE_SIZE, sizeof(uint64_t));
	put_le(IMAGE_FLAGS_OFF, ANODE_FLAGS, sizeof(uint64_t));
	memcpy(head + IMAGE_MAGIC_OFF, "ARM\x64", sizeof(uint32_t));
}

/* The check refuses with want, and the message contains phrase. */
static void assert_refused(uint64_t file_size, enum image_status want, const char *phrase)
{
	struct image_info info = { 0 };
	enum image_status got = image_check(head, file_size, &info);

	assert_int_equal(got, want);
	assert_non_null(strstr(image_status_str(got), phrase));
	assert_int_equal(info.image_size, 0);	/* untouched on refusal */
}

static void test_anode_header_passes(void **state)
{
	struct image_info info;

	(void)state;
	good_header();
	assert_int_equal(image_check(head, FILE_SIZE, &info), IMAGE_OK);
	assert_int_equal(info.text_offset, 0);
	assert_int_equal(info.image_size, IMAGE_SIZE);
	assert_string_equal(image_status_str(IMAGE_OK), "ok");
}

static void test_linux_style_header_passes(void **state)
{
	struct image_info info;

	(void)state;
	good_header();
	put_le(IMAGE_TEXT_OFFSET_OFF, LINUX_TEXT_OFFSET, sizeof(uint64_t));
	put_le(IMAGE_FLAGS_OFF, IMAGE_FLAG_ANYWHERE, sizeof(uint64_t));	/* page size unspecified */
	assert_int_equal(image_check(head, FILE_SIZE, &info), IMAGE_OK);
	assert_int_equal(info.text_offset, LINUX_TEXT_OFFSET);
	/* The whole header and nothing else is still an image. */
	put_le(IMAGE_SIZE_OFF, IMAGE_HEADER_SIZE, sizeof(uint64_t));
	assert_int_equal(image_check(head, IMAGE_HEADER_SIZE, &info), IMAGE_OK);
}

static void test_shorter_than_header(void **state)
{
	(void)state;
	good_header();
	assert_refused(0, IMAGE_ERR_SHORT, "shorter than the 64-byte");
	assert_refused(IMAGE_MAGIC_OFF, IMAGE_ERR_SHORT, "shorter than the 64-byte");
	assert_refused(IMAGE_HEADER_SIZE - 1, IMAGE_ERR_SHORT, "shorter than the 64-byte");
}

static void test_bad_magic(void **state)
{
	(void)state;
	good_header();
	head[IMAGE_MAGIC_OFF + 3] = 0x32;	/* "ARM2" */
	assert_refused(FILE_SIZE, IMAGE_ERR_MAGIC, "not an arm64 Image");
	memset(head, 0, sizeof(head));		/* all zeroes */
	assert_refused(FILE_SIZE, IMAGE_ERR_MAGIC, "magic");
	good_header();				/* a PE file (MZ) without the magic */
	head[0] = 'M';
	head[1] = 'Z';
	memset(head + IMAGE_MAGIC_OFF, 0, sizeof(uint32_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_MAGIC, "magic");
}

static void test_big_endian_flag(void **state)
{
	(void)state;
	good_header();
	put_le(IMAGE_FLAGS_OFF, ANODE_FLAGS | IMAGE_FLAG_BE, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_ENDIAN, "big-endian");
}

static void test_page_size_flags(void **state)
{
	(void)state;
	good_header();
	put_le(IMAGE_FLAGS_OFF, IMAGE_FLAG_ANYWHERE | FLAGS_PAGE_16K, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_PAGE_SIZE, "only 4 KiB");
	put_le(IMAGE_FLAGS_OFF, IMAGE_FLAG_ANYWHERE | FLAGS_PAGE_64K, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_PAGE_SIZE, "64 KiB");
}

static void test_base_of_ram_only(void **state)
{
	(void)state;
	good_header();
	put_le(IMAGE_FLAGS_OFF, ANODE_FLAGS & ~IMAGE_FLAG_ANYWHERE, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_PLACEMENT, "base of RAM");
}

static void test_image_size_zero(void **state)
{
	(void)state;
	good_header();
	put_le(IMAGE_SIZE_OFF, 0, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_SIZE_ZERO, "image_size is 0");
}

static void test_image_size_absurd(void **state)
{
	(void)state;
	good_header();
	put_le(IMAGE_SIZE_OFF, IMAGE_SIZE_MAX + 1, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_SIZE_TOO_BIG, "absurd");
	put_le(IMAGE_SIZE_OFF, UINT64_MAX, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_SIZE_TOO_BIG, "absurd");
	/* Byte-swapped: what a big-endian writer of the field would give. */
	put_le(IMAGE_SIZE_OFF, __builtin_bswap64(IMAGE_SIZE), sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_SIZE_TOO_BIG, "absurd");
	/* The largest size accepted. */
	put_le(IMAGE_SIZE_OFF, IMAGE_SIZE_MAX, sizeof(uint64_t));
	{
		struct image_info info;

		assert_int_equal(image_check(head, FILE_SIZE, &info), IMAGE_OK);
	}
}

static void test_image_size_below_file(void **state)
{
	(void)state;
	good_header();
	/* A file longer than the size its header claims: header or file corrupt. */
	assert_refused(IMAGE_SIZE + 1, IMAGE_ERR_SIZE_BELOW_FILE, "smaller than the file");
	put_le(IMAGE_SIZE_OFF, IMAGE_HEADER_SIZE, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_SIZE_BELOW_FILE, "smaller than the file");
}

static void test_bad_text_offset(void **state)
{
	(void)state;
	good_header();
	put_le(IMAGE_TEXT_OFFSET_OFF, 2 * MIB, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_TEXT_OFFSET, "text_offset");
	put_le(IMAGE_TEXT_OFFSET_OFF, 0x123, sizeof(uint64_t));
	assert_refused(FILE_SIZE, IMAGE_ERR_TEXT_OFFSET, "4 KiB multiple");
}

static void test_every_status_has_a_message(void **state)
{
	(void)state;
	for (int s = IMAGE_OK; s <= IMAGE_ERR_TEXT_OFFSET; s++) {
		const char *msg = image_status_str((enum image_status)s);

		assert_non_null(msg);
		assert_true(strlen(msg) > 1);
		assert_null(strstr(msg, "unknown"));
	}
	assert_non_null(strstr(image_status_str((enum image_status)-1), "unknown"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anode_header_passes),
		cmocka_unit_test(test_linux_style_header_passes),
		cmocka_unit_test(test_shorter_than_header),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_big_endian_flag),
		cmocka_unit_test(test_page_size_flags),
		cmocka_unit_test(test_base_of_ram_only),
		cmocka_unit_test(test_image_size_zero),
		cmocka_unit_test(test_image_size_absurd),
		cmocka_unit_test(test_image_size_below_file),
		cmocka_unit_test(test_bad_text_offset),
		cmocka_unit_test(test_every_status_has_a_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
