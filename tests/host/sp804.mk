# tests/host/sp804.mk: host unit test of the SP804 driver core and the
# timer: scheme layer (drivers/sp804/) against a register model of the
# SP804 written from its TRM (tests/host/sp804_model.c).
HOST_TESTS += sp804
sp804_SRCS := drivers/sp804/sp804.c drivers/sp804/timerset.c tests/host/sp804_model.c
HOST_HEADERS += $(wildcard drivers/*/*.h)
