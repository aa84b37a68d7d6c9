/*
 * tools/initfs_write.c: builds initfs archives in memory (see
 * tools/initfs_write.h and kernel/scheme/initfs_format.h). Host C with glibc.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/scheme/initfs.h"
#include "tools/initfs_write.h"

struct node {
	char *name;		/* one component; "" for the root */
	uint32_t parent;	/* node index */
	uint32_t mode;		/* type | permissions */
	uint8_t *data;		/* regular file: its bytes (NULL if empty); link: its target */
	uint32_t uid, gid;	/* owner, 0:0 unless initfs_writer_chown says */
	size_t size;
	uint32_t *children;	/* node indices, in the order added */
	uint32_t nchildren, children_cap;
};

struct initfs_writer {
	struct node *nodes;	/* node 0 is the root */
	uint32_t count, cap;
};

struct initfs_writer *initfs_writer_new(uint32_t root_perm)
{
	struct initfs_writer *w;

	if ((root_perm & ~(uint32_t)INITFS_S_IPERM) != 0)
		return NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	w->cap = 16;
	w->nodes = calloc(w->cap, sizeof(*w->nodes));
	if (w->nodes == NULL || (w->nodes[0].name = strdup("")) == NULL) {
		free(w->nodes);
		free(w);
		return NULL;
	}
	w->nodes[0].mode = INITFS_S_IFDIR | root_perm;
	w->count = 1;
	return w;
}

void initfs_writer_free(struct initfs_writer *w)
{
	if (w == NULL)
		return;
	for (uint32_t i = 0; i < w->count; i++) {
		free(w->nodes[i].name);
		free(w->nodes[i].data);
		free(w->nodes[i].children);
	}
	free(w->nodes);
	free(w);
}

/* The child of node dir named s[0, len), or -1. */
static int64_t find_child(const struct initfs_writer *w, uint32_t dir, const char *s, size_t len)
{
	const struct node *d = &w->nodes[dir];

	for (uint32_t i = 0; i < d->nchildren; i++) {
		const char *name = w->nodes[d->children[i]].name;

		if (strlen(name) == len && memcmp(name, s, len) == 0)
			return d->children[i];
	}
	return -1;
}

/*
 * Check path and find its parent node: on 0 (or -EEXIST, when the entry
 * is there already), *parent is the parent's index and *leaf the last
 * component.
 */
