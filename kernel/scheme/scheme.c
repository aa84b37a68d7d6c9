/*
 * kernel/scheme/scheme.c: the scheme registry and helpers shared by the kernel's
 * schemes (see scheme.h).
 */
#include "kernel/scheme/scheme.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include <string.h>

struct namespace root_namespace = { .lock = SPINLOCK_INIT("namespace") };

/* A user scheme whose daemon died keeps its name (opens get -ENODEV) until
 * a new daemon registers it: the new scheme takes the slot, and the
 * registry's reference to the dead one goes. */
int scheme_register(struct namespace *ns, const struct scheme *s)
{
	uint64_t flags = spin_lock_irqsave(&ns->lock);
	const struct scheme *dead = NULL;
	int err = 0, slot = ns->count;

	for (int i = 0; i < ns->count && !err; i++) {
		if (strcmp(ns->schemes[i]->name, s->name) != 0)
			continue;
		if (__atomic_load_n(&ns->schemes[i]->dead, __ATOMIC_ACQUIRE)) {
			dead = ns->schemes[i];
			slot = i;
		} else {
			err = -EEXIST;
		}
	}
	if (!err && slot == SCHEME_MAX)
		err = -ENOSPC;
	if (!err) {
		ns->schemes[slot] = s;
		if (slot == ns->count)
			ns->count++;
	}
	spin_unlock_irqrestore(&ns->lock, flags);
	if (!err && dead)
		scheme_put(dead);
	return err;
}

const struct scheme *scheme_find(struct namespace *ns, const char *name)
{
	const struct scheme *found = NULL;
	uint64_t flags = spin_lock_irqsave(&ns->lock);

	if (ns->last < ns->count && strcmp(ns->schemes[ns->last]->name, name) == 0)
		found = ns->schemes[ns->last];
	for (int i = 0; i < ns->count && !found; i++) {
		if (strcmp(ns->schemes[i]->name, name) == 0) {
			found = ns->schemes[i];
			ns->last = i;
		}
	}
	/* Under the lock: an unregistering scheme cannot be freed first. */
	if (found && found->ops->hold)
		found->ops->hold(found);
	spin_unlock_irqrestore(&ns->lock, flags);
	return found;
}

int scheme_names(struct namespace *ns, char (*names)[SCHEME_NAME_MAX], int max)
{
	uint64_t flags = spin_lock_irqsave(&ns->lock);
	int count = MIN(ns->count, max);

	for (int i = 0; i < count; i++)
		memcpy(names[i], ns->schemes[i]->name, SCHEME_NAME_MAX);
	spin_unlock_irqrestore(&ns->lock, flags);
	return count;
}

int scheme_open_device(const struct scheme *s, const char *path, int flags, struct file *f,
		       const struct caller *c)
{
	(void)c;
	(void)s;
	(void)flags;
	if (*path)
		return -ENOENT;
	f->type = ABI_S_IFCHR;
	return 0;
}

long scheme_read_buffer(struct uio *u, uint64_t off, const void *data, size_t size)
{
	size_t n;

	if (off >= size)
		return 0;
	n = MIN(u->len, size - off);
	if (uio_copy_out(u, 0, (const uint8_t *)data + off, n))
		return -EFAULT;
	return (long)n;
}

#define DIRENT_ALIGN 8
#define DIRENT_NAME_MAX 256 /* bytes of a name, with its NUL */

long scheme_dirent(struct uio *u, size_t pos, uint64_t ino, int64_t next_cursor,
		   uint8_t type, const char *name)
{
	size_t namelen = strlen(name) + 1;
	size_t reclen = ALIGN_UP(offsetof(struct abi_dirent64, d_name) + namelen, DIRENT_ALIGN);
	uint8_t rec[offsetof(struct abi_dirent64, d_name) + DIRENT_NAME_MAX + DIRENT_ALIGN];
	struct abi_dirent64 *d = (struct abi_dirent64 *)rec;

	if (reclen > sizeof(rec) || pos > u->len || reclen > u->len - pos)
		return 0;
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = next_cursor;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, namelen);
	if (uio_copy_out(u, pos, rec, reclen))
		return -EFAULT;
	return (long)reclen;
}

/*
 * What an entry of the listing is when its scheme has no root to open
 * (pipe:, time:, irq:, mqueue: serve only names below it): a directory of
 * the listing, which stat and O_PATH reach (ls -l /scheme stats every
 * entry; kernel/scheme/scheme_list.c lists them). file.c points such an
 * O_PATH file here; nothing but stat is
 * answered, and it has no handle to close.
 */
#define ROOT_ENTRY_MODE (ABI_S_IFDIR | 0555) /* as the /scheme listing itself */

static int root_entry_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	(void)f;
	(void)c;
	st->st_mode = ROOT_ENTRY_MODE;
	st->st_nlink = 2;
	return 0;
}

static const struct scheme_ops root_entry_ops = { .stat = root_entry_stat };
const struct scheme scheme_root_entry = { .name = "scheme", .ops = &root_entry_ops };
