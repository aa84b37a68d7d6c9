# tests/host/pathops.mk: the pure checks of the path operations
# (kernel/scheme/path.c): a scheme's redirect reply, rename's
# "into itself" test.
HOST_TESTS += pathops
pathops_SRCS := kernel/scheme/path.c
