# tests/host/initfsd_walk.mk: host unit test of path resolution in the boot
# archive (drivers/initfsd/initfsd_walk.c, drivers/ramfs/walk.c): links and
# redirects as initfs: and file: answer them.
HOST_TESTS += initfsd_walk
initfsd_walk_SRCS := drivers/initfsd/initfsd_walk.c drivers/ramfs/walk.c kernel/scheme/initfs.c \
	tools/initfs_write.c
$(HOST_BUILD)/test_initfsd_walk: drivers/ramfs/walk.h drivers/initfsd/initfsd_serve.h