static int resolve_parent(const struct initfs_writer *w, const char *path,
			  uint32_t *parent, const char **leaf)
{
	size_t len = strnlen(path, INITFS_PATH_MAX);
	uint32_t cur = INITFS_ROOT;
	const char *p = path;

	if (len == INITFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -EINVAL;
	/* Syntax first, so that the error does not depend on what was added. */
	for (const char *s = path;;) {
		const char *e = strchr(s, '/');
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return -EINVAL;
		if (n > INITFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (e == NULL)
			break;
		s = e + 1;
	}
	for (;;) {
		const char *e = strchr(p, '/');
		int64_t child;

		if (e == NULL)
			break;
		child = find_child(w, cur, p, (size_t)(e - p));
		if (child < 0)
			return -ENOENT;
		cur = (uint32_t)child;
		if ((w->nodes[cur].mode & INITFS_S_IFMT) != INITFS_S_IFDIR)
			return -ENOTDIR;
		p = e + 1;
	}
	*parent = cur;
	*leaf = p;	/* set for -EEXIST too: find_path uses them */
	return find_child(w, cur, p, strlen(p)) >= 0 ? -EEXIST : 0;
}

static int add(struct initfs_writer *w, const char *path, uint32_t mode,
	       const void *data, size_t size)
{
	struct node *n, *d;
	uint32_t parent;
	const char *leaf;
	int err;

	if (w == NULL || path == NULL)
		return -EINVAL;
	err = resolve_parent(w, path, &parent, &leaf);
	if (err != 0)
		return err;
	if (w->count >= INITFS_MAX_ENTRIES)
		return -EFBIG;
	if (w->count == w->cap) {
		struct node *nodes = realloc(w->nodes, 2 * (size_t)w->cap * sizeof(*nodes));

		if (nodes == NULL)
			return -ENOMEM;
		w->nodes = nodes;
		w->cap *= 2;
	}
	d = &w->nodes[parent];
	if (d->nchildren == d->children_cap) {
		uint32_t cap = d->children_cap ? 2 * d->children_cap : 8;
		uint32_t *c = realloc(d->children, cap * sizeof(*c));

		if (c == NULL)
			return -ENOMEM;
		d->children = c;
		d->children_cap = cap;
	}
	n = &w->nodes[w->count];
	memset(n, 0, sizeof(*n));
	n->name = strdup(leaf);
	if (n->name == NULL)
		return -ENOMEM;
	if (size > 0) {
		n->data = malloc(size);
		if (n->data == NULL) {
			free(n->name);
			return -ENOMEM;
		}
		memcpy(n->data, data, size);
	}
	n->parent = parent;
	n->mode = mode;
	n->size = size;
	d->children[d->nchildren++] = w->count++;
	return 0;
}

int initfs_writer_add_dir(struct initfs_writer *w, const char *path, uint32_t perm)
{
	if ((perm & ~(uint32_t)INITFS_S_IPERM) != 0)
		return -EINVAL;
	return add(w, path, INITFS_S_IFDIR | perm, NULL, 0);
}

int initfs_writer_add_file(struct initfs_writer *w, const char *path, uint32_t perm,
			   const void *data, size_t size)
{
	if ((perm & ~(uint32_t)INITFS_S_IPERM) != 0 || (data == NULL && size > 0))
		return -EINVAL;
	return add(w, path, INITFS_S_IFREG | perm, data, size);
}

int initfs_writer_add_symlink(struct initfs_writer *w, const char *path, const char *target)
{
	size_t len = target != NULL ? strnlen(target, INITFS_PATH_MAX) : 0;

	if (len == 0)
		return -EINVAL;
	if (len == INITFS_PATH_MAX)
		return -ENAMETOOLONG;
	return add(w, path, INITFS_S_IFLNK | INITFS_LINK_PERM, target, len);
}

/* The node path names ("" = the root), or -errno as resolve_parent says. */
static int64_t find_path(const struct initfs_writer *w, const char *path)
{
	const char *leaf;
	uint32_t parent;
	int err;

	if (path[0] == '\0')
		return INITFS_ROOT;
	err = resolve_parent(w, path, &parent, &leaf);
	if (err != -EEXIST)
		return err == 0 ? -ENOENT : err;
	return find_child(w, parent, leaf, strlen(leaf));
}

int initfs_writer_chown(struct initfs_writer *w, const char *path, uint32_t uid, uint32_t gid)
{
	int64_t i;

	if (w == NULL || path == NULL)
		return -EINVAL;
	i = find_path(w, path);
	if (i < 0)
		return (int)i;
	w->nodes[i].uid = uid;
	w->nodes[i].gid = gid;
	return 0;
}

static bool is_link(const struct node *x)
{
	return (x->mode & INITFS_S_IFMT) == INITFS_S_IFLNK;
}

/* qsort context: C has no qsort_r in the standard, so a file-scope pointer. */
static const struct initfs_writer *sort_writer;

static int by_name(const void *a, const void *b)
{
	return strcmp(sort_writer->nodes[*(const uint32_t *)a].name,
		      sort_writer->nodes[*(const uint32_t *)b].name);
}

static void put_entry(uint8_t *out, uint32_t index, const struct initfs_entry *e)
{
	struct initfs_entry le = {
		.mode = initfs_le32(e->mode),
		.parent = initfs_le32(e->parent),
		.name_offset = initfs_le32(e->name_offset),
		.name_len = initfs_le32(e->name_len),
		.data_offset = initfs_le64(e->data_offset),
		.size = initfs_le64(e->size),
		.uid = initfs_le32(e->uid),
		.gid = initfs_le32(e->gid),
	};

	memcpy(out + sizeof(struct initfs_header) + (size_t)index * sizeof(le), &le, sizeof(le));
}

int initfs_writer_finish(struct initfs_writer *w, uint8_t **out, size_t *out_size)
{
	const uint64_t align = INITFS_DATA_ALIGN;
	uint32_t *order, *index_of;	/* archive index -> node, node -> archive index */
	uint64_t names_size = 1, links_size = 0, names_offset, data_offset, end, name_pos;
	uint64_t data_pos, link_pos;
	struct initfs_header h;
	struct initfs fs_check;
	uint32_t n = 1;
	uint8_t *buf;
	int err = -ENOMEM;

	if (w == NULL || out == NULL || out_size == NULL)
		return -EINVAL;
	order = malloc(w->count * sizeof(*order));
	index_of = malloc(w->count * sizeof(*index_of));
	if (order == NULL || index_of == NULL)
		goto out;

	/* Breadth-first, each directory's children by name: (parent, name) order. */
	order[0] = INITFS_ROOT;
	for (uint32_t k = 0; k < n; k++) {
		const struct node *d = &w->nodes[order[k]];

		index_of[order[k]] = k;
		if (d->nchildren == 0)
			continue;
		memcpy(&order[n], d->children, d->nchildren * sizeof(*order));
		sort_writer = w;
		qsort(&order[n], d->nchildren, sizeof(*order), by_name);
		n += d->nchildren;
	}

	/* Layout: header, entries, names, link targets packed, then
	 * page-aligned file data. */
	for (uint32_t i = 1; i < n; i++) {
		names_size += strlen(w->nodes[order[i]].name) + 1;
		if (is_link(&w->nodes[order[i]]))
			links_size += w->nodes[order[i]].size;
	}
	names_offset = sizeof(struct initfs_header) + (uint64_t)n * sizeof(struct initfs_entry);
	data_offset = ALIGN_UP(names_offset + names_size + links_size, align);
	end = data_offset;
	for (uint32_t i = 0; i < n; i++) {
		const struct node *x = &w->nodes[order[i]];

		if (x->size > 0 && !is_link(x))
			end = ALIGN_UP(end, align) + x->size;
		if (end > SIZE_MAX / 2 || end > UINT64_MAX / 2) {
			err = -EFBIG;
			goto out;
		}
	}
	end = ALIGN_UP(end, align);
	if (names_size > UINT32_MAX) {
		err = -EFBIG;
		goto out;
	}
	buf = calloc(1, end);
	if (buf == NULL)
		goto out;

	name_pos = 1;
	link_pos = names_offset + names_size;
	data_pos = data_offset;
	for (uint32_t i = 0; i < n; i++) {
		const struct node *x = &w->nodes[order[i]];
		size_t len = strlen(x->name);
		struct initfs_entry e = {
			.mode = x->mode,
			.parent = index_of[x->parent],
			.name_offset = i == 0 ? 0 : (uint32_t)name_pos,
			.name_len = (uint32_t)len,
			.uid = x->uid,
			.gid = x->gid,
		};

		if (i > 0) {
			memcpy(buf + names_offset + name_pos, x->name, len + 1);
			name_pos += len + 1;
		}
		if (is_link(x)) {
			e.data_offset = link_pos;
			e.size = x->size;
			memcpy(buf + link_pos, x->data, x->size);
			link_pos += x->size;
		} else if (x->size > 0) {
			data_pos = ALIGN_UP(data_pos, align);
			e.data_offset = data_pos;
			e.size = x->size;
			memcpy(buf + data_pos, x->data, x->size);
			data_pos += x->size;
		}
		put_entry(buf, i, &e);
	}

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, INITFS_MAGIC, INITFS_MAGIC_LEN);
	h.version = initfs_le32(INITFS_VERSION);
	h.header_size = initfs_le32(sizeof(struct initfs_header));
	h.total_size = initfs_le64(end);
	h.entry_count = initfs_le32(n);
	h.entry_size = initfs_le32(sizeof(struct initfs_entry));
	h.names_offset = initfs_le64(names_offset);
	h.names_size = initfs_le64(names_size);
	h.data_offset = initfs_le64(data_offset);
	memcpy(buf, &h, sizeof(h));
	h.crc32 = initfs_le32(initfs_crc32(0, buf, end));	/* the field is still 0 */
	memcpy(buf, &h, sizeof(h));

	if (initfs_open(&fs_check, buf, end) != 0) {
		free(buf);
		err = -EIO;
		goto out;
	}
	*out = buf;
	*out_size = end;
	err = 0;
out:
	free(order);
	free(index_of);
	return err;
}
