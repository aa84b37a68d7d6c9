/*
 * drivers/ramfs/ramfs_populate.c: fills an empty tree from the boot
 * archive (kernel/scheme/initfs.h's reader): every directory, file and
 * link with its mode and owner; files point at the archive's pages until
 * changed (ramfs_set_backing), so populating copies no file data.
 */
#include "drivers/ramfs/ramfs_internal.h"
#include "drivers/ramfs/ramfs_populate.h"

/* Adds archive entry st (named name) under dir: its inode, or NULL. */
static struct ramfs_inode *add_entry(struct ramfs *fs, struct ramfs_inode *dir, const char *name,
				     const struct initfs_stat *st)
{
	struct ramfs_cred owner = { .uid = st->uid, .gid = st->gid };
	struct ramfs_dirent *de = ramfs_dirent_new(fs, name, strlen(name));
	struct ramfs_inode *n = de != NULL ? ramfs_inode_new(fs, st->mode, &owner, NULL) : NULL;
	char *target = NULL;

	if (n != NULL && (st->mode & RAMFS_S_IFMT) == RAMFS_S_IFLNK) {
		target = fs->mem.alloc(fs->mem.ctx, st->size + 1);
		if (target == NULL) {
			ramfs_inode_free(fs, n);
			n = NULL;
		}
	}
	if (n == NULL) {
		if (de != NULL)
			fs->mem.free(fs->mem.ctx, de);
		return NULL;
	}
	switch (st->mode & RAMFS_S_IFMT) {
	case RAMFS_S_IFDIR:
		n->dir.next_cookie = RAMFS_COOKIE_FIRST;
		break;
	case RAMFS_S_IFLNK:
		memcpy(target, st->data, st->size);
		target[st->size] = '\0';
		n->target = target;
		n->size = st->size;
		break;
	default:
		ramfs_set_backing(n, st->data, st->size);
	}
	ramfs_dir_insert(fs, dir, de, n);
	return n;
}

int ramfs_populate(struct ramfs *fs, const struct initfs *arc)
{
	struct ramfs_inode **by_index = fs->mem.alloc(fs->mem.ctx, arc->count * sizeof(*by_index));
	struct initfs_stat st;

	if (by_index == NULL)
		return -ENOMEM;
	initfs_stat_index(arc, INITFS_ROOT, &st);
	by_index[INITFS_ROOT] = fs->root;
	fs->root->mode = st.mode;
	fs->root->uid = st.uid;
	fs->root->gid = st.gid;
	/* Parents come before their children in the archive. */
	for (uint32_t i = 1; i < arc->count; i++) {
		initfs_stat_index(arc, i, &st);
		by_index[i] = add_entry(fs, by_index[st.parent], initfs_name(arc, i), &st);
		if (by_index[i] == NULL) {
			fs->mem.free(fs->mem.ctx, by_index);
			return -ENOMEM;
		}
	}
	fs->mem.free(fs->mem.ctx, by_index);
	return 0;
}
