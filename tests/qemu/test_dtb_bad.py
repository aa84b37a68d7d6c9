# tests/qemu/test_dtb_bad.py: boots with a device tree that has one missing
# or nonsensical property (QEMU virt's own tree, dumped and edited with
# fdtput, given as -dtb). A second memory bank overlapping the first is
# merged (one RAM range, one zone); the RTC without reg, with an interrupt
# past the GIC's lines or with a compatible lacking its NUL is left out
# with a clear line and the boot goes on; a GIC with an absurd
# #interrupt-cells, or a memory bank with a ragged reg, stops the boot with
# a panic that says why. (QEMU rewrites /memory@... itself, so an empty or
# missing memory reg is kernel/fdt.c's host test's, test_fdt_bad.c.)
import subprocess

import pytest

TOOL_TIMEOUT = 60  # s for QEMU's dump and each fdtput
PROGRAM_TIMEOUT = 60  # s from boot to init's exit under TCG
RTC = "/pl031@9010000"
GIC = "/intc@8000000"
# A bank named so that QEMU does not replace it, inside virt's 1 GiB at
# 0x40000000: all of its pages are the first bank's too.
EXTRA_BANK = "/ram@60000000"
EXTRA_BANK_REG = ["0", "0x60000000", "0", "0x10000000"]
GIC_LINES = 288  # QEMU virt's GICv2 ("gic: ... 288 interrupt lines")
GIC_SPI = 0
LEVEL_HIGH = 4
ABSURD_CELLS = 1000


def fdtput(dtb, *args):
    subprocess.run(["fdtput", str(dtb), *args], check=True, capture_output=True,
                   timeout=TOOL_TIMEOUT)


def dump_virt(dtb, *qemu_args):
    """QEMU virt's own tree (1 GiB, cortex-a57, and qemu_args) as bytes,
    dumped through dtb."""
    subprocess.run(["qemu-system-aarch64", "-M", f"virt,dumpdtb={dtb}", "-cpu", "cortex-a57",
                    "-m", "1G", "-nographic", "-nic", "none", *qemu_args], check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=TOOL_TIMEOUT)
    return dtb.read_bytes()


@pytest.fixture(scope="module")
def virt_dtb(tmp_path_factory):
    """QEMU virt's own tree, dumped once."""
    return dump_virt(tmp_path_factory.mktemp("dtb") / "virt.dtb")


def edited(tmp_path, virt, name, *edits):
    """virt's tree with each edit (fdtput's arguments after the file)."""
    dtb = tmp_path / f"{name}.dtb"
    dtb.write_bytes(virt)
    for e in edits:
        fdtput(dtb, *e)
    return dtb


def test_overlapping_memory_is_merged(qemu, virt_dtb, tmp_path):
    dtb = edited(tmp_path, virt_dtb, "overlap", ["-c", EXTRA_BANK],
                 ["-t", "s", EXTRA_BANK, "device_type", "memory"],
                 ["-t", "x", EXTRA_BANK, "reg", *EXTRA_BANK_REG])
    run = qemu(append="init=/bin/true", extra=["-dtb", str(dtb)])
    run.expect(r"^memory: RAM      \[0x0040000000-0x0080000000\) 1024 MiB\n")
    run.expect(r"^frames: zone 0 ")
    run.expect(r"^frames: \d+ KiB free")
    run.expect(r"^init: exited with status 0\n", PROGRAM_TIMEOUT)
    run.wait_exit()
    assert run.transcript().count("memory: RAM") == 1, "the overlapping bank was not merged"
    assert "zone 1" not in run.transcript()


# The main program once drvmgr has marked pl031d failed (it exits at once;
# the loop waits for that event rather than for a time).
WAIT_RTC_FAILED = 'init=/bin/sh -- -c "until grep -q failed drvmgr:list; do :; done"'
RTC_CASES = {
    # pl031d starts, finds no registers in its grant, says so and exits
    # with status 2, a configuration error: drvmgr marks it failed at once
    # and does not restart it.
    "no-reg": ([["-d", RTC, "reg"]], WAIT_RTC_FAILED,
               r"^pl031d: no PL031 registers in my grant \(no mem line\)\n"),
    "irq-out-of-range": ([["-t", "u", RTC, "interrupts", str(GIC_SPI), str(GIC_LINES * 4),
                           str(LEVEL_HIGH)]], "init=/bin/true",
                         rf"^drvmgr: {RTC}: unreadable reg or interrupts \(Invalid argument\); "
                         r"/bin/pl031d not started\n"),
    # Matched by nothing: the manager serves the UART alone.
    "compatible-without-nul": ([["-t", "bx", RTC, "compatible",
                                 *[f"{c:x}" for c in b"arm,pl031"]]], "init=/bin/true",
                               r"^drvmgr: serving drvmgr: with 1 device\n"),
}


@pytest.mark.parametrize("case", RTC_CASES)
def test_bad_rtc_node_boots_without_it(qemu, virt_dtb, tmp_path, case):
    edits, append, said = RTC_CASES[case]
    dtb = edited(tmp_path, virt_dtb, case, *edits)
    run = qemu(append=append, extra=["-dtb", str(dtb)])
    run.expect(said, PROGRAM_TIMEOUT)
    # pl031d, restarted, may write while init's line is half out.
    run.expect(r"init: exited with status 0(?!\d)", PROGRAM_TIMEOUT)
    run.wait_exit()


STOPS = {
    # No interrupt can be read, so no timer.
    "absurd-interrupt-cells": ([["-t", "u", GIC, "#interrupt-cells", str(ABSURD_CELLS)]],
                               [r"^driver: arch-timer on timer failed: Invalid argument\n",
                                r"^PANIC: no timer found\n"]),
    # A memory bank whose reg is three cells of 2+2: no RAM map can be
    # trusted. Said on the console, which is started for it.
    "ragged-memory-reg": ([["-c", EXTRA_BANK], ["-t", "s", EXTRA_BANK, "device_type", "memory"],
                           ["-t", "x", EXTRA_BANK, "reg", *EXTRA_BANK_REG[:3]]],
                          [r"^PANIC: device tree: no memory \(-22\)\n"]),
}


@pytest.mark.parametrize("case", STOPS)
def test_unusable_tree_stops_cleanly(qemu, virt_dtb, tmp_path, case):
    edits, said = STOPS[case]
    dtb = edited(tmp_path, virt_dtb, case, *edits)
    run = qemu(append="init=/bin/true", extra=["-dtb", str(dtb)], fail_on=())
    for line in said:
        run.expect(line)
    run.expect(r"^System halted\.\n")
    assert "init:" not in run.transcript()
