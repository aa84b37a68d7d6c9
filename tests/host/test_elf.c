/*
 * tests/host/test_elf.c: host unit test of kernel/elf.c. A builder makes a
 * valid minimal executable in memory (ELF header, then two PT_LOADs: RX text
 * holding the headers, RW data + bss); each malformation test mutates it
 * and expects -ENOEXEC with the output untouched; valid variants check every
 * field of struct elf_info. Then real toolchain output: argv[1] is a static
 * AArch64 executable and argv[2] the same program as static-pie (both from
 * tests/host/elf_fixture.c, built by tests/host/elf.mk). Every parse reads
 * from a heap copy of exactly the image's size, so ASan catches any read
 * past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/elf.h"
#include "kernel/lib/errno.h"

#define USER_BASE 0x10000UL
#define USER_LIMIT (1UL << 48)
#define PG ELF_PAGE_SIZE

/* The minimal image. */
#define TEXT_VADDR 0x400000UL
#define TEXT_OFFSET 0x0UL
#define TEXT_SIZE 0x800UL   /* filesz = memsz; holds the headers */
#define ENTRY (TEXT_VADDR + 0x600)
#define DATA_VADDR 0x411000UL
#define DATA_OFFSET 0x1000UL
#define DATA_FILESZ 0x100UL
#define DATA_MEMSZ 0x3000UL  /* 0x2f00 bytes of bss */
#define IMAGE_SIZE (DATA_OFFSET + DATA_FILESZ)
#define PHDRS_OFFSET sizeof(Elf64_Ehdr)

#define MAX_TEST_PHDRS 24 /* room in the builder's table */
#define BUF_SIZE 0x8000

static union {
	unsigned char bytes[BUF_SIZE];
	struct {
		Elf64_Ehdr eh;
		Elf64_Phdr ph[MAX_TEST_PHDRS];
	};
} img;
static size_t img_size;

_Static_assert(PHDRS_OFFSET + MAX_TEST_PHDRS * sizeof(Elf64_Phdr) <= TEXT_SIZE,
	       "the builder's table lies in the text segment");

/* The real programs, from the command line. */
static const char *real_path, *real_pie_path;
#define ELF_FIXTURE_TLS_INIT 0x7e1f0123 /* as in tests/host/elf_fixture.c */

static Elf64_Phdr *add_phdr(uint32_t type, uint32_t flags, uint64_t offset,
			    uint64_t vaddr, uint64_t filesz, uint64_t memsz,
			    uint64_t align)
{
	Elf64_Phdr *ph;

	assert_true(img.eh.e_phnum < MAX_TEST_PHDRS);
	ph = &img.ph[img.eh.e_phnum++];
	*ph = (Elf64_Phdr){
		.p_type = type, .p_flags = flags, .p_offset = offset,
		.p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
		.p_memsz = memsz, .p_align = align,
	};
	return ph;
}

#define TEXT (&img.ph[0])
#define DATA (&img.ph[1])

static int build(void **state)
{
	(void)state;
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, "\x7f" "ELF", 4);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_ident[EI_VERSION] = EV_CURRENT;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_AARCH64;
	img.eh.e_version = EV_CURRENT;
	img.eh.e_entry = ENTRY;
	img.eh.e_phoff = PHDRS_OFFSET;
	img.eh.e_ehsize = sizeof(Elf64_Ehdr);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	add_phdr(PT_LOAD, PF_R | PF_X, TEXT_OFFSET, TEXT_VADDR, TEXT_SIZE,
		 TEXT_SIZE, PG);
	add_phdr(PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_VADDR, DATA_FILESZ,
		 DATA_MEMSZ, PG);
	/* "Code" at the entry point and data, so the image is not all zeros. */
	memset(img.bytes + (ENTRY - TEXT_VADDR), 0x1f, 16);
	memset(img.bytes + DATA_OFFSET, 0xda, DATA_FILESZ);
	img_size = IMAGE_SIZE;
	return 0;
}

/* Parse a heap copy of exactly size bytes, at misalign bytes into it. */
static int parse_bytes(const void *bytes, size_t size, size_t misalign,
		       uint64_t base, uint64_t limit, struct elf_info *out)
{
	unsigned char *copy = malloc(size + misalign);
	int ret;

	assert_non_null(copy);
	memcpy(copy + misalign, bytes, size);
	ret = elf_parse(copy + misalign, size, base, limit, out);
	free(copy);
	return ret;
}

static int parse_range(uint64_t base, uint64_t limit, struct elf_info *out)
{
	return parse_bytes(img.bytes, img_size, 0, base, limit, out);
}

static int parse(struct elf_info *out)
{
	return parse_range(USER_BASE, USER_LIMIT, out);
}

