/*
 * kernel/elf.h: the ELF64 format (the parts a loader of static AArch64
 * executables needs) and the parser that decodes and validates an image
 * before anything is mapped. The mapping itself is the loader's business;
 * elf_parse only says what to map, where, and with which permissions.
 * Shared with the host unit tests: depends only on kernel/lib/types.h.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "kernel/lib/types.h"

/* e_ident[]: the first 16 bytes of the file. */
#define EI_MAG0 0
#define EI_MAG1 1
#define EI_MAG2 2
#define EI_MAG3 3
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define EI_ABIVERSION 8
#define EI_NIDENT 16

#define ELFMAG0 0x7f
#define ELFMAG1 'E'
#define ELFMAG2 'L'
#define ELFMAG3 'F'

#define ELFCLASSNONE 0
#define ELFCLASS32 1
#define ELFCLASS64 2

#define ELFDATANONE 0
#define ELFDATA2LSB 1 /* little-endian */
#define ELFDATA2MSB 2 /* big-endian */

#define EV_NONE 0
#define EV_CURRENT 1

/* e_type */
#define ET_NONE 0
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3 /* shared object, or a position-independent executable */
#define ET_CORE 4

/* e_machine */
#define EM_ARM 40
#define EM_X86_64 62
#define EM_AARCH64 183

/* e_phnum of 0xffff: the real count is in section header 0 (not supported). */
#define PN_XNUM 0xffff

/* p_type */
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_SHLIB 5
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_EH_FRAME 0x6474e550
#define PT_GNU_STACK 0x6474e551
#define PT_GNU_RELRO 0x6474e552
#define PT_GNU_PROPERTY 0x6474e553

/* p_flags */
#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;     /* file offset of the program header table */
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;    /* sizeof(Elf64_Ehdr) */
	uint16_t e_phentsize; /* sizeof(Elf64_Phdr) */
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
} Elf64_Phdr;

_Static_assert(sizeof(Elf64_Ehdr) == 64, "Elf64_Ehdr layout");
_Static_assert(sizeof(Elf64_Phdr) == 56, "Elf64_Phdr layout");

/* Limits of what elf_parse accepts. */
#define ELF_PAGE_SIZE 4096UL /* segments are mapped in whole pages */
#define ELF_MAX_SEGMENTS 16 /* non-empty PT_LOAD entries */
#define ELF_MAX_PHNUM 64 /* program headers of any type */
#define ELF_MAX_SEGMENT_SIZE (1UL * GiB) /* p_memsz of a PT_LOAD or PT_TLS */
#define ELF_MAX_TLS_ALIGN ELF_PAGE_SIZE /* p_align of PT_TLS */

/* struct elf_segment.prot: the same values as Linux's PROT_*. */
#define ELF_PROT_READ 0x1
#define ELF_PROT_WRITE 0x2
#define ELF_PROT_EXEC 0x4

/*
 * One non-empty PT_LOAD: map [vaddr, vaddr + memsz) with prot, its first
 * filesz bytes copied from the file at offset, the rest zero. vaddr and
 * offset are congruent modulo ELF_PAGE_SIZE but need not be page-aligned;
 * the loader maps the page-rounded range
 * [ALIGN_DOWN(vaddr), ALIGN_UP(vaddr + memsz)), and elf_parse guarantees
 * that those ranges of different segments are disjoint and lie inside
 * [user_base, user_limit). [vaddr + filesz, vaddr + memsz) must read as
 * zero (bss); the rest of the rounded range outside [vaddr, vaddr + filesz)
 * belongs to no segment (zero it, or copy the file's neighbouring bytes as
 * Linux does: either is valid ELF). [offset, offset + filesz) lies inside
 * the file, even when filesz is 0.
 */
struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	unsigned prot; /* ELF_PROT_READ/WRITE/EXEC; never both WRITE and EXEC */
};

struct elf_info {
	uint64_t entry;      /* inside an executable segment, 4-byte aligned */
	/*
	 * Address of the program headers in the loaded image (for AT_PHDR),
	 * derived from the first PT_LOAD whose file bytes hold the whole
	 * table; 0 if none does. A PT_PHDR must agree with some such
	 * PT_LOAD (its p_vaddr is then the answer), or the image is refused.
	 */
	uint64_t phdr_vaddr;
	uint16_t phnum, phentsize; /* for AT_PHNUM, AT_PHENT */
	int nseg;            /* 1..ELF_MAX_SEGMENTS, in program-header order */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	uint64_t lowest, highest; /* page-rounded span of all segments */
	/*
	 * PT_TLS, all 0 if there is none: the initialization image is
	 * [tls_vaddr, tls_vaddr + tls_filesz), inside a loaded segment; each
	 * thread's block is tls_memsz bytes (the rest zero), aligned to
	 * tls_align (a power of two, 1..ELF_MAX_TLS_ALIGN; p_align 0 gives 1).
	 */
	uint64_t tls_vaddr, tls_memsz, tls_filesz, tls_align;
};

/*
 * Decode and validate the ELF image [image, image + size) as a static,
 * non-PIE AArch64 executable to be loaded between user_base (inclusive)
 * and user_limit (exclusive). image needs no particular alignment and is
 * only read. Returns 0 with *out filled in, or -ENOEXEC with *out untouched
 * when the image is not one we can run: malformed, inconsistent, not
 * ET_EXEC for EM_AARCH64 (elf_parse refuses ET_DYN; see elf_parse_at),
 * dynamically linked (PT_INTERP), with a writable and executable segment,
 * segments sharing a page, outside the user range or larger than the
 * limits above, or an entry point outside the executable segments.
 * PT_GNU_STACK is ignored: the stack is never executable. PT_NOTE,
 * PT_GNU_RELRO and other types are ignored.
 */
int elf_parse(const void *image, size_t size, uint64_t user_base,
	      uint64_t user_limit, struct elf_info *out);
/*
 * The same, also taking ET_DYN without PT_INTERP (static-pie): its
 * addresses (segments, entry, TLS, program headers) are moved up by
 * dyn_base, page aligned, and must then lie in the user range as an
 * ET_EXEC's do. dyn_base 0: ET_DYN refused, as elf_parse.
 */
int elf_parse_at(const void *image, size_t size, uint64_t user_base,
		 uint64_t user_limit, uint64_t dyn_base, struct elf_info *out);

#endif
