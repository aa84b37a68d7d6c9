/*
 * drivers/ramfs/ramfs_populate.h: a RAM file system filled from the boot
 * archive (ramfs_populate.c).
 */
#ifndef DRIVERS_RAMFS_POPULATE_H
#define DRIVERS_RAMFS_POPULATE_H

#include "drivers/ramfs/ramfs.h"
#include "kernel/scheme/initfs.h"

/* Adds every entry of the open archive arc to fs, which must be empty (its
 * root takes the archive root's mode and owner). The archive must stay
 * mapped while fs lives: files read its pages until changed. 0, or
 * -ENOMEM with what was added still in the tree (ramfs_destroy frees it). */
int ramfs_populate(struct ramfs *fs, const struct initfs *arc);

#endif