static bool is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* What elf_parse promises about any image it accepts. */
static void check_invariants(const struct elf_info *info, size_t size,
			     uint64_t base, uint64_t limit)
{
	uint64_t lowest = UINT64_MAX, highest = 0;
	bool entry_ok = false;

	assert_in_range(info->nseg, 1, ELF_MAX_SEGMENTS);
	assert_int_equal(info->phentsize, sizeof(Elf64_Phdr));
	assert_in_range(info->phnum, 1, ELF_MAX_PHNUM);
	for (int i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];
		uint64_t start = s->vaddr & ~(PG - 1);
		uint64_t end = (s->vaddr + s->memsz + PG - 1) & ~(PG - 1);

		assert_true(s->filesz <= s->memsz);
		assert_true(s->memsz > 0 && s->memsz <= ELF_MAX_SEGMENT_SIZE);
		assert_true(s->offset + s->filesz >= s->offset);
		assert_true(s->offset + s->filesz <= size);
		assert_true(s->vaddr + s->memsz > s->vaddr);
		assert_true(end > start);
		assert_true(start >= base && end <= limit);
		assert_int_equal((s->vaddr - s->offset) % PG, 0);
		assert_int_equal(s->prot & ~(unsigned)(ELF_PROT_READ |
			ELF_PROT_WRITE | ELF_PROT_EXEC), 0);
		assert_false((s->prot & ELF_PROT_WRITE) &&
			     (s->prot & ELF_PROT_EXEC));
		for (int j = 0; j < i; j++) {
			const struct elf_segment *t = &info->seg[j];
			uint64_t ts = t->vaddr & ~(PG - 1);
			uint64_t te = (t->vaddr + t->memsz + PG - 1) & ~(PG - 1);

			assert_true(end <= ts || te <= start);
		}
		if ((s->prot & ELF_PROT_EXEC) && info->entry >= s->vaddr &&
		    info->entry < s->vaddr + s->memsz)
			entry_ok = true;
		lowest = start < lowest ? start : lowest;
		highest = end > highest ? end : highest;
	}
	assert_true(entry_ok);
	if (info->phdr_vaddr != 0) {
		const uint64_t len = info->phnum * sizeof(Elf64_Phdr);
		bool phdr_ok = false;

		for (int i = 0; i < info->nseg; i++) {
			const struct elf_segment *s = &info->seg[i];

			if (info->phdr_vaddr >= s->vaddr &&
			    info->phdr_vaddr + len <= s->vaddr + s->filesz)
				phdr_ok = true;
		}
		assert_true(phdr_ok);
	}
	assert_int_equal(info->entry % 4, 0);
	assert_int_equal(info->lowest, lowest);
	assert_int_equal(info->highest, highest);
	if (info->tls_align != 0) {
		assert_true(is_pow2(info->tls_align));
		assert_true(info->tls_align <= ELF_MAX_TLS_ALIGN);
		assert_true(info->tls_filesz <= info->tls_memsz);
	} else {
		assert_int_equal(info->tls_vaddr, 0);
		assert_int_equal(info->tls_memsz, 0);
		assert_int_equal(info->tls_filesz, 0);
	}
}

static void assert_segment(const struct elf_segment *s, uint64_t vaddr,
			   uint64_t memsz, uint64_t offset, uint64_t filesz,
			   unsigned prot)
{
	assert_int_equal(s->vaddr, vaddr);
	assert_int_equal(s->memsz, memsz);
	assert_int_equal(s->offset, offset);
	assert_int_equal(s->filesz, filesz);
	assert_int_equal(s->prot, prot);
}

/* The minimal image's elf_info, field by field. */
static void assert_minimal(const struct elf_info *info, uint16_t phnum,
			   uint64_t phdr_vaddr)
{
	assert_int_equal(info->entry, ENTRY);
	assert_int_equal(info->phdr_vaddr, phdr_vaddr);
	assert_int_equal(info->phnum, phnum);
	assert_int_equal(info->phentsize, sizeof(Elf64_Phdr));
	assert_int_equal(info->nseg, 2);
	assert_segment(&info->seg[0], TEXT_VADDR, TEXT_SIZE, TEXT_OFFSET,
		       TEXT_SIZE, ELF_PROT_READ | ELF_PROT_EXEC);
	assert_segment(&info->seg[1], DATA_VADDR, DATA_MEMSZ, DATA_OFFSET,
		       DATA_FILESZ, ELF_PROT_READ | ELF_PROT_WRITE);
	assert_int_equal(info->lowest, TEXT_VADDR);
	assert_int_equal(info->highest, DATA_VADDR + DATA_MEMSZ);
	assert_int_equal(info->tls_vaddr, 0);
	assert_int_equal(info->tls_memsz, 0);
	assert_int_equal(info->tls_filesz, 0);
	assert_int_equal(info->tls_align, 0);
}

static void assert_valid(struct elf_info *info)
{
	memset(info, 0xa5, sizeof(*info));
	assert_int_equal(parse(info), 0);
	check_invariants(info, img_size, USER_BASE, USER_LIMIT);
}

/* Refused, and the output left exactly as it was. */
static void assert_noexec_range(uint64_t base, uint64_t limit)
{
	struct elf_info info, before;

	memset(&info, 0xa5, sizeof(info));
	before = info;
	assert_int_equal(parse_range(base, limit, &info), -ENOEXEC);
	assert_memory_equal(&info, &before, sizeof(info));
}

static void assert_noexec(void)
{
	assert_noexec_range(USER_BASE, USER_LIMIT);
}

/* ---- Valid images ---- */

static void test_valid_minimal(void **state)
{
	struct elf_info info;

	(void)state;
	assert_valid(&info);
	assert_minimal(&info, 2, TEXT_VADDR + PHDRS_OFFSET);
}

/* The image needs no alignment: headers are copied out, not dereferenced. */
static void test_valid_unaligned_buffer(void **state)
{
	struct elf_info info;

	(void)state;
	for (size_t mis = 1; mis < 8; mis++) {
		memset(&info, 0xa5, sizeof(info));
		assert_int_equal(parse_bytes(img.bytes, img_size, mis, USER_BASE,
					     USER_LIMIT, &info), 0);
		assert_minimal(&info, 2, TEXT_VADDR + PHDRS_OFFSET);
	}
}

/* Segments are reported in program-header order, whatever their addresses. */
static void test_valid_segment_order(void **state)
{
	struct elf_info info;
	Elf64_Phdr text = *TEXT;

	(void)state;
	*TEXT = *DATA;
	*DATA = text;
	assert_valid(&info);
	assert_int_equal(info.nseg, 2);
	assert_segment(&info.seg[0], DATA_VADDR, DATA_MEMSZ, DATA_OFFSET,
		       DATA_FILESZ, ELF_PROT_READ | ELF_PROT_WRITE);
	assert_segment(&info.seg[1], TEXT_VADDR, TEXT_SIZE, TEXT_OFFSET,
		       TEXT_SIZE, ELF_PROT_READ | ELF_PROT_EXEC);
	assert_int_equal(info.lowest, TEXT_VADDR);
	assert_int_equal(info.highest, DATA_VADDR + DATA_MEMSZ);
	assert_int_equal(info.phdr_vaddr, TEXT_VADDR + PHDRS_OFFSET);
}

