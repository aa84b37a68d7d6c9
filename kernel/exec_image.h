/*
 * kernel/exec_image.h: the bytes of an executable for exec (kernel/exec.c):
 * the boot archive's data where it lies (the first program), a daemon's
 * pages handed over with fmap
 * (mapped, not copied, into the new program where they are read-only), or
 * else a copy read into a kernel buffer.
 */
#ifndef KERNEL_EXEC_IMAGE_H
#define KERNEL_EXEC_IMAGE_H

#include "kernel/lib/types.h"

struct aspace;
struct file;
struct elf_segment;
struct vm_object;

struct exec_image {
	const uint8_t *data;    /* contiguous: the whole file, or (obj) its headers */
	size_t size;            /* of the file */
	void *buf;              /* owned copy (read, or obj's header page) */
	struct vm_object *obj;  /* the daemon's pages of the file, or NULL */
	/* The file opened, held until release: exec's /proc record takes its
	 * resolved path from it (kernel/exec.c), not from a second open.
	 * NULL for the first program. */
	struct file *file;
};

/* Opens path (an executable regular file) and gets its bytes: 0 or -errno. */
int exec_image_open(const char *path, const char *cwd, struct exec_image *img);
/* The same for the first program, found by the kernel itself in the boot
 * archive (kernel/scheme/boot.h): no scheme serves it yet. */
int exec_image_open_boot(const char *path, struct exec_image *img);
void exec_image_release(struct exec_image *img);
/* Maps segment s of img into as with prot (VM_*): the daemon's pages
 * themselves for a read-only segment that is all file, else a fresh region
 * with the file bytes copied in. */
int exec_image_load(struct aspace *as, const struct exec_image *img,
		    const struct elf_segment *s, unsigned prot);

#endif
