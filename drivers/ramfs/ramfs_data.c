/*
 * drivers/ramfs/ramfs_data.c: regular files' bytes (see ramfs.h): the
 * reservation and its committed-page bitmap, reads by runs of pages and
 * holes, writes that commit every page they need before changing
 * anything, truncation, mappings, and the archive's pages until the
 * first change.
 */
#include "drivers/ramfs/ramfs_internal.h"

#define BITS 64
#define CHUNK_PAGES ((uint64_t)RAMFS_PAGE * 8)  /* pages one bitmap chunk covers */

static uint64_t pages_of(uint64_t bytes)
{
	return (bytes + RAMFS_PAGE - 1) / RAMFS_PAGE;
}

static bool present(const struct ramfs_file *f, uint64_t page)
{
	uint64_t c = page / CHUNK_PAGES, i = page % CHUNK_PAGES;

	return c < f->nchunks && f->present[c] != NULL &&
	       (f->present[c][i / BITS] >> (i % BITS) & 1);
}

static void mark(struct ramfs_file *f, uint64_t page, bool on)
{
	uint64_t c = page / CHUNK_PAGES, i = page % CHUNK_PAGES, bit = 1ull << (i % BITS);

	if (on)
		f->present[c][i / BITS] |= bit;
	else
		f->present[c][i / BITS] &= ~bit;
}

/* Commits one page within the budget: 0 or -ENOSPC. */
static int commit_page(struct ramfs *fs, uint8_t *page)
{
	if (fs->pages >= fs->mem.budget_pages || fs->mem.commit(fs->mem.ctx, page) != 0)
		return -ENOSPC;
	fs->pages++;
	return 0;
}

static void decommit_pages(struct ramfs *fs, uint8_t *addr, uint64_t npages)
{
	fs->mem.decommit(fs->mem.ctx, addr, npages * RAMFS_PAGE);
	fs->pages -= npages;
}

/* Moves the committed pages of f into a reservation of bytes: 0 or
 * -ENOSPC/-ENOMEM with f unchanged. */
static int move_reservation(struct ramfs *fs, struct ramfs_file *f, uint64_t bytes)
{
	uint64_t nchunks = (bytes / RAMFS_PAGE + CHUNK_PAGES - 1) / CHUNK_PAGES;
	uint64_t **chunks = fs->mem.alloc(fs->mem.ctx, nchunks * sizeof(*chunks));
	uint8_t *base = chunks ? fs->mem.reserve(fs->mem.ctx, bytes) : NULL;
	uint64_t page, done = 0, npages = f->reserved / RAMFS_PAGE;

	if (base == NULL) {
		if (chunks)
			fs->mem.free(fs->mem.ctx, chunks);
		return -ENOMEM;
	}
	for (page = 0; page < npages; page++) {
		if (!present(f, page))
			continue;
		if (commit_page(fs, base + page * RAMFS_PAGE) != 0)
			break;
		memcpy(base + page * RAMFS_PAGE, f->base + page * RAMFS_PAGE, RAMFS_PAGE);
		done++;
	}
	/* Unreserving takes the pages in it back. */
	if (page < npages) {
		fs->mem.unreserve(fs->mem.ctx, base, bytes);
		fs->pages -= done;
		fs->mem.free(fs->mem.ctx, chunks);
		return -ENOSPC;
	}
	if (f->base != NULL) {
		memcpy(chunks, f->present, f->nchunks * sizeof(*chunks));
		fs->mem.unreserve(fs->mem.ctx, f->base, f->reserved);
		fs->pages -= done;
		fs->mem.free(fs->mem.ctx, f->present);
	}
	f->base = base;
	f->reserved = bytes;
	f->present = chunks;
	f->nchunks = nchunks;
	return 0;
}

/* f's reservation covers bytes: 0 or -EFBIG/-ENOSPC/-ENOMEM. */
static int reserve(struct ramfs *fs, struct ramfs_file *f, uint64_t bytes)
{
	uint64_t size = RAMFS_RESERVE_MIN;

	if (bytes > RAMFS_FILE_MAX)
		return -EFBIG;
	if (bytes <= f->reserved)
		return 0;
	if (f->pins > 0)
		return -EFBIG; /* mapped pages must stay where they are */
	while (size < bytes)
		size *= RAMFS_RESERVE_GROWTH;
	return move_reservation(fs, f, size < RAMFS_FILE_MAX ? size : RAMFS_FILE_MAX);
}

