/*
 * kernel/elf.c: decodes and validates an ELF64 executable for the loader.
 * Everything is checked before anything is reported: the image comes from
 * user space or an initrd, so every field is hostile until proven sane.
 * Headers are copied out with memcpy, so the image needs no alignment, and
 * all offset and address arithmetic is checked for wrapping.
 */
#include <string.h>

#include "kernel/elf.h"
#include "kernel/lib/errno.h"
#include "mm/layout.h"

_Static_assert(ELF_PAGE_SIZE == PAGE_SIZE, "ELF segments are mapped in pages");
_Static_assert(ELF_MAX_PHNUM * sizeof(Elf64_Phdr) <= ELF_PAGE_SIZE,
	       "the program header table fits in a page");

/* AArch64 instructions are 4 bytes and must be 4-byte aligned. */
#define INSN_ALIGN 4

static bool is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* 0 and 1 both mean "no alignment" in p_align; otherwise a power of two. */
static bool align_ok(uint64_t align)
{
	return align == 0 || is_pow2(align);
}

/* *end = start + len; false if that wraps. */
static bool span_end(uint64_t start, uint64_t len, uint64_t *end)
{
	return !__builtin_add_overflow(start, len, end);
}

/* [start, start + len) lies inside a file of size bytes. */
static bool in_file(uint64_t start, uint64_t len, size_t size)
{
	uint64_t end;

	return span_end(start, len, &end) && end <= size;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t size)
{
	uint64_t table;

	if (eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
	    eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3)
		return -ENOEXEC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return -ENOEXEC;
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	/* ET_DYN: a static-pie program (no PT_INTERP), which relocates itself
	 * (musl's rcrt1.o) wherever it is loaded; decode checks the base. */
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_machine != EM_AARCH64)
		return -ENOEXEC;
	if (eh->e_ehsize != sizeof(Elf64_Ehdr) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr))
		return -ENOEXEC;
	/* Also refuses PN_XNUM (the count in section header 0). */
	if (eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	/* e_phnum * e_phentsize is at most 64 * 56: it cannot wrap. */
	table = (uint64_t)eh->e_phnum * eh->e_phentsize;
	if (!in_file(eh->e_phoff, table, size))
		return -ENOEXEC;
	return 0;
}

/* Check one PT_LOAD and decode it into *seg. */
static int check_load(const Elf64_Phdr *ph, size_t size, uint64_t user_base,
		      uint64_t user_limit, struct elf_segment *seg)
{
	uint64_t end;

	if (ph->p_filesz > ph->p_memsz || ph->p_memsz > ELF_MAX_SEGMENT_SIZE)
		return -ENOEXEC;
	if (!in_file(ph->p_offset, ph->p_filesz, size))
		return -ENOEXEC;
	/* The page-rounded end must not wrap either. */
	if (!span_end(ph->p_vaddr, ph->p_memsz, &end) ||
	    end > UINT64_MAX - (ELF_PAGE_SIZE - 1))
		return -ENOEXEC;
	if (ALIGN_DOWN(ph->p_vaddr, ELF_PAGE_SIZE) < user_base ||
	    ALIGN_UP(end, ELF_PAGE_SIZE) > user_limit)
		return -ENOEXEC;
	/* The file's pages are mapped (or copied) page for page. */
	if (!IS_ALIGNED(ph->p_vaddr - ph->p_offset, ELF_PAGE_SIZE) ||
	    !align_ok(ph->p_align))
		return -ENOEXEC;
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return -ENOEXEC;

	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->offset = ph->p_offset;
	seg->filesz = ph->p_filesz;
	seg->prot = ((ph->p_flags & PF_R) ? ELF_PROT_READ : 0) |
		    ((ph->p_flags & PF_W) ? ELF_PROT_WRITE : 0) |
		    ((ph->p_flags & PF_X) ? ELF_PROT_EXEC : 0);
	return 0;
}

static uint64_t seg_start(const struct elf_segment *s)
{
	return ALIGN_DOWN(s->vaddr, ELF_PAGE_SIZE);
}

/* check_load made sure this does not wrap. */
static uint64_t seg_end(const struct elf_segment *s)
{
	return ALIGN_UP(s->vaddr + s->memsz, ELF_PAGE_SIZE);
}

/* Some segment's memory holds all of [addr, addr + len) (len may be 0). */
static const struct elf_segment *find_seg(const struct elf_info *info,
					  uint64_t addr, uint64_t len)
{
	uint64_t end;

	if (!span_end(addr, len, &end))
		return NULL;
	for (int i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];

		if (addr >= s->vaddr && end <= s->vaddr + s->memsz &&
		    (len != 0 || addr < s->vaddr + s->memsz))
			return s;
	}
	return NULL;
}

static int check_tls(const Elf64_Phdr *tls, size_t size,
		     struct elf_info *info)
{
	uint64_t end;

	if (tls->p_filesz > tls->p_memsz || tls->p_memsz > ELF_MAX_SEGMENT_SIZE)
		return -ENOEXEC;
	if (!align_ok(tls->p_align) || tls->p_align > ELF_MAX_TLS_ALIGN)
		return -ENOEXEC;
	if (!span_end(tls->p_vaddr, tls->p_memsz, &end))
		return -ENOEXEC;
	/* The initialization image is copied from the loaded segments. */
	if (tls->p_filesz != 0 &&
	    (!in_file(tls->p_offset, tls->p_filesz, size) ||
	     !find_seg(info, tls->p_vaddr, tls->p_filesz)))
		return -ENOEXEC;

