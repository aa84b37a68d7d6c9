/*
 * kernel/scheme/scheme_boot.c: the boot archive and the `boot:` scheme
 * (see boot.h). boot: serves exactly one file, boot:initfs, the whole
 * archive, read-only: read, stat, size, and fmap as normal memory where it
 * lies, in the kernel image or in the boot loader's initrd (kernel/initrd.c;
 * page aligned either way, so its files' pages map straight into user
 * space). Only a namespace that holds the private name `boot`
 * can open it (kernel/scheme/namespace.h): the first process's, which init
 * keeps only for initfsd.
 */
#include "kernel/scheme/boot.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/initfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/errno_str.h"
#include "kernel/printk.h"
#include "mm/kmap.h"
#include "mm/vm.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define BOOT_ARCHIVE_MODE (ABI_S_IFREG | 0444) /* read-only for everyone who can name it */
#define BOOT_ARCHIVE_INO 1                      /* the scheme's one file */
#define STAT_BLOCK_SIZE 512                     /* st_blocks counts 512-byte units (stat(2)) */

extern const uint8_t initfs_archive_start[], initfs_archive_end[];

static struct initfs archive; /* checked once at boot, then read-only */
static bool from_initrd;      /* archive is the boot loader's initrd */

int boot_archive_use_initrd(const void *blob, size_t size)
{
	int err = initfs_open(&archive, blob, size);

	if (err) {
		printk("initrd: refused: not a valid boot archive (bad magic, version, CRC or "
		       "truncated: %s); using the archive in the image\n", errno_str(err));
		return err;
	}
	from_initrd = true;
	return 0;
}

int boot_archive_init(void)
{
	size_t embedded = (size_t)(initfs_archive_end - initfs_archive_start);
	int err;

	if (from_initrd) {
		printk("boot: archive from the initrd at %#lx, %u entries, %zu KiB\n",
		       virt_to_phys(archive.base), archive.count, archive.size / KiB);
		return 0;
	}
	if (embedded == 0) {
		printk("boot: no boot archive: none in the kernel image and no valid initrd\n");
		return -ENOENT;
	}
	err = initfs_open(&archive, initfs_archive_start, embedded);
	if (err)
		printk("boot: the archive in the kernel image is invalid: %s\n", errno_str(err));
	else
		printk("boot: archive of %u entries, %zu KiB\n", archive.count, archive.size / KiB);
	return err;
}

int boot_archive_find(const char *path, const void **data, size_t *size, uint32_t *mode)
{
	struct initfs_stat st;
	int idx = initfs_lookup(&archive, path, &st);

	if (idx < 0)
		return idx;
	if ((st.mode & ABI_S_IFMT) != ABI_S_IFREG)
		return -EISDIR;
	*data = st.data;
	*size = st.size;
	*mode = st.mode;
	return 0;
}

static int boot_open(const struct scheme *s, const char *path, int flags, struct file *f,
		     const struct caller *c)
{
	(void)s;
	(void)c;
	if (strcmp(path, BOOT_ARCHIVE_FILE) != 0 || archive.count == 0)
		return -ENOENT;
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY || (flags & (ABI_O_CREAT | ABI_O_TRUNC)))
		return -EROFS;
	f->type = ABI_S_IFREG;
	return 0;
}

static long boot_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)f;
	(void)c;
	return scheme_read_buffer(u, off, archive.base, archive.size);
}

static int boot_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	(void)f;
	(void)c;
	st->st_ino = BOOT_ARCHIVE_INO;
	st->st_mode = BOOT_ARCHIVE_MODE;
	st->st_nlink = 1;
	st->st_size = (int64_t)archive.size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (int64_t)(ALIGN_UP(archive.size, PAGE_SIZE) / STAT_BLOCK_SIZE);
	return 0;
}

static int64_t boot_size(struct file *f, const struct caller *c)
{
	(void)f;
	(void)c;
	return (int64_t)archive.size;
}

/* The whole archive where it lies (page aligned: initfs_blob.S, or
 * initrd.c's move); the caller takes the part it asked for. Read-only:
 * the kernel image's pages, and the initrd's, must never be written. */
static int boot_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot,
		     struct fmap_desc *out)
{
	(void)f;
	(void)off;
	(void)len;
	if (prot & VM_WRITE)
		return -EACCES;
	*out = (struct fmap_desc){ .kind = FMAP_PHYS, .pa = virt_to_phys(archive.base),
				   .len = archive.size, .memtype = FMAP_MEM_NORMAL };
	return 0;
}

static const struct scheme_ops boot_ops = {
	.open = boot_open, .read = boot_read, .stat = boot_stat, .size = boot_size,
	.fmap = boot_fmap, .seekable = true,
};
const struct scheme boot_scheme = { .name = BOOT_SCHEME, .ops = &boot_ops };
