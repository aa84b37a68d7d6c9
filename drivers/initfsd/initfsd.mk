# drivers/initfsd/initfsd.mk: /bin/init is more than one file: user/init.c,
# its parts in user/init/, initfsd (drivers/initfsd/, a library linked
# into init: init forks it) and the kernel's archive reader
# (kernel/scheme/initfs.c, pure C shared with the kernel and mkinitfs).
# This explicit rule overrides user/user.mk's one-file pattern for init.
# /etc/init.rc's source is user/init.rc (INIT_RC, installed by the
# initfs rule). No FP/SIMD register in this code (INIT_NOFP): initfsd runs
# once per file request, and the first FP/SIMD instruction after a switch
# traps to load the thread's FP state (arch/aarch64/fpsimd.c); what init
# calls of musl (printf, memset) may still use them, outside the requests.
INIT_SRCS := user/init.c $(wildcard user/init/*.c) $(wildcard drivers/initfsd/*.c) \
	$(wildcard drivers/ramfs/*.c) kernel/scheme/initfs.c
INIT_RC := user/init.rc
INIT_NOFP := -mgeneral-regs-only

$(BUILD)/user/bin/init: $(INIT_SRCS) $(wildcard user/*.h user/init/*.h drivers/initfsd/*.h drivers/ramfs/*.h) \
		kernel/scheme/initfs.h kernel/scheme/initfs_format.h drivers/initfsd/initfsd.mk \
		user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) $(INIT_NOFP) -I. -iquote user -o $@ $(INIT_SRCS)
