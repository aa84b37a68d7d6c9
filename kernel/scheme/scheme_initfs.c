/*
 * kernel/scheme/scheme_initfs.c: the initfs: scheme, the read-only initial file
 * system from the archive the kernel image carries (tools/mkinitfs.c,
 * format in kernel/scheme/initfs_format.h). It is also the `file` scheme until a
 * user-space daemon takes it over. File data lies page aligned in the
 * kernel image, so read-only private mappings use its pages directly.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/initfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/errno_str.h"
#include "kernel/printk.h"
#include "mm/kmap.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"

#define DOT_ENTRIES 2 /* "." and ".." lead every directory listing */
#define STAT_BLOCK_SIZE 512 /* st_blocks counts 512-byte units (stat(2)) */

extern const uint8_t initfs_archive_start[], initfs_archive_end[];

static struct initfs fs; /* opened once at boot, then read-only */

struct initfs_file {
	struct initfs_stat st;
};

static int initfs_open_op(const struct scheme *s, const char *path, int flags, struct file *f,
			 const struct caller *c)
{
	struct initfs_file *h;
	struct initfs_stat st;
	int idx;

	(void)c;
	(void)s;
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY || (flags & (ABI_O_CREAT | ABI_O_TRUNC)))
		return -EROFS;
	idx = initfs_lookup(&fs, path, &st);
	if (idx < 0)
		return idx;
	h = kmalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->st = st;
	f->priv = h;
	f->type = st.mode & ABI_S_IFMT;
	return 0;
}

static long initfs_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct initfs_file *h = f->priv;

	(void)c;
	return scheme_read_buffer(u, off, h->st.data, h->st.size);
}

static int initfs_stat_op(struct file *f, struct abi_stat *st, const struct caller *c)
{
	struct initfs_file *h = f->priv;

	(void)c;
	st->st_ino = h->st.ino;
	st->st_mode = h->st.mode;
	st->st_nlink = 1;
	st->st_size = (int64_t)h->st.size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (int64_t)(ALIGN_UP(h->st.size, PAGE_SIZE) / STAT_BLOCK_SIZE);
	return 0;
}

static int64_t initfs_size(struct file *f, const struct caller *c)
{
	(void)c;
	return (int64_t)((struct initfs_file *)f->priv)->st.size;
}

static long initfs_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	struct initfs_file *h = f->priv;
	size_t pos = 0;

	(void)c;
	for (;;) {
		struct initfs_stat st;
		const char *name;
		uint32_t c;
		long n;
		int got;

		if (*cursor < DOT_ENTRIES) {
			uint64_t ino = *cursor == 0 ? h->st.ino : h->st.parent + 1;

			n = scheme_dirent(u, pos, ino, (int64_t)*cursor + 1, ABI_DT_DIR, *cursor == 0 ? "." : "..");
		} else {
			c = (uint32_t)(*cursor - DOT_ENTRIES);
			got = initfs_readdir(&fs, h->st.index, &c, &name, &st);
			if (got < 0)
				return got;
			if (got == 0)
				break;
			n = scheme_dirent(u, pos, st.ino, (int64_t)*cursor + 1,
					  (st.mode & ABI_S_IFMT) == ABI_S_IFDIR ? ABI_DT_DIR : ABI_DT_REG, name);
		}
		if (n <= 0) /* no room for another record, or a bad buffer */
			return pos ? (long)pos : n ? n : -EINVAL;
		pos += (size_t)n;
		(*cursor)++;
	}
	return (long)pos;
}

/* The file's data where it lies in the kernel image (FMAP_PHYS): the
 * whole file, whatever the range asked; the caller takes its part. */
static int initfs_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot,
		       struct fmap_desc *out)
{
	struct initfs_file *h = f->priv;

	(void)off;
	(void)len;
	(void)prot;
	if ((h->st.mode & ABI_S_IFMT) != ABI_S_IFREG || h->st.size == 0)
		return -EOPNOTSUPP;
	*out = (struct fmap_desc){ .kind = FMAP_PHYS, .pa = virt_to_phys(h->st.data),
				   .len = h->st.size, .memtype = FMAP_MEM_NORMAL };
	return 0;
}

static void initfs_close(struct file *f)
{
	kfree(f->priv);
}

static const struct scheme_ops initfs_ops = {
	.open = initfs_open_op, .read = initfs_read, .stat = initfs_stat_op,
	.getdents = initfs_getdents, .fmap = initfs_fmap, .size = initfs_size,
	.close = initfs_close, .seekable = true,
};
const struct scheme initfs_scheme = { .name = "initfs", .ops = &initfs_ops };
const struct scheme file_scheme = { .name = "file", .ops = &initfs_ops };

int initfs_scheme_init(void)
{
	int err = initfs_open(&fs, initfs_archive_start,
			      (size_t)(initfs_archive_end - initfs_archive_start));

	if (err)
		printk("initfs: the archive in the kernel image is invalid: %s\n", errno_str(err));
	else
		printk("initfs: %u entries, %zu KiB\n", fs.count, fs.size / KiB);
	return err;
}
