/*
 * drivers/ramfs/ramfs_attr.c: permissions and attributes (see ramfs.h):
 * the rwx check with the caller's groups, the sticky-directory rule,
 * stat, statfs, chmod, chown, utimens and readlink, each as Linux
 * (fs/namei.c, fs/attr.c) answers it.
 */
#include "drivers/ramfs/ramfs_internal.h"

#define OWNER_SHIFT 6
#define GROUP_SHIFT 3
#define ANY_EXEC 0111
#define GROUP_EXEC 0010
#define STAT_BLOCK 512                  /* st_blocks unit */
#define ID_UNCHANGED ((uint32_t)-1)
#define FILES_MAX (1ull << 32)          /* statfs f_files: inodes are only memory */

bool ramfs_in_group(const struct ramfs_cred *c, uint32_t gid)
{
	if (c->gid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < RAMFS_GROUPS_MAX; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

int ramfs_access(const struct ramfs_inode *n, const struct ramfs_cred *c, int want)
{
	uint32_t bits;

	if (c->uid == 0) {
		/* Root reads and writes anything; it executes a file only if
		 * someone may (a directory is always searchable). */
		if ((want & RAMFS_MAY_EXEC) && !RAMFS_IS_DIR(n) && !(n->mode & ANY_EXEC))
			return -EACCES;
		return 0;
	}
	if (c->uid == n->uid)
		bits = n->mode >> OWNER_SHIFT;
	else if (ramfs_in_group(c, n->gid))
		bits = n->mode >> GROUP_SHIFT;
	else
		bits = n->mode;
	return ((uint32_t)want & ~bits & 7u) ? -EACCES : 0;
}

int ramfs_may_create(const struct ramfs_inode *dir, const struct ramfs_cred *c)
{
	if (dir->nlink == 0)
		return -ENOENT; /* removed while we held it */
	return ramfs_access(dir, c, RAMFS_MAY_WRITE | RAMFS_MAY_EXEC);
}

int ramfs_may_delete(const struct ramfs_inode *dir, const struct ramfs_inode *victim,
		     const struct ramfs_cred *c)
{
	int err = ramfs_access(dir, c, RAMFS_MAY_WRITE | RAMFS_MAY_EXEC);

	if (err != 0)
		return err;
	/* Sticky: only the file's owner, the directory's owner or root. */
	if ((dir->mode & RAMFS_S_ISVTX) && c->uid != 0 && c->uid != victim->uid &&
	    c->uid != dir->uid)
		return -EPERM;
	return 0;
}

/* Every field named, blocks included: a member left out makes GCC clear
 * the whole struct with a memset call first, on every stat. */
void ramfs_stat(const struct ramfs_inode *n, struct ramfs_stat *st)
{
	uint64_t blocks = 0;

	if (RAMFS_IS_REG(n))
		blocks = n->file.backing != NULL ? (n->size + STAT_BLOCK - 1) / STAT_BLOCK :
			 n->file.committed * (RAMFS_PAGE / STAT_BLOCK);
	*st = (struct ramfs_stat){
		.ino = n->ino, .mode = n->mode, .nlink = n->nlink, .uid = n->uid, .gid = n->gid,
		.size = RAMFS_IS_DIR(n) ? RAMFS_PAGE : n->size, .blocks = blocks,
		.atime = n->atime, .mtime = n->mtime, .ctime = n->ctime,
	};
}

void ramfs_statfs(const struct ramfs *fs, struct ramfs_statfs *st)
{
	uint64_t total = fs->mem.budget_pages;

	*st = (struct ramfs_statfs){
		.type = RAMFS_MAGIC, .bsize = RAMFS_PAGE, .blocks = total,
		.bfree = total > fs->pages ? total - fs->pages : 0,
		.files = FILES_MAX, .ffree = FILES_MAX - fs->inodes, .namelen = RAMFS_NAME_MAX,
	};
}

/* Clears setuid, and setgid where it means "run as the group" (with
 * group execute; without, it marks mandatory locking). */
static void drop_privs(struct ramfs_inode *n)
{
	n->mode &= ~(uint32_t)RAMFS_S_ISUID;
	if (n->mode & GROUP_EXEC)
		n->mode &= ~(uint32_t)RAMFS_S_ISGID;
}

void ramfs_modified_by(struct ramfs_inode *n, const struct ramfs_cred *c)
{
	if (c->uid != 0 && RAMFS_IS_REG(n))
		drop_privs(n);
}

static bool owner_or_root(const struct ramfs_inode *n, const struct ramfs_cred *c)
{
	return c->uid == 0 || c->uid == n->uid;
}

int ramfs_chmod(struct ramfs *fs, struct ramfs_inode *n, const struct ramfs_cred *c, uint32_t mode)
{
	if (!owner_or_root(n, c))
		return -EPERM;
	mode &= RAMFS_S_IPERM;
	/* Linux: setgid is dropped when the caller is not in the file's group. */
	if (c->uid != 0 && !ramfs_in_group(c, n->gid))
		mode &= ~(uint32_t)RAMFS_S_ISGID;
	n->mode = (n->mode & RAMFS_S_IFMT) | mode;
	ramfs_touch(fs, n, RAMFS_T_CTIME);
	return 0;
}

int ramfs_chown(struct ramfs *fs, struct ramfs_inode *n, const struct ramfs_cred *c, uint32_t uid,
		uint32_t gid)
{
	if (c->uid != 0) {
		/* The owner may only give the file to one of its groups. */
		if ((uid != ID_UNCHANGED && uid != n->uid) || c->uid != n->uid ||
		    (gid != ID_UNCHANGED && gid != n->gid && !ramfs_in_group(c, gid)))
			return -EPERM;
	}
	if (uid != ID_UNCHANGED)
		n->uid = uid;
	if (gid != ID_UNCHANGED)
		n->gid = gid;
	/* A changed owner drops setuid, and setgid if it means "run as". */
	if (!RAMFS_IS_DIR(n) && (uid != ID_UNCHANGED || gid != ID_UNCHANGED))
		drop_privs(n);
	ramfs_touch(fs, n, RAMFS_T_CTIME);
	return 0;
}

int ramfs_utimens(struct ramfs *fs, struct ramfs_inode *n, const struct ramfs_cred *c,
		  const struct ramfs_time *times)
{
	struct ramfs_time now = fs->mem.now(fs->mem.ctx), t[2];
	bool explicit = false;

	for (int i = 0; i < 2; i++) {
		t[i] = times != NULL ? times[i] : (struct ramfs_time){ .nsec = RAMFS_UTIME_NOW };
		if (t[i].nsec != RAMFS_UTIME_NOW && t[i].nsec != RAMFS_UTIME_OMIT &&
		    (t[i].nsec < 0 || t[i].nsec >= 1000000000l))
			return -EINVAL;
		explicit |= t[i].nsec != RAMFS_UTIME_NOW && t[i].nsec != RAMFS_UTIME_OMIT;
	}
	if (t[0].nsec == RAMFS_UTIME_OMIT && t[1].nsec == RAMFS_UTIME_OMIT)
		return 0;
	/* Setting a time of one's choosing takes ownership; "now" write access. */
	if (!owner_or_root(n, c) && (explicit || ramfs_access(n, c, RAMFS_MAY_WRITE) != 0))
		return explicit ? -EPERM : -EACCES;
	if (t[0].nsec != RAMFS_UTIME_OMIT)
		n->atime = t[0].nsec == RAMFS_UTIME_NOW ? now : t[0];
	if (t[1].nsec != RAMFS_UTIME_OMIT)
		n->mtime = t[1].nsec == RAMFS_UTIME_NOW ? now : t[1];
	n->ctime = now;
	return 0;
}

int ramfs_readlink(const struct ramfs_inode *n, const char **target)
{
	if (!RAMFS_IS_LNK(n))
		return -EINVAL;
	*target = n->target;
	return 0;
}
