# tests/host/initrd.mk: host unit test of where a boot loader's initrd may
# be used (kernel/initrd_place.c).
HOST_TESTS += initrd
initrd_SRCS := kernel/initrd_place.c