/* Commits every page of [first, last] that is a hole: 0, or -ENOSPC /
 * -ENOMEM with none of them committed. */
static int commit_range(struct ramfs *fs, struct ramfs_file *f, uint64_t first, uint64_t last)
{
	uint64_t page, added = 0;

	/* Bitmap chunks first (an empty chunk left behind changes nothing). */
	for (uint64_t c = first / CHUNK_PAGES; c <= last / CHUNK_PAGES; c++)
		if (f->present[c] == NULL &&
		    (f->present[c] = fs->mem.alloc(fs->mem.ctx, RAMFS_PAGE)) == NULL)
			return -ENOMEM;
	for (page = first; page <= last; page++) {
		if (present(f, page))
			continue;
		if (commit_page(fs, f->base + page * RAMFS_PAGE) != 0)
			break;
		added++;
	}
	if (page <= last) {
		for (uint64_t p = first; p < page; p++)
			if (!present(f, p))
				decommit_pages(fs, f->base + p * RAMFS_PAGE, 1);
		return -ENOSPC;
	}
	for (page = first; page <= last; page++)
		mark(f, page, true);
	f->committed += added;
	return 0;
}

/* Holes again: the pages from first on (runs decommitted together). */
static void decommit_from(struct ramfs *fs, struct ramfs_file *f, uint64_t first)
{
	uint64_t npages = f->reserved / RAMFS_PAGE;

	for (uint64_t page = first; page < npages;) {
		uint64_t run = page;

		while (run < npages && present(f, run)) {
			mark(f, run, false);
			run++;
		}
		if (run > page) {
			decommit_pages(fs, f->base + page * RAMFS_PAGE, run - page);
			f->committed -= run - page;
		}
		page = run + 1;
	}
}

/* The archive's bytes become the file's own (the first change). */
static int unback(struct ramfs *fs, struct ramfs_inode *n)
{
	struct ramfs_file *f = &n->file;
	int err;

	if (f->backing == NULL)
		return 0;
	err = reserve(fs, f, pages_of(n->size) * RAMFS_PAGE);
	if (err == 0 && n->size > 0)
		err = commit_range(fs, f, 0, pages_of(n->size) - 1);
	if (err != 0)
		return err;
	memcpy(f->base, f->backing, n->size);
	f->backing = NULL;
	return 0;
}

/* Undoes unback when what followed it failed: the copy's pages go (an
 * archive file has no others) and the archive's bytes are the file's
 * again. Returns err. */
static int reback(struct ramfs *fs, struct ramfs_inode *n, const uint8_t *backing, int err)
{
	if (backing != NULL && n->file.backing == NULL) {
		decommit_from(fs, &n->file, 0);
		n->file.backing = backing;
	}
	return err;
}

void ramfs_set_backing(struct ramfs_inode *n, const void *data, uint64_t size)
{
	n->file.backing = size > 0 ? data : NULL;
	n->size = size;
}

uint64_t ramfs_read_seg(const struct ramfs_inode *n, uint64_t off, uint64_t len, const void **p)
{
	const struct ramfs_file *f = &n->file;
	uint64_t end, page;
	bool hole;

	if (off >= n->size || len == 0)
		return 0;
	len = len < n->size - off ? len : n->size - off;
	if (f->backing != NULL) {
		*p = f->backing + off;
		return len;
	}
	page = off / RAMFS_PAGE;
	hole = !present(f, page);
	for (end = (page + 1) * RAMFS_PAGE; end < off + len && present(f, end / RAMFS_PAGE) == !hole;)
		end += RAMFS_PAGE;
	*p = hole ? NULL : f->base + off;
	return (end < off + len ? end : off + len) - off;
}

uint64_t ramfs_read(const struct ramfs_inode *n, uint64_t off, void *dst, uint64_t len)
{
	uint64_t done = 0, seg;
	const void *p;

	while ((seg = ramfs_read_seg(n, off + done, len - done, &p)) > 0) {
		if (p != NULL)
			memcpy((uint8_t *)dst + done, p, seg);
		else
			memset((uint8_t *)dst + done, 0, seg);
		done += seg;
	}
	return done;
}