/* Page-unaligned (but congruent) segments: kept as is, span rounded. */
static void test_valid_unaligned_segments(void **state)
{
	struct elf_info info;

	(void)state;
	DATA->p_vaddr = DATA_VADDR + 0x10;
	DATA->p_offset = DATA_OFFSET + 0x10;
	DATA->p_filesz = DATA_FILESZ - 0x10;
	DATA->p_memsz = DATA_MEMSZ - 0x10 + 1; /* ends 1 byte into a page */
	TEXT->p_align = 0; /* 0 and 1: no alignment required */
	DATA->p_align = 1;
	assert_valid(&info);
	assert_segment(&info.seg[1], DATA_VADDR + 0x10, DATA_MEMSZ - 0x10 + 1,
		       DATA_OFFSET + 0x10, DATA_FILESZ - 0x10,
		       ELF_PROT_READ | ELF_PROT_WRITE);
	assert_int_equal(info.lowest, TEXT_VADDR);
	assert_int_equal(info.highest, DATA_VADDR + DATA_MEMSZ + PG);
}

/* Segments in adjacent pages share none: accepted. */
static void test_valid_adjacent_pages(void **state)
{
	struct elf_info info;

	(void)state;
	DATA->p_vaddr = TEXT_VADDR + PG;
	assert_valid(&info);
	assert_int_equal(info.seg[1].vaddr, TEXT_VADDR + PG);
	assert_int_equal(info.highest, TEXT_VADDR + PG + DATA_MEMSZ);
}

/* Permissions map flag by flag; read-only and no-access segments are fine. */
static void test_valid_permissions(void **state)
{
	static const struct { uint32_t flags; unsigned prot; } cases[] = {
		{ 0, 0 },
		{ PF_R, ELF_PROT_READ },
		{ PF_W, ELF_PROT_WRITE },
		{ PF_R | PF_W, ELF_PROT_READ | ELF_PROT_WRITE },
		{ PF_X, ELF_PROT_EXEC },
		{ PF_R | PF_X, ELF_PROT_READ | ELF_PROT_EXEC },
		/* OS- and processor-specific bits are ignored */
		{ PF_R | 0x0ff00000 | 0xf0000000, ELF_PROT_READ },
	};
	struct elf_info info;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		DATA->p_flags = cases[i].flags;
		assert_valid(&info);
		assert_int_equal(info.seg[1].prot, cases[i].prot);
	}
}

/* ELF_MAX_SEGMENTS PT_LOADs are accepted. */
static void test_valid_max_segments(void **state)
{
	struct elf_info info;

	(void)state;
	for (int i = 2; i < ELF_MAX_SEGMENTS; i++)
		add_phdr(PT_LOAD, PF_R, 0, 0x500000 + i * PG, 0, PG, PG);
	assert_valid(&info);
	assert_int_equal(info.nseg, ELF_MAX_SEGMENTS);
	assert_int_equal(info.phnum, ELF_MAX_SEGMENTS);
	for (int i = 2; i < ELF_MAX_SEGMENTS; i++)
		assert_segment(&info.seg[i], 0x500000 + i * PG, PG, 0, 0,
			       ELF_PROT_READ);
	assert_int_equal(info.highest, 0x500000 + ELF_MAX_SEGMENTS * PG);
}

/* ELF_MAX_PHNUM headers are accepted; the table outgrows text: unmapped. */
static void test_valid_max_phnum(void **state)
{
	struct elf_info info;

	(void)state;
	img.eh.e_phnum = ELF_MAX_PHNUM; /* the rest are zeros: PT_NULL */
	assert_valid(&info);
	assert_int_equal(info.nseg, 2);
	assert_int_equal(info.phnum, ELF_MAX_PHNUM);
	assert_int_equal(info.phdr_vaddr, 0);
}

/* A table at the very end of the file, in no segment: phdr_vaddr is 0. */
static void test_valid_phdrs_at_end(void **state)
{
	struct elf_info info;
	size_t table = 2 * sizeof(Elf64_Phdr);

	(void)state;
	memcpy(img.bytes + img_size, img.ph, table);
	memset(img.ph, 0, table);
	img.eh.e_phoff = img_size;
	img_size += table;
	assert_valid(&info);
	assert_minimal(&info, 2, 0);
}

/* The table inside the data segment's file bytes maps there. */
static void test_valid_phdrs_in_data(void **state)
{
	struct elf_info info;
	size_t table = 2 * sizeof(Elf64_Phdr);

	(void)state;
	memcpy(img.bytes + DATA_OFFSET + 8, img.ph, table);
	img.eh.e_phoff = DATA_OFFSET + 8;
	assert_valid(&info);
	assert_minimal(&info, 2, DATA_VADDR + 8);
}

static void test_valid_pt_phdr(void **state)
{
	struct elf_info info;

	(void)state;
	/* Shift the loads up to make PT_PHDR first, as linkers do. */
	img.ph[2] = *DATA;
	img.ph[1] = *TEXT;
	img.ph[0] = (Elf64_Phdr){
		.p_type = PT_PHDR, .p_flags = PF_R, .p_offset = PHDRS_OFFSET,
		.p_vaddr = TEXT_VADDR + PHDRS_OFFSET,
		.p_filesz = 3 * sizeof(Elf64_Phdr),
		.p_memsz = 3 * sizeof(Elf64_Phdr), .p_align = 8,
	};
	img.eh.e_phnum = 3;
	assert_valid(&info);
	assert_int_equal(info.phdr_vaddr, TEXT_VADDR + PHDRS_OFFSET);
	assert_int_equal(info.phnum, 3);
	assert_int_equal(info.nseg, 2);
	assert_segment(&info.seg[0], TEXT_VADDR, TEXT_SIZE, TEXT_OFFSET,
		       TEXT_SIZE, ELF_PROT_READ | ELF_PROT_EXEC);
}

