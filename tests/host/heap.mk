# tests/host/heap.mk: declares the kernel heap's host unit test
# (tests/host/test_heap.c) and the kernel sources it exercises.
HOST_TESTS += heap
heap_SRCS := mm/heap.c
