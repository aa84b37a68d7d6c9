# tests/host/buddy.mk: declares the buddy allocator's host unit test
# (tests/host/test_buddy.c) and the kernel sources it exercises.
HOST_TESTS += buddy
buddy_SRCS := mm/buddy.c