static void test_valid_tls(void **state)
{
	struct elf_info info;

	(void)state;
	add_phdr(PT_TLS, PF_R, DATA_OFFSET, DATA_VADDR, 0x10, 0x48, 16);
	assert_valid(&info);
	assert_int_equal(info.nseg, 2);
	assert_int_equal(info.phnum, 3);
	assert_int_equal(info.tls_vaddr, DATA_VADDR);
	assert_int_equal(info.tls_filesz, 0x10);
	assert_int_equal(info.tls_memsz, 0x48);
	assert_int_equal(info.tls_align, 16);

	/* p_align 0 means 1; only .tbss (filesz 0) needs no file bytes. */
	img.ph[2].p_align = 0;
	img.ph[2].p_filesz = 0;
	img.ph[2].p_offset = 0;
	img.ph[2].p_vaddr = DATA_VADDR + DATA_MEMSZ; /* just past the data */
	assert_valid(&info);
	assert_int_equal(info.tls_vaddr, DATA_VADDR + DATA_MEMSZ);
	assert_int_equal(info.tls_filesz, 0);
	assert_int_equal(info.tls_memsz, 0x48);
	assert_int_equal(info.tls_align, 1);

	img.ph[2].p_align = ELF_MAX_TLS_ALIGN;
	assert_valid(&info);
	assert_int_equal(info.tls_align, ELF_MAX_TLS_ALIGN);
}

/* Other types are ignored, an RWX PT_GNU_STACK included (never honoured). */
static void test_valid_ignored_types(void **state)
{
	struct elf_info info;

	(void)state;
	add_phdr(PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16);
	add_phdr(PT_NOTE, PF_R, 0x700, TEXT_VADDR + 0x700, 0x20, 0x20, 4);
	add_phdr(PT_GNU_RELRO, PF_R, DATA_OFFSET, DATA_VADDR, 0x80, 0x80, 1);
	add_phdr(PT_GNU_PROPERTY, PF_R, 0x720, TEXT_VADDR + 0x720, 0x20, 0x20, 8);
	add_phdr(PT_NULL, 0, ~0UL, ~0UL, ~0UL, ~0UL, 3);
	add_phdr(0x70000003, PF_R, 0, 0, 0, 0, 0); /* processor-specific */
	assert_valid(&info);
	assert_minimal(&info, 8, TEXT_VADDR + PHDRS_OFFSET);
}

/* A PT_LOAD of size 0 maps nothing and is skipped, whatever its fields. */
static void test_valid_empty_load_skipped(void **state)
{
	struct elf_info info;

	(void)state;
	add_phdr(PT_LOAD, PF_R | PF_W | PF_X, ~0UL, TEXT_VADDR, 0, 0, 3);
	assert_valid(&info);
	assert_minimal(&info, 3, TEXT_VADDR + PHDRS_OFFSET);
}

/* A segment may fill the user range exactly. */
static void test_valid_user_range_bounds(void **state)
{
	struct elf_info info;

	(void)state;
	memset(&info, 0, sizeof(info));
	assert_int_equal(parse_range(TEXT_VADDR, DATA_VADDR + DATA_MEMSZ,
				     &info), 0);
	assert_minimal(&info, 2, TEXT_VADDR + PHDRS_OFFSET);
	/* The page-rounded end counts: a byte short of it is too little. */
	DATA->p_memsz -= 1;
	assert_int_equal(parse_range(TEXT_VADDR, DATA_VADDR + DATA_MEMSZ,
				     &info), 0);
	assert_noexec_range(TEXT_VADDR, DATA_VADDR + DATA_MEMSZ - 1);
	/* And the page-rounded start: the text starts mid-page now. */
	TEXT->p_vaddr += 0x10;
	TEXT->p_offset += 0x10;
	TEXT->p_filesz -= 0x10;
	TEXT->p_memsz -= 0x10;
	assert_noexec_range(TEXT_VADDR + 0x10, USER_LIMIT);
	assert_int_equal(parse_range(TEXT_VADDR, USER_LIMIT, &info), 0);
}

static void test_valid_max_segment_size(void **state)
{
	struct elf_info info;

	(void)state;
	DATA->p_memsz = ELF_MAX_SEGMENT_SIZE;
	assert_valid(&info);
	assert_int_equal(info.seg[1].memsz, ELF_MAX_SEGMENT_SIZE);
	assert_int_equal(info.highest, DATA_VADDR + ELF_MAX_SEGMENT_SIZE);
}

/* The entry point may be anywhere in an executable segment's memory. */
static void test_valid_entry_bounds(void **state)
{
	struct elf_info info;

	(void)state;
	img.eh.e_entry = TEXT_VADDR;
	assert_valid(&info);
	assert_int_equal(info.entry, TEXT_VADDR);
	img.eh.e_entry = TEXT_VADDR + TEXT_SIZE - 4;
	assert_valid(&info);
	assert_int_equal(info.entry, TEXT_VADDR + TEXT_SIZE - 4);
}

/* ---- Malformed or unsupported images: each must give -ENOEXEC ---- */

static void test_short_file(void **state)
{
	struct elf_info info, before;

	(void)state;
	for (img_size = 0; img_size < sizeof(Elf64_Ehdr); img_size++)
		assert_noexec();
	memset(&info, 0x5a, sizeof(info));
	before = info;
	assert_int_equal(elf_parse(NULL, 0, USER_BASE, USER_LIMIT, &info),
			 -ENOEXEC);
	assert_memory_equal(&info, &before, sizeof(info));
}

/* Every cut of the image short of its last file byte is refused. */
static void test_truncated(void **state)
{
	(void)state;
	for (size_t size = IMAGE_SIZE - 1; size > 0; size--) {
		img_size = size;
		assert_noexec();
	}
}

static void test_bad_magic(void **state)
{
	(void)state;
	for (int i = EI_MAG0; i <= EI_MAG3; i++) {
		build(NULL);
		img.eh.e_ident[i] ^= 0x20;
		assert_noexec();
	}
}

static void test_not_64bit(void **state)
{
	(void)state;
	img.eh.e_ident[EI_CLASS] = ELFCLASS32;
	assert_noexec();
	img.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
	assert_noexec();
	img.eh.e_ident[EI_CLASS] = 3;
	assert_noexec();
}

