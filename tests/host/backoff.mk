# tests/host/backoff.mk: host unit test of the driver manager's restart
# policy (drivers/drvmgr/backoff.c) on a fake clock.
HOST_TESTS += backoff
backoff_SRCS := drivers/drvmgr/backoff.c
