# tests/host/sp804d.mk: host unit test of sp804d's own logic (the core is
# tests/host/sp804.mk's): the table of waiting reads (drivers/sp804d/park.c)
# and the timer: write record (drivers/sp804d/setting.c).
HOST_TESTS += sp804d
sp804d_SRCS := drivers/sp804d/park.c drivers/sp804d/setting.c