static void test_not_little_endian(void **state)
{
	(void)state;
	img.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	assert_noexec();
	img.eh.e_ident[EI_DATA] = ELFDATANONE;
	assert_noexec();
}

static void test_bad_version(void **state)
{
	(void)state;
	img.eh.e_ident[EI_VERSION] = EV_NONE;
	assert_noexec();
	img.eh.e_ident[EI_VERSION] = 2;
	assert_noexec();
	build(NULL);
	img.eh.e_version = EV_NONE;
	assert_noexec();
	img.eh.e_version = 2;
	assert_noexec();
}

static void test_not_exec(void **state)
{
	static const uint16_t types[] = {
		ET_NONE, ET_REL, ET_DYN, ET_CORE, 0xfe00, 0xffff,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		img.eh.e_type = types[i];
		assert_noexec();
	}
}

static void test_wrong_machine(void **state)
{
	static const uint16_t machines[] = { 0, EM_ARM, EM_X86_64, 0xb6, 0xb8 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(machines); i++) {
		img.eh.e_machine = machines[i];
		assert_noexec();
	}
}

static void test_bad_ehsize(void **state)
{
	static const uint16_t sizes[] = { 0, 52, 63, 65, 128 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		img.eh.e_ehsize = sizes[i];
		assert_noexec();
	}
}

static void test_bad_phentsize(void **state)
{
	static const uint16_t sizes[] = { 0, 32, 55, 57, 64 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		img.eh.e_phentsize = sizes[i];
		assert_noexec();
	}
}

static void test_phdrs_outside_file(void **state)
{
	static const uint64_t offsets[] = {
		IMAGE_SIZE - 2 * sizeof(Elf64_Phdr) + 1, /* last byte missing */
		IMAGE_SIZE - sizeof(Elf64_Phdr),          /* second one missing */
		IMAGE_SIZE,
		IMAGE_SIZE + 0x1000,
		UINT64_MAX - 2 * sizeof(Elf64_Phdr) + 2,  /* wraps to just past 0 */
		UINT64_MAX - sizeof(Elf64_Phdr),
		UINT64_MAX,
		1UL << 63,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(offsets); i++) {
		img.eh.e_phoff = offsets[i];
		assert_noexec();
	}
}

static void test_too_many_segments(void **state)
{
	(void)state;
	for (int i = 2; i <= ELF_MAX_SEGMENTS; i++)
		add_phdr(PT_LOAD, PF_R, 0, 0x500000 + i * PG, 0, PG, PG);
	assert_int_equal(img.eh.e_phnum, ELF_MAX_SEGMENTS + 1);
	assert_noexec();
}

static void test_absurd_phnum(void **state)
{
	(void)state;
	img.eh.e_phnum = ELF_MAX_PHNUM + 1; /* in the file, all PT_NULL past 2 */
	assert_noexec();
	img.eh.e_phnum = PN_XNUM;
	img_size = BUF_SIZE;
	assert_noexec();
}

static void test_no_load(void **state)
{
	(void)state;
	TEXT->p_type = PT_NULL;
	DATA->p_type = PT_NOTE;
	assert_noexec();
	/* Only empty ones. */
	build(NULL);
	TEXT->p_memsz = TEXT->p_filesz = 0;
	DATA->p_memsz = DATA->p_filesz = 0;
	assert_noexec();
	/* No program headers at all. */
	build(NULL);
	img.eh.e_phnum = 0;
	assert_noexec();
	img.eh.e_phoff = 0;
	assert_noexec();
}

static void test_interp(void **state)
{
	(void)state;
	memcpy(img.bytes + 0x700, "/lib/ld-musl-aarch64.so.1", 26);
	add_phdr(PT_INTERP, PF_R, 0x700, TEXT_VADDR + 0x700, 26, 26, 1);
	assert_noexec();
	/* Wherever it is in the table. */
	build(NULL);
	img.ph[2] = *DATA;
	img.ph[1] = *TEXT;
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R,
				  .p_offset = 0x700, .p_filesz = 26,
				  .p_memsz = 26, .p_align = 1 };
	img.eh.e_phnum = 3;
	assert_noexec();
}

static void test_filesz_over_memsz(void **state)
{
	(void)state;
	DATA->p_filesz = DATA->p_memsz + 1;
	img_size = DATA_OFFSET + DATA->p_filesz;
	assert_noexec();
	build(NULL);
	TEXT->p_memsz = TEXT->p_filesz - 1;
	assert_noexec();
	/* A segment with file bytes but no memory is not "empty". */
	build(NULL);
	DATA->p_memsz = 0;
	assert_noexec();
}

static void test_file_range_outside_file(void **state)
{
	(void)state;
	DATA->p_filesz = DATA_FILESZ + 1; /* one byte past the end */
	assert_noexec();
	build(NULL);
	DATA->p_offset = IMAGE_SIZE + PG; /* wholly past it, congruent */
	DATA->p_vaddr = DATA_VADDR + 2 * PG;
	assert_noexec();
	build(NULL);
	DATA->p_offset = IMAGE_SIZE; /* even an empty file part */
	DATA->p_vaddr = DATA_VADDR + IMAGE_SIZE - DATA_OFFSET;
	DATA->p_filesz = 0;
	img_size = IMAGE_SIZE - 1;
	assert_noexec();
	build(NULL);
	DATA->p_offset = UINT64_MAX & ~(PG - 1); /* offset + filesz wraps */
	DATA->p_filesz = 2 * PG;
	DATA->p_memsz = 2 * PG;
	assert_noexec();
	DATA->p_filesz = PG; /* ends exactly at 2^64: wraps to 0 */
	assert_noexec();
}

static void test_vaddr_wraps(void **state)
{
	(void)state;
	DATA->p_vaddr = UINT64_MAX & ~(PG - 1);
	DATA->p_offset = 0;
	DATA->p_filesz = 0;
	DATA->p_memsz = 2 * PG;
	assert_noexec_range(USER_BASE, UINT64_MAX);
	/* Ends at 2^64 - 1: no wrap, but its page-rounded end would. */
	DATA->p_memsz = PG - 1;
	assert_noexec_range(USER_BASE, UINT64_MAX);
	DATA->p_memsz = PG;
	assert_noexec_range(USER_BASE, UINT64_MAX);
}

