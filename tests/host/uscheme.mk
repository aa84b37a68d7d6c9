# tests/host/uscheme.mk: user-scheme bookkeeping (the pending FIFO and the
# in-flight tag table) and packet checks, pure code.
HOST_TESTS += uscheme
uscheme_SRCS := kernel/scheme/usq.c kernel/scheme/usproto.c
