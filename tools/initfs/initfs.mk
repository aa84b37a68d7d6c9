# tools/initfs/initfs.mk: the host tool that builds initfs archives
# (included by the top Makefile, which defines BUILD and DEPS_STAMP).
#
#   $(MKINITFS) OUT.img DIR   pack directory DIR into OUT.img
#   $(MKINITFS) -l IMG        check and list an archive
#
# It links the kernel's own reader (kernel/scheme/initfs.c), which checks every
# archive it writes. Format: kernel/scheme/initfs_format.h.

MKINITFS_CC ?= $(or $(HOST_CC),gcc)
MKINITFS := $(BUILD)/tools/mkinitfs
MKINITFS_SRCS := tools/mkinitfs.c tools/initfs_write.c kernel/scheme/initfs.c
MKINITFS_HDRS := tools/initfs_write.h kernel/scheme/initfs.h kernel/scheme/initfs_format.h \
	kernel/lib/types.h kernel/lib/errno.h

$(MKINITFS): $(MKINITFS_SRCS) $(MKINITFS_HDRS) tools/initfs/initfs.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(MKINITFS_CC) -std=gnu11 -Wall -Wextra -Werror -O2 -I. -o $@ $(MKINITFS_SRCS)