	info->tls_vaddr = tls->p_vaddr;
	info->tls_memsz = tls->p_memsz;
	info->tls_filesz = tls->p_filesz;
	info->tls_align = tls->p_align ? tls->p_align : 1;
	return 0;
}

/*
 * Where the program header table is in memory: the first segment whose
 * file bytes include the whole table maps it. If the file has a PT_PHDR,
 * some such segment must put the table exactly at its p_vaddr, so that
 * AT_PHDR never points at anything else.
 */
static int find_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *phdr,
		      struct elf_info *info)
{
	uint64_t len = (uint64_t)eh->e_phnum * eh->e_phentsize;
	uint64_t table_end = eh->e_phoff + len; /* checked by check_ehdr */

	for (int i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];
		uint64_t va;

		if (eh->e_phoff < s->offset || table_end > s->offset + s->filesz)
			continue;
		va = s->vaddr + (eh->e_phoff - s->offset);
		if (!phdr || va == phdr->p_vaddr) {
			info->phdr_vaddr = va;
			return 0;
		}
	}
	info->phdr_vaddr = 0;
	return phdr ? -ENOEXEC : 0;
}

static int decode(const unsigned char *image, size_t size, uint64_t user_base,
		  uint64_t user_limit, uint64_t dyn_base, struct elf_info *info)
{
	Elf64_Ehdr eh;
	/* p_type says whether each was found (PT_NULL: not yet). */
	Elf64_Phdr ph, tls = { .p_type = PT_NULL }, phdr = { .p_type = PT_NULL };
	uint64_t bias = 0;
	int err;

	memcpy(&eh, image, sizeof(eh));
	err = check_ehdr(&eh, size);
	if (err)
		return err;
	/* An ET_DYN image's addresses are offsets from where it is loaded:
	 * every one moves by dyn_base (page aligned, so segments keep their
	 * file offsets' page alignment); no base, no ET_DYN. */
	if (eh.e_type == ET_DYN) {
		if (!dyn_base || !IS_ALIGNED(dyn_base, ELF_PAGE_SIZE) ||
		    __builtin_add_overflow(eh.e_entry, dyn_base, &eh.e_entry))
			return -ENOEXEC;
		bias = dyn_base;
	}

	memset(info, 0, sizeof(*info));
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, image + eh.e_phoff + (uint64_t)i * sizeof(ph),
		       sizeof(ph));
		if (__builtin_add_overflow(ph.p_vaddr, bias, &ph.p_vaddr))
			return -ENOEXEC;
		switch (ph.p_type) {
		case PT_LOAD:
			/* An empty PT_LOAD maps nothing: skip it. */
			if (ph.p_memsz == 0 && ph.p_filesz == 0)
				break;
			if (info->nseg == ELF_MAX_SEGMENTS)
				return -ENOEXEC;
			err = check_load(&ph, size, user_base, user_limit,
					 &info->seg[info->nseg]);
			if (err)
				return err;
			info->nseg++;
			break;
		case PT_INTERP:
			/* Wants a dynamic linker: we only run static programs. */
			return -ENOEXEC;
		case PT_TLS:
			if (tls.p_type != PT_NULL)
				return -ENOEXEC;
			tls = ph;
			break;
		case PT_PHDR:
			if (phdr.p_type != PT_NULL)
				return -ENOEXEC;
			phdr = ph;
			break;
		default:
			/*
			 * PT_GNU_STACK included: the stack is mapped
			 * read-write and never executable, whatever it asks.
			 */
			break;
		}
	}
	if (info->nseg == 0)
		return -ENOEXEC;

	/* Segments sharing a page could not each have their own permissions. */
	for (int i = 0; i < info->nseg; i++) {
		for (int j = i + 1; j < info->nseg; j++) {
			if (seg_start(&info->seg[i]) < seg_end(&info->seg[j]) &&
			    seg_start(&info->seg[j]) < seg_end(&info->seg[i]))
				return -ENOEXEC;
		}
	}

	info->lowest = UINT64_MAX;
	info->highest = 0;
	for (int i = 0; i < info->nseg; i++) {
		info->lowest = MIN(info->lowest, seg_start(&info->seg[i]));
		info->highest = MAX(info->highest, seg_end(&info->seg[i]));
	}

	const struct elf_segment *text = find_seg(info, eh.e_entry, 0);
	if (!text || !(text->prot & ELF_PROT_EXEC) ||
	    !IS_ALIGNED(eh.e_entry, INSN_ALIGN))
		return -ENOEXEC;
	info->entry = eh.e_entry;

	if (tls.p_type != PT_NULL) {
		err = check_tls(&tls, size, info);
		if (err)
			return err;
	}
	err = find_phdrs(&eh, phdr.p_type != PT_NULL ? &phdr : NULL, info);
	if (err)
		return err;
	info->phnum = eh.e_phnum;
	info->phentsize = eh.e_phentsize;
	return 0;
}

int elf_parse(const void *image, size_t size, uint64_t user_base,
	      uint64_t user_limit, struct elf_info *out)
{
	return elf_parse_at(image, size, user_base, user_limit, 0, out);
}

int elf_parse_at(const void *image, size_t size, uint64_t user_base,
		 uint64_t user_limit, uint64_t dyn_base, struct elf_info *out)
{
	struct elf_info info;
	int err;

	if (!image || size < sizeof(Elf64_Ehdr))
		return -ENOEXEC;
	err = decode(image, size, user_base, user_limit, dyn_base, &info);
	if (err)
		return err;
	*out = info;
	return 0;
}
