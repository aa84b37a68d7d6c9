# tests/host/initfs.mk: host unit test of the initfs reader (kernel/scheme/initfs.c)
# and writer (tools/initfs_write.c), plus an end-to-end run of the mkinitfs
# tool (built by tools/initfs/initfs.mk), whose path is the test's argument.
HOST_TESTS += initfs
initfs_SRCS := kernel/scheme/initfs.c tools/initfs_write.c
initfs_DEPS := $(BUILD)/tools/mkinitfs
initfs_ARGS := $(BUILD)/tools/mkinitfs
# host.mk's rule only knows the sources: rebuild when the headers change.
$(HOST_BUILD)/test_initfs: kernel/scheme/initfs.h kernel/scheme/initfs_format.h tools/initfs_write.h