static void test_outside_user_range(void **state)
{
	(void)state;
	/* Below user_base. */
	TEXT->p_vaddr = 0;
	img.eh.e_entry = 0x600;
	assert_noexec();
	build(NULL);
	assert_noexec_range(TEXT_VADDR + PG, USER_LIMIT);
	assert_noexec_range(TEXT_VADDR + 1, USER_LIMIT);
	/* At or past user_limit. */
	assert_noexec_range(USER_BASE, DATA_VADDR + DATA_MEMSZ - 1);
	assert_noexec_range(USER_BASE, DATA_VADDR);
	DATA->p_vaddr = USER_LIMIT; /* offset stays congruent */
	assert_noexec();
	DATA->p_vaddr = USER_LIMIT - PG;
	DATA->p_memsz = PG + 1;
	assert_noexec();
	/* An empty range accepts nothing. */
	build(NULL);
	assert_noexec_range(USER_LIMIT, USER_BASE);
	assert_noexec_range(USER_BASE, USER_BASE);
}

static void test_incongruent(void **state)
{
	static const uint64_t deltas[] = { 1, 8, 0x800, PG - 1, PG + 8 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(deltas); i++) {
		build(NULL);
		DATA->p_vaddr = DATA_VADDR + deltas[i];
		assert_noexec();
		build(NULL);
		DATA->p_offset = DATA_OFFSET - (deltas[i] & (PG - 1));
		assert_noexec();
	}
}

static void test_bad_align(void **state)
{
	static const uint64_t aligns[] = { 3, 6, 0x1001, 0x3000, UINT64_MAX };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		DATA->p_align = aligns[i];
		assert_noexec();
	}
}

static void test_overlap(void **state)
{
	(void)state;
	/* The same range twice. */
	add_phdr(PT_LOAD, PF_R, DATA_OFFSET, DATA_VADDR, DATA_FILESZ,
		 DATA_MEMSZ, PG);
	assert_noexec();
	/* One inside the other. */
	build(NULL);
	DATA->p_vaddr = TEXT_VADDR;
	DATA->p_offset = TEXT_OFFSET;
	DATA->p_memsz = 0x10;
	DATA->p_filesz = 0x10;
	assert_noexec();
	/* Disjoint bytes, but sharing the text's page. */
	build(NULL);
	DATA->p_vaddr = TEXT_VADDR + 0xf00;
	DATA->p_offset = 0xf00;
	assert_noexec();
	/* The same, the higher one listed first. */
	Elf64_Phdr text = *TEXT;
	*TEXT = *DATA;
	*DATA = text;
	assert_noexec();
	/* Disjoint bytes, the text in the data's last page; data first. */
	build(NULL);
	img.ph[0] = *DATA;
	img.ph[1] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x800,
		.p_vaddr = DATA_VADDR + DATA_MEMSZ - 0x800,
		.p_filesz = 0x100, .p_memsz = 0x100, .p_align = PG,
	};
	img.eh.e_entry = DATA_VADDR + DATA_MEMSZ - 0x800;
	assert_noexec();
	/* (The same text a page higher is fine.) */
	img.ph[1].p_vaddr += PG;
	img.eh.e_entry += PG;
	struct elf_info info;
	assert_int_equal(parse(&info), 0);
	/* Overlapping by a whole page in the middle. */
	build(NULL);
	TEXT->p_memsz = DATA_VADDR - TEXT_VADDR + PG;
	assert_noexec();
}

static void test_writable_and_executable(void **state)
{
	(void)state;
	DATA->p_flags = PF_R | PF_W | PF_X;
	assert_noexec();
	DATA->p_flags = PF_W | PF_X;
	assert_noexec();
	build(NULL);
	TEXT->p_flags = PF_R | PF_W | PF_X;
	assert_noexec();
}

static void test_absurd_size(void **state)
{
	static const uint64_t sizes[] = {
		ELF_MAX_SEGMENT_SIZE + 1, ELF_MAX_SEGMENT_SIZE + PG,
		64 * ELF_MAX_SEGMENT_SIZE, 1UL << 47, UINT64_MAX / 2,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		DATA->p_memsz = sizes[i];
		assert_noexec();
	}
}

static void test_entry_not_executable(void **state)
{
	static const uint64_t entries[] = {
		0,
		TEXT_VADDR - 4,
		TEXT_VADDR + TEXT_SIZE,      /* one past the text */
		TEXT_VADDR + PG - 4,         /* the text's page, past its end */
		DATA_VADDR,                  /* in the data segment */
		DATA_VADDR + DATA_MEMSZ - 4, /* in its bss */
		0x500000,                    /* in no segment */
		UINT64_MAX & ~3UL,
		ENTRY + 1, ENTRY + 2, ENTRY + 3, /* not instruction-aligned */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		img.eh.e_entry = entries[i];
		assert_noexec();
	}
	/* A non-executable text makes the usual entry point invalid too. */
	build(NULL);
	TEXT->p_flags = PF_R;
	assert_noexec();
}

