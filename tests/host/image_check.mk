# tests/host/image_check.mk: host unit test of the EFI loader's arm64 Image
# header check (arch/aarch64/efi/image_check.c).
HOST_TESTS += image_check
image_check_SRCS := arch/aarch64/efi/image_check.c
