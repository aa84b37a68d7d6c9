# tests/host/file_spare.mk: host unit test of the freed-file slots
# (kernel/scheme/file_spare.c, which tests/host/test_file_spare.c compiles in
# itself with its kernel's slot count): reuse, and a double free refused.
HOST_TESTS += file_spare
file_spare_SRCS :=
$(HOST_BUILD)/test_file_spare: kernel/scheme/file_spare.c