static void test_bad_tls(void **state)
{
	(void)state;
	/* Two of them. */
	add_phdr(PT_TLS, PF_R, DATA_OFFSET, DATA_VADDR, 0x10, 0x40, 16);
	add_phdr(PT_TLS, PF_R, DATA_OFFSET, DATA_VADDR, 0x10, 0x40, 16);
	assert_noexec();
	build(NULL);
	Elf64_Phdr *tls = add_phdr(PT_TLS, PF_R, DATA_OFFSET, DATA_VADDR,
				   0x10, 0x40, 16);
	Elf64_Phdr good = *tls;

	tls->p_filesz = tls->p_memsz + 1;
	assert_noexec();
	*tls = good;
	tls->p_memsz = ELF_MAX_SEGMENT_SIZE + 1;
	assert_noexec();
	*tls = good;
	tls->p_align = 24;
	assert_noexec();
	tls->p_align = ELF_MAX_TLS_ALIGN * 2;
	assert_noexec();
	tls->p_align = 1UL << 63;
	assert_noexec();
	/* The initialization image must be loaded... */
	*tls = good;
	tls->p_vaddr = 0x500000;
	assert_noexec();
	tls->p_vaddr = DATA_VADDR + DATA_MEMSZ - 8; /* runs off the end */
	assert_noexec();
	/* ...and in the file. */
	*tls = good;
	tls->p_offset = IMAGE_SIZE - 8;
	assert_noexec();
	tls->p_offset = UINT64_MAX - 8;
	assert_noexec();
	/* vaddr + memsz wraps. */
	*tls = good;
	tls->p_filesz = 0;
	tls->p_vaddr = UINT64_MAX - 0x10;
	assert_noexec();
}

static void test_bad_pt_phdr(void **state)
{
	(void)state;
	/* Pointing elsewhere than where the table is loaded. */
	add_phdr(PT_PHDR, PF_R, PHDRS_OFFSET, TEXT_VADDR + PHDRS_OFFSET + 8,
		 3 * sizeof(Elf64_Phdr), 3 * sizeof(Elf64_Phdr), 8);
	assert_noexec();
	/* Two of them. */
	img.ph[2].p_vaddr = TEXT_VADDR + PHDRS_OFFSET;
	add_phdr(PT_PHDR, PF_R, PHDRS_OFFSET, TEXT_VADDR + PHDRS_OFFSET,
		 4 * sizeof(Elf64_Phdr), 4 * sizeof(Elf64_Phdr), 8);
	assert_noexec();
	/* Claiming a loaded table when the table is in no segment. */
	build(NULL);
	add_phdr(PT_PHDR, PF_R, PHDRS_OFFSET, TEXT_VADDR + PHDRS_OFFSET,
		 3 * sizeof(Elf64_Phdr), 3 * sizeof(Elf64_Phdr), 8);
	memcpy(img.bytes + img_size, img.ph, 3 * sizeof(Elf64_Phdr));
	img.eh.e_phoff = img_size;
	img_size += 3 * sizeof(Elf64_Phdr);
	assert_noexec();
}

/*
 * Random corruption of the headers: whatever the bytes, elf_parse must
 * stay inside the image (ASan) and anything it accepts must keep its
 * promises. Deterministic: a fixed seed and a private generator.
 */
static uint64_t rng_state = 0x9e3779b97f4a7c15UL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_random_corruption(void **state)
{
	static const uint64_t interesting[] = {
		0, 1, 4, PG - 1, PG, PG + 1, IMAGE_SIZE, USER_BASE, USER_LIMIT,
		TEXT_VADDR, DATA_VADDR, ELF_MAX_SEGMENT_SIZE, UINT64_MAX,
		UINT64_MAX - PG + 1, 1UL << 63,
	};
	const size_t headers = PHDRS_OFFSET + 4 * sizeof(Elf64_Phdr);
	struct elf_info info;
	int accepted = 0;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		build(NULL);
		if (rng() % 4 == 0) /* sometimes a third header to play with */
			add_phdr(rng() % 2 ? PT_TLS : PT_LOAD, PF_R,
				 DATA_OFFSET, DATA_VADDR + 4 * PG, 0x10, 0x40,
				 16);
		for (int n = 1 + rng() % 4; n > 0; n--) {
			size_t at = rng() % headers;

			if (rng() % 2) {
				img.bytes[at] = (unsigned char)rng();
			} else {
				uint64_t v = interesting[rng() %
							 ARRAY_SIZE(interesting)];

				at &= ~7UL;
				memcpy(img.bytes + at, &v,
				       MIN(sizeof(v), headers - at));
			}
		}
		if (rng() % 8 == 0)
			img_size = rng() % (IMAGE_SIZE + 1);
		memset(&info, 0xa5, sizeof(info));
		int ret = parse(&info);

		if (ret == 0) {
			check_invariants(&info, img_size, USER_BASE,
					 USER_LIMIT);
			accepted++;
		} else {
			assert_int_equal(ret, -ENOEXEC);
		}
	}
	/* The mutations are small: a fair share still parse. */
	assert_true(accepted > 100);
}

/* ---- Real toolchain output ---- */

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc((size_t)len); /* exactly: ASan sees any over-read */
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return buf;
}

static const struct elf_segment *seg_at(const struct elf_info *info,
					uint64_t va)
{
	for (int i = 0; i < info->nseg; i++) {
		if (va >= info->seg[i].vaddr &&
		    va < info->seg[i].vaddr + info->seg[i].memsz)
			return &info->seg[i];
	}
	return NULL;
}

static void test_real_static(void **state)
{
	size_t size;
	unsigned char *file = read_file(real_path, &size);
	Elf64_Ehdr eh;
	struct elf_info info;
	const struct elf_segment *text, *s;
	bool have_bss = false;
	int32_t tls_init;

	(void)state;
	memcpy(&eh, file, sizeof(eh));
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(elf_parse(file, size, USER_BASE, USER_LIMIT, &info), 0);
	check_invariants(&info, size, USER_BASE, USER_LIMIT);

	assert_int_equal(info.entry, eh.e_entry);
	assert_int_equal(info.phnum, eh.e_phnum);
	text = seg_at(&info, info.entry);
	assert_non_null(text);
	assert_int_equal(text->prot, ELF_PROT_READ | ELF_PROT_EXEC);
	assert_true(info.entry >= text->vaddr &&
		    info.entry < text->vaddr + text->filesz);

	assert_true(info.nseg >= 2);
	for (int i = 0; i < info.nseg; i++) {
		s = &info.seg[i];
		if (s->prot == (ELF_PROT_READ | ELF_PROT_WRITE) &&
		    s->memsz > s->filesz)
			have_bss = true;
	}
	assert_true(have_bss);

	/* The headers are in the first page of the text, as ld puts them. */
	s = seg_at(&info, info.phdr_vaddr);
	assert_non_null(s);
	assert_int_equal(info.phdr_vaddr, s->vaddr + (eh.e_phoff - s->offset));
	assert_memory_equal(file + s->offset + (info.phdr_vaddr - s->vaddr),
			    file + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr));

	/* TLS: tls_counter's initial value leads the initialization image. */
	assert_true(info.tls_filesz >= sizeof(tls_init));
	assert_true(info.tls_memsz >= sizeof(tls_init) + 64);
	assert_true(info.tls_align >= sizeof(tls_init));
	s = seg_at(&info, info.tls_vaddr);
	assert_non_null(s);
	memcpy(&tls_init, file + s->offset + (info.tls_vaddr - s->vaddr),
	       sizeof(tls_init));
	assert_int_equal(tls_init, ELF_FIXTURE_TLS_INIT);

	/* Refused where its segments cannot go. */
	assert_int_equal(elf_parse(file, size, info.highest, USER_LIMIT, &info),
			 -ENOEXEC);
	assert_int_equal(elf_parse(file, size, USER_BASE, info.lowest, &info),
			 -ENOEXEC);
	free(file);
}

