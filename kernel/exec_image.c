/*
 * kernel/exec_image.c: where exec gets a program's bytes (see
 * exec_image.h). Order of preference: a scheme's fmap (a daemon's pages,
 * initfsd's being the boot archive's own), else one read into a kernel
 * buffer; the first program's bytes in place in the boot archive.
 */
#include "kernel/exec_image.h"
#include "kernel/elf.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/boot.h"
#include "kernel/lib/errno.h"
#include "kernel/cred.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/heap.h"
#include "mm/kmap.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define EXEC_MAX_FILE (4 * MiB)  /* largest executable read into memory */

/* A daemon's page set: elf_parse reads only the ELF and program headers,
 * so a copy of the first page serves it when they lie there. */
static int use_object(struct exec_image *img, struct vm_object *obj)
{
	size_t hlen = MIN(img->size, (size_t)PAGE_SIZE);
	Elf64_Ehdr eh;

	img->buf = kmalloc(hlen);
	if (!img->buf)
		return -ENOMEM;
	memcpy(img->buf, phys_to_virt(obj->pages[0]), hlen);
	memcpy(&eh, img->buf, MIN(hlen, sizeof(eh)));
	if (hlen < sizeof(eh) || eh.e_phoff > hlen ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > hlen - eh.e_phoff) {
		kfree(img->buf);
		img->buf = NULL;
		return -ENOEXEC; /* not for this path: the caller reads the file */
	}
	img->data = img->buf;
	img->obj = obj;
	return 0;
}

static int read_copy(struct file *f, struct exec_image *img)
{
	struct uio u;
	long n;

	img->buf = kmalloc(img->size);
	if (!img->buf)
		return -ENOMEM;
	u = uio_kernel(img->buf, img->size);
	n = file_read(f, &u, 0);
	if (n != (long)img->size)
		return n < 0 ? (int)n : -EIO;
	img->data = img->buf;
	return 0;
}

int exec_image_open(const char *path, const char *cwd, struct exec_image *img)
{
	struct fmap_desc map;
	struct abi_stat st;
	struct file *f;
	int err = file_open(path, cwd, ABI_O_RDONLY, &f);

	memset(img, 0, sizeof(*img));
	if (err)
		return err;
	err = file_stat(f, &st);
	/* Only regular files the caller may execute run (Linux: EACCES
	 * otherwise); set-user-id bits are not honoured (kernel/cred.h). */
	if (!err && ((st.st_mode & ABI_S_IFMT) != ABI_S_IFREG ||
		     !cred_may_exec_file(&st)))
		err = -EACCES;
	if (!err && (st.st_size <= 0 || st.st_size > (int64_t)EXEC_MAX_FILE))
		err = st.st_size <= 0 ? -ENOEXEC : -EFBIG;
	if (err) {
		file_put(f);
		return err;
	}
	img->size = (size_t)st.st_size;
	img->file = f; /* exec_image_release puts it */
	if (file_fmap(f, 0, img->size, VM_READ | VM_EXEC, &map) == 0) {
		if (map.kind == FMAP_PHYS && map.memtype == FMAP_MEM_NORMAL && map.len >= img->size) {
			img->data = phys_to_virt(map.pa);
			return 0;
		}
		if (map.kind == FMAP_OBJECT && use_object(img, map.obj) == 0)
			return 0;
		fmap_desc_release(&map);
	}
	err = read_copy(f, img);
	if (err)
		exec_image_release(img);
	return err;
}

int exec_image_open_boot(const char *path, struct exec_image *img)
{
	const void *data;
	uint32_t mode;
	size_t size;
	int err = boot_archive_find(path, &data, &size, &mode);

	memset(img, 0, sizeof(*img));
	if (err)
		return err;
	if (!(mode & ABI_S_IXALL))
		return -EACCES;
	if (size == 0)
		return -ENOEXEC;
	img->data = data;
	img->size = size;
	return 0;
}

void exec_image_release(struct exec_image *img)
{
	kfree(img->buf);
	if (img->obj)
		vm_object_put(img->obj);
	if (img->file)
		file_put(img->file);
	memset(img, 0, sizeof(*img));
}

/* Copies the segment's file bytes from the daemon's pages, page by page. */
static int copy_from_object(struct aspace *as, const struct exec_image *img,
			    const struct elf_segment *s)
{
	for (uint64_t done = 0; done < s->filesz;) {
		uint64_t off = s->offset + done;
		size_t piece = MIN(s->filesz - done, PAGE_SIZE - (off & (PAGE_SIZE - 1)));
		const uint8_t *src = (const uint8_t *)phys_to_virt(img->obj->pages[off / PAGE_SIZE]) +
				     (off & (PAGE_SIZE - 1));
		int err = uvm_write(as, s->vaddr + done, src, piece);

		if (err)
			return err;
		done += piece;
	}
	return 0;
}

int exec_image_load(struct aspace *as, const struct exec_image *img,
		    const struct elf_segment *s, unsigned prot)
{
	uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	int err;

	if (img->obj && !(prot & VM_WRITE) && s->filesz == s->memsz &&
	    (s->vaddr & (PAGE_SIZE - 1)) == (s->offset & (PAGE_SIZE - 1)))
		return uvm_map_object(as, start, end, prot, img->obj, s->offset / PAGE_SIZE, false);
	err = uvm_add_region(as, start, end, prot, 0, 0, 0);
	if (err || !s->filesz)
		return err;
	if (img->obj)
		return copy_from_object(as, img, s);
	return uvm_write(as, s->vaddr, img->data + s->offset, s->filesz);
}
