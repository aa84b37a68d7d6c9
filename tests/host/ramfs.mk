# tests/host/ramfs.mk: host unit tests of the RAM file system library
# (drivers/ramfs/): the operations and their errors (test_ramfs), and
# out-of-memory at every allocation plus population from an archive
# (test_ramfs_oom).
RAMFS_LIB_SRCS := $(wildcard drivers/ramfs/*.c) tests/host/ramfs_testmem.c kernel/scheme/initfs.c
HOST_TESTS += ramfs ramfs_oom
ramfs_SRCS := $(RAMFS_LIB_SRCS)
ramfs_oom_SRCS := $(RAMFS_LIB_SRCS) tools/initfs_write.c
$(HOST_BUILD)/test_ramfs $(HOST_BUILD)/test_ramfs_oom: $(wildcard drivers/ramfs/*.h) \
	tests/host/ramfs_testmem.h
