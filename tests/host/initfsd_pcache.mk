# tests/host/initfsd_pcache.mk: host unit test of file:'s path cache
# (drivers/initfsd/initfsd_pcache.c): lookups, collisions and eviction,
# flushing, and which paths may be cached, over a RAM file system tree.
HOST_TESTS += initfsd_pcache
initfsd_pcache_SRCS := drivers/initfsd/initfsd_pcache.c $(wildcard drivers/ramfs/*.c) \
	tests/host/ramfs_testmem.c kernel/scheme/initfs.c
$(HOST_BUILD)/test_initfsd_pcache: drivers/initfsd/initfsd_pcache.h $(wildcard drivers/ramfs/*.h) \
	tests/host/ramfs_testmem.h
