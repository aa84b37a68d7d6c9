# tests/host/initrc.mk: host unit test of init.rc line parsing
# (user/init/rc.c): every command, comments and blanks, and every way a
# line is malformed.
HOST_TESTS += initrc
initrc_SRCS := user/init/rc.c
