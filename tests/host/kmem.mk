# tests/host/kmem.mk: host unit test of the kernel's memcpy, memset and
# memmove (kernel/lib/libc/mem.c and string.c's memmove, compiled in by
# tests/host/test_kmem.c under other names so the host's own stay in use).
HOST_TESTS += kmem
kmem_SRCS :=
$(HOST_BUILD)/test_kmem: kernel/lib/libc/mem.c