/* Cut short anywhere before its last segment's end, it is refused. */
static void test_real_static_truncated(void **state)
{
	size_t size, need = 0;
	unsigned char *file = read_file(real_path, &size);
	struct elf_info info;

	(void)state;
	assert_int_equal(elf_parse(file, size, USER_BASE, USER_LIMIT, &info), 0);
	for (int i = 0; i < info.nseg; i++)
		need = MAX(need, info.seg[i].offset + info.seg[i].filesz);
	assert_true(need <= size);
	for (size_t cut = 0; cut < need; cut += (cut < 1024 ? 1 : 509)) {
		memset(&info, 0, sizeof(info));
		assert_int_equal(parse_bytes(file, cut, 0, USER_BASE,
					     USER_LIMIT, &info), -ENOEXEC);
	}
	assert_int_equal(parse_bytes(file, need - 1, 0, USER_BASE, USER_LIMIT,
				     &info), -ENOEXEC);
	assert_int_equal(parse_bytes(file, need, 0, USER_BASE, USER_LIMIT,
				     &info), 0);
	free(file);
}

/* The same program as static-pie is ET_DYN: refused by elf_parse and
 * without a base, loaded at the base elf_parse_at is given. */
static void test_real_static_pie(void **state)
{
	static const uint64_t base = 0x40000000;
	size_t size;
	unsigned char *file = read_file(real_pie_path, &size);
	Elf64_Ehdr eh;
	struct elf_info info, at;

	(void)state;
	memcpy(&eh, file, sizeof(eh));
	assert_int_equal(eh.e_type, ET_DYN);
	assert_int_equal(eh.e_machine, EM_AARCH64);
	assert_int_equal(elf_parse(file, size, 0, USER_LIMIT, &info), -ENOEXEC);
	assert_int_equal(elf_parse_at(file, size, USER_BASE, USER_LIMIT, 0, &info), -ENOEXEC);
	/* Misaligned, or moved past the user range or the end of the addresses. */
	assert_int_equal(elf_parse_at(file, size, USER_BASE, USER_LIMIT, base + 1, &info), -ENOEXEC);
	assert_int_equal(elf_parse_at(file, size, USER_BASE, USER_LIMIT, USER_LIMIT, &info), -ENOEXEC);
	assert_int_equal(elf_parse_at(file, size, USER_BASE, USER_LIMIT, UINT64_MAX & ~0xfffUL,
				      &info), -ENOEXEC);
	assert_int_equal(elf_parse_at(file, size, USER_BASE, USER_LIMIT, base, &at), 0);
	assert_int_equal(at.entry, eh.e_entry + base);
	assert_true(at.nseg > 0);
	assert_true(at.lowest >= base && at.highest <= USER_LIMIT);
	for (int i = 0; i < at.nseg; i++)
		assert_true(at.seg[i].vaddr >= base);
	assert_true(at.phdr_vaddr == 0 || at.phdr_vaddr >= base);
	free(file);
}

#define T(name) cmocka_unit_test_setup(name, build)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_valid_minimal),
		T(test_valid_unaligned_buffer),
		T(test_valid_segment_order),
		T(test_valid_unaligned_segments),
		T(test_valid_adjacent_pages),
		T(test_valid_permissions),
		T(test_valid_max_segments),
		T(test_valid_max_phnum),
		T(test_valid_phdrs_at_end),
		T(test_valid_phdrs_in_data),
		T(test_valid_pt_phdr),
		T(test_valid_tls),
		T(test_valid_ignored_types),
		T(test_valid_empty_load_skipped),
		T(test_valid_user_range_bounds),
		T(test_valid_max_segment_size),
		T(test_valid_entry_bounds),
		T(test_short_file),
		T(test_truncated),
		T(test_bad_magic),
		T(test_not_64bit),
		T(test_not_little_endian),
		T(test_bad_version),
		T(test_not_exec),
		T(test_wrong_machine),
		T(test_bad_ehsize),
		T(test_bad_phentsize),
		T(test_phdrs_outside_file),
		T(test_too_many_segments),
		T(test_absurd_phnum),
		T(test_no_load),
		T(test_interp),
		T(test_filesz_over_memsz),
		T(test_file_range_outside_file),
		T(test_vaddr_wraps),
		T(test_outside_user_range),
		T(test_incongruent),
		T(test_bad_align),
		T(test_overlap),
		T(test_writable_and_executable),
		T(test_absurd_size),
		T(test_entry_not_executable),
		T(test_bad_tls),
		T(test_bad_pt_phdr),
		T(test_random_corruption),
		cmocka_unit_test(test_real_static),
		cmocka_unit_test(test_real_static_truncated),
		cmocka_unit_test(test_real_static_pie),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s STATIC.elf STATIC-PIE.elf\n", argv[0]);
		return 2;
	}
	real_path = argv[1];
	real_pie_path = argv[2];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