int ramfs_write_begin(struct ramfs *fs, struct ramfs_inode *n, uint64_t *off, uint64_t len,
		      bool append, void **p)
{
	struct ramfs_file *f = &n->file;
	const uint8_t *backing = f->backing;
	int err;

	if (!RAMFS_IS_REG(n))
		return -EINVAL;
	if (append)
		*off = n->size;
	if (*off > RAMFS_FILE_MAX || len > RAMFS_FILE_MAX - *off)
		return -EFBIG;
	err = unback(fs, n);
	if (err == 0 && len > 0)
		err = reserve(fs, f, *off + len);
	if (err == 0 && len > 0)
		err = commit_range(fs, f, *off / RAMFS_PAGE, (*off + len - 1) / RAMFS_PAGE);
	if (err != 0)
		return reback(fs, n, backing, err);
	*p = f->base != NULL ? f->base + *off : NULL;
	return 0;
}

void ramfs_write_done(struct ramfs *fs, struct ramfs_inode *n, uint64_t off, uint64_t len)
{
	if (off + len > n->size)
		n->size = off + len;
	/* Linux: writing drops setuid and setgid (for non-root, unchecked here). */
	ramfs_touch(fs, n, RAMFS_T_MTIME | RAMFS_T_CTIME);
}

int64_t ramfs_write(struct ramfs *fs, struct ramfs_inode *n, uint64_t off, const void *src,
		    uint64_t len, bool append)
{
	void *p;
	int err = ramfs_write_begin(fs, n, &off, len, append, &p);

	if (err != 0)
		return err;
	if (len > 0)
		memcpy(p, src, len);
	ramfs_write_done(fs, n, off, len);
	return (int64_t)len;
}

int ramfs_truncate(struct ramfs *fs, struct ramfs_inode *n, uint64_t len)
{
	struct ramfs_file *f = &n->file;
	uint64_t keep = pages_of(len);
	int err;

	if (!RAMFS_IS_REG(n))
		return RAMFS_IS_DIR(n) ? -EISDIR : -EINVAL;
	if (len > RAMFS_FILE_MAX)
		return -EFBIG;
	if (len == 0)
		f->backing = NULL; /* nothing to copy */
	err = unback(fs, n);
	if (err != 0)
		return err;
	if (len < n->size) {
		decommit_from(fs, f, keep);
		/* The rest of the last page reads as zeros if the file grows. */
		if (len % RAMFS_PAGE && present(f, len / RAMFS_PAGE))
			memset(f->base + len, 0, RAMFS_PAGE - len % RAMFS_PAGE);
	}
	n->size = len;
	ramfs_touch(fs, n, RAMFS_T_MTIME | RAMFS_T_CTIME);
	return 0;
}

int ramfs_map(struct ramfs *fs, struct ramfs_inode *n, uint64_t off, uint64_t len, bool own,
	      bool shared, const void **addr)
{
	struct ramfs_file *f = &n->file;
	const uint8_t *backing = f->backing;
	uint64_t end;
	int err;

	if (!RAMFS_IS_REG(n) || off % RAMFS_PAGE || len == 0 || len > RAMFS_FILE_MAX ||
	    off > RAMFS_FILE_MAX - len)
		return -EINVAL;
	end = (off + len + RAMFS_PAGE - 1) / RAMFS_PAGE * RAMFS_PAGE;
	if (f->backing != NULL && !own && !shared) {
		*addr = f->backing + off; /* the caller pads past the archive's page */
		return 0;
	}
	err = unback(fs, n);
	if (err == 0 && shared && f->pins == 0)
		err = reserve(fs, f, end > RAMFS_PIN_RESERVE ? end : RAMFS_PIN_RESERVE);
	if (err == 0)
		err = reserve(fs, f, end);
	if (err == 0)
		err = commit_range(fs, f, off / RAMFS_PAGE, end / RAMFS_PAGE - 1);
	if (err != 0)
		return reback(fs, n, backing, err);
	if (shared)
		f->pins++;
	*addr = f->base + off;
	return 0;
}

void ramfs_unpin(struct ramfs_inode *n)
{
	if (n->file.pins > 0)
		n->file.pins--;
}

void ramfs_file_free(struct ramfs *fs, struct ramfs_inode *n)
{
	struct ramfs_file *f = &n->file;

	if (f->base == NULL)
		return;
	fs->pages -= f->committed;
	fs->mem.unreserve(fs->mem.ctx, f->base, f->reserved); /* its pages with it */
	for (uint64_t c = 0; c < f->nchunks; c++)
		if (f->present[c] != NULL)
			fs->mem.free(fs->mem.ctx, f->present[c]);
	fs->mem.free(fs->mem.ctx, f->present);
}
