# tests/host/elf.mk: host unit test of the ELF parser, kernel/elf.c, against
# images built in memory by the test and two real programs cross-compiled
# here from tests/host/elf_fixture.c: a static executable (accepted) and a
# static-pie one (ET_DYN: loaded only at a base, elf_parse_at).
HOST_TESTS += elf
elf_SRCS := kernel/elf.c
elf_DEPS := $(HOST_BUILD)/hello.elf $(HOST_BUILD)/hello-pie.elf
elf_ARGS := $(HOST_BUILD)/hello.elf $(HOST_BUILD)/hello-pie.elf

ELF_FIXTURE_CFLAGS := -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib

ELF_FIXTURE_SRCS := tests/host/elf_fixture.c tests/host/elf.mk

$(HOST_BUILD)/hello.elf: $(ELF_FIXTURE_SRCS) | $(HOST_BUILD)
	$(CC) $(ELF_FIXTURE_CFLAGS) -fno-pie -no-pie -static -o $@ $<

$(HOST_BUILD)/hello-pie.elf: $(ELF_FIXTURE_SRCS) | $(HOST_BUILD)
	$(CC) $(ELF_FIXTURE_CFLAGS) -fPIE -static-pie -o $@ $<
