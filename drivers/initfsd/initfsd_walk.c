/*
 * drivers/initfsd/initfsd_walk.c: the boot archive as a tree for
 * drivers/ramfs/walk.c, so that initfs: follows the archive's symbolic
 * links and answers redirects as syscall/abi/scheme_proto.h says. Nodes
 * are entry indices; the archive is read-only, so every directory is
 * searchable (initfs: has no permissions to check).
 */
#include <errno.h>
#include "drivers/initfsd/initfsd_serve.h"

static int arc_child(void *ctx, uint64_t dir, const char *name, size_t len, uint64_t *node)
{
	char comp[WALK_NAME_MAX + 1];
	int idx;

	memcpy(comp, name, len);
	comp[len] = '\0';
	idx = initfs_lookup_at(ctx, (uint32_t)dir, comp, NULL);
	if (idx < 0)
		return idx;
	*node = (uint64_t)idx;
	return 0;
}

static uint64_t arc_parent(void *ctx, uint64_t dir)
{
	struct initfs_stat st;

	initfs_stat_index(ctx, (uint32_t)dir, &st);
	return st.parent;
}

static enum walk_type arc_type(void *ctx, uint64_t node)
{
	struct initfs_stat st;

	initfs_stat_index(ctx, (uint32_t)node, &st);
	switch (st.mode & INITFS_S_IFMT) {
	case INITFS_S_IFDIR:
		return WALK_DIR;
	case INITFS_S_IFLNK:
		return WALK_LINK;
	default:
		return WALK_OTHER;
	}
}

static const char *arc_target(void *ctx, uint64_t node, size_t *len)
{
	struct initfs_stat st;

	initfs_stat_index(ctx, (uint32_t)node, &st);
	*len = (size_t)st.size;
	return st.data;
}

static const struct walk_ops archive_ops = {
	.child = arc_child, .parent = arc_parent, .type = arc_type, .target = arc_target,
};

int initfsd_walk(const struct initfs *fs, const char *path, unsigned flags, struct walk *w)
{
	return walk_path(&archive_ops, (void *)fs, INITFS_ROOT, path, flags, w);
}
