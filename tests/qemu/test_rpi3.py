# tests/qemu/test_rpi3.py: the same kernel.img on QEMU's Raspberry Pi 3
# (-M raspi3b, tools/rpi3/rpi3.mk), started directly by QEMU with Debian's
# bcm2837-rpi-3-b.dtb and through Debian's u-boot from an SD-card image:
# the device tree gives the BCM2836 per-core interrupt controller as root
# with the BCM2835 controller chained from it, the generic timer ticks
# through the per-core controller, an interrupt comes through the cascade,
# RAM starts at 0, and every self-test passes. The Pi has no PSCI, so the
# kernel halts and the test kills QEMU. Also, on the host, the SD-card
# builder's checks and the remembered FIRMWARE_DIR.
import re
import shlex
import struct
import subprocess

import pytest

from anode import PANIC, ROOT, SELFTEST_TIMEOUT

DTB = ROOT / ".deps/rpi3/bcm2837-rpi-3-b.dtb"
UBOOT = ROOT / ".deps/root/usr/lib/u-boot/rpi_3/u-boot.bin"
DTB_TIMEOUT = 600  # s for `make rpi3-dtb` (downloads one Linux package once)
MAKE_TIMEOUT = 120  # s for `make sdcard` (the kernel is already built)
UBOOT_TIMEOUT = 60  # s from reset to the script (autoboot waits 2 s, scans USB)
MTOOLS_TIMEOUT = 30  # s for one mdir/mtype
FIRMWARE_FILES = ("bootcode.bin", "start.elf", "fixup.dat")
RAM_MIB = 960  # QEMU's 1 GiB minus the GPU's 64 MiB, from address 0
# u-boot's console is the mini UART (QEMU's second serial port), the
# kernel's is UART0 (the first): both, and the monitor, on one stdio.
SERIALS = ["-chardev", "stdio,id=con,mux=on,signal=off", "-serial", "chardev:con",
           "-serial", "chardev:con", "-mon", "chardev=con,mode=readline"]
UBOOT_FAILURES = (
    r"anode: loading or booting \S+ failed",
    r"Bad Linux ARM64 Image magic.*",
    r"ERROR: .*",
    r"^U-Boot> ",
)


def make(*args, timeout=MAKE_TIMEOUT, check=True):
    cmd = ["make", "--no-print-directory", *args]
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{shlex.join(cmd)}` took over {timeout} s")
    if check:
        assert r.returncode == 0, f"`{shlex.join(cmd)}` failed:\n{r.stdout}{r.stderr}"
    return r


@pytest.fixture(scope="session")
def rpi3_dtb():
    """Debian's Pi 3 tree, fetched once (tools/rpi3/get-dtb.sh)."""
    make("rpi3-dtb", timeout=DTB_TIMEOUT)
    assert DTB.is_file(), f"make rpi3-dtb did not write {DTB}"
    return DTB


def make_sdcard(tmp_path, kernel_dir, *args, check=True):
    """`make sdcard` into tmp_path/sdcard.img with the session's kernel."""
    return make("sdcard", f"SDCARD={tmp_path / 'sdcard.img'}", f"RPI3_BUILD={tmp_path / 'rpi3'}",
                f"RPI3_KERNEL={kernel_dir / 'kernel.img'}", *args, check=check)


def expect_pi_boot(run):
    """The boot log of Anode on the Pi 3, from the banner to the halt."""
    run.expect(r"Anode \(AArch64\) booting: entered at EL2, CPU MIDR 0x[0-9a-f]+\n")
    run.expect(r'^cmdline: "selftest"\n')
    run.expect(rf"^memory: RAM +\[(0x)?0+-0x0*3c000000\) {RAM_MIB} MiB\n")
    run.expect(r"^memory: reserved \[(0x)?0+-0x0*1000\)\n")  # /memreserve/: spin tables
    run.expect(r"^frames: zone 0 \[(0x)?0+-0x0*3c000000\) ")
    run.expect(r"^irq: BCM2836 per-core controller at 0x40000000, root, core 0\n")
    run.expect(r"^irq: BCM2835 controller at 0x3f00b200, chained, irqs \d+-\d+\n")
    # The virtual timer is the per-core controller's source 3 (CNTVIRQ).
    run.expect(r"^timer: .* at \d+ Hz, irq 3, tick 10 ms\n")
    run.expect(r"^boot: kmain reached \d+ us after reset\n")
    run.expect(r"^selftest: bcm2835 irq \(cascade\) +ok\n", SELFTEST_TIMEOUT)
    run.expect(r"^selftest: timer tick rate +ok\n", SELFTEST_TIMEOUT)
    run.expect_selftest_result(SELFTEST_TIMEOUT)
    run.expect(r"^power: no way to power off \(no PSCI in the device tree\); halting\n"
               r"To leave QEMU: press Ctrl-A, then X\.\n")


def test_rpi3_direct_selftest(qemu, rpi3_dtb):
    """QEMU starts kernel.img itself (make run-rpi3-direct)."""
    run = qemu(machine="raspi3b", cpu="cortex-a53", memory="1G", append="selftest",
               extra=["-dtb", str(rpi3_dtb)])
    expect_pi_boot(run)
    run.close()  # halted: nothing powers the Pi off


def test_rpi3_sdcard_uboot_selftest(qemu, kernel_dir, rpi3_dtb, tmp_path):
    """QEMU starts Debian's u-boot, which boots kernel.img from the card
    with boot.scr (make sdcard && make run-rpi3)."""
    make_sdcard(tmp_path, kernel_dir, "APPEND=selftest")
    run = qemu(machine="raspi3b", cpu="cortex-a53", memory="1G", kernel=UBOOT,
               extra=[*SERIALS, "-drive", f"if=sd,file={tmp_path / 'sdcard.img'},format=raw"],
               fail_on=(PANIC, *UBOOT_FAILURES))
    run.expect(r"^U-Boot \d{4}\.\d\d")
    run.expect(r"^Found U-Boot script /boot\.scr\n", UBOOT_TIMEOUT)
    run.expect(r"^anode: loading kernel\.img and bcm2837-rpi-3-b\.dtb from mmc 0:1, "
               r"booting with booti\n")
    run.expect(r"^Starting kernel \.\.\.\n")
    expect_pi_boot(run)
    run.close()


def test_sdcard_layout(kernel_dir, rpi3_dtb, tmp_path):
    """The image: a power of two, an MBR with one bootable FAT32 (LBA)
    partition at 1 MiB, the files on it; no firmware without FIRMWARE_DIR."""
    r = make_sdcard(tmp_path, kernel_dir)
    assert "no FIRMWARE_DIR given" in r.stdout + r.stderr
    img = tmp_path / "sdcard.img"
    size = img.stat().st_size
    assert size & (size - 1) == 0, f"image size {size} is not a power of two"
    mbr = img.read_bytes()[:512]
    assert mbr[510:] == b"\x55\xaa", "no MBR signature"
    status, ptype, start, sectors = (mbr[446], mbr[450], *struct.unpack("<II", mbr[454:462]))
    assert (status, ptype, start) == (0x80, 0x0C, 2048), \
        f"partition 1: status {status:#x}, type {ptype:#x}, start {start}"
    assert start + sectors == size // 512, "partition 1 does not reach the end of the image"
    assert mbr[462:510] == bytes(48), "more than one partition"
    files = card_files(img)
    names = set(files)
    assert {"config.txt", "u-boot.bin", "boot.scr", "kernel.img",
            "bcm2837-rpi-3-b.dtb"} <= names, f"card holds {sorted(names)}"
    assert not names & set(FIRMWARE_FILES), "firmware without FIRMWARE_DIR"
    config = files["config.txt"].decode()
    for line in ("arm_64bit=1", "enable_uart=1", "kernel=u-boot.bin"):
        assert re.search(rf"^{line}$", config, re.M), f"config.txt lacks {line}"


@pytest.mark.parametrize("case", ["no-dir", "missing-files", "empty-file", "too-big",
                                  "size-not-pow2"])
def test_sdcard_bad_input_fails_clearly(kernel_dir, rpi3_dtb, tmp_path, case):
    """`make sdcard` refuses bad input with a message naming the problem,
    and writes no image."""
    fw = tmp_path / "fw"
    if case == "no-dir":
        args, message = ["FIRMWARE_DIR=/nonexistent"], r"FIRMWARE_DIR=/nonexistent is not a directory"
    elif case == "missing-files":
        fw.mkdir()
        (fw / "bootcode.bin").write_bytes(b"x")
        args, message = [f"FIRMWARE_DIR={fw}"], r"lacks: start\.elf fixup\.dat"
    elif case == "empty-file":
        fake_firmware(fw)
        (fw / "start.elf").write_bytes(b"")
        args, message = [f"FIRMWARE_DIR={fw}"], r"has empty \(0-byte\) files: start\.elf"
    elif case == "too-big":
        fw.mkdir()
        for f in ("bootcode.bin", "fixup.dat"):
            (fw / f).write_bytes(b"x")
        with open(fw / "start.elf", "wb") as f:  # sparse: 70 MiB of nothing
            f.truncate(70 << 20)
        args, message = [f"FIRMWARE_DIR={fw}"], r"do not fit the 64 MiB image"
    else:
        args, message = ["SD_SIZE_MIB=100"], r"must be a power of two"
    r = make_sdcard(tmp_path, kernel_dir, *args, check=False)
    assert r.returncode != 0, f"make sdcard {' '.join(args)} succeeded"
    assert re.search(rf"^mksdcard: .*{message}", r.stderr, re.M), \
        f"no clear message ({message!r}) in:\n{r.stderr}"
    assert not (tmp_path / "sdcard.img").exists(), "an image was written anyway"


def fake_firmware(fw):
    """FIRMWARE_FILES in fw, each holding its own name (the card's content
    checks need no real firmware)."""
    fw.mkdir()
    for f in FIRMWARE_FILES:
        (fw / f).write_text(f)


def card_files(img):
    """{name: content} of the files on the card's partition."""
    listing = subprocess.run(["mdir", "-b", "-i", f"{img}@@1M", "::"], capture_output=True,
                             text=True, timeout=MTOOLS_TIMEOUT, check=True).stdout
    names = [line.rsplit("/", 1)[-1] for line in listing.split()]
    return {n: subprocess.run(["mtype", "-i", f"{img}@@1M", f"::{n}"], capture_output=True,
                              timeout=MTOOLS_TIMEOUT, check=True).stdout for n in names}


def test_firmware_dir_is_remembered(kernel_dir, rpi3_dtb, tmp_path):
    """make sdcard FIRMWARE_DIR=dir, then make run-rpi3 (which rebuilds the
    card; QEMU=true stands in for the emulator) keeps the firmware on it;
    FIRMWARE_DIR= (empty) drops it."""
    fw = tmp_path / "fw"
    fake_firmware(fw)
    img = tmp_path / "sdcard.img"
    make_sdcard(tmp_path, kernel_dir, f"FIRMWARE_DIR={fw}")
    for f in FIRMWARE_FILES:
        assert card_files(img).get(f) == f.encode(), f"{f} not on the card"
    img.unlink()
    r = make("run-rpi3", "QEMU=true", f"SDCARD={img}", f"RPI3_BUILD={tmp_path / 'rpi3'}",
             f"RPI3_KERNEL={kernel_dir / 'kernel.img'}")
    assert f"using FIRMWARE_DIR={fw} (remembered" in r.stdout, r.stdout
    files = card_files(img)
    for f in FIRMWARE_FILES:
        assert files.get(f) == f.encode(), f"make run-rpi3 dropped {f}: card holds {sorted(files)}"
    r = make_sdcard(tmp_path, kernel_dir, "FIRMWARE_DIR=")
    assert "no FIRMWARE_DIR given" in r.stdout, r.stdout
    assert not set(card_files(img)) & set(FIRMWARE_FILES), "FIRMWARE_DIR= kept the firmware"
    r = make_sdcard(tmp_path, kernel_dir)
    assert not set(card_files(img)) & set(FIRMWARE_FILES), "forgotten firmware came back"


def test_rpi3_direct_user_space(qemu, rpi3_dtb):
    """The Pi boots to user space too: a program from the initfs runs as the
    first process (its exit then halts the Pi, which has no PSCI)."""
    run = qemu(machine="raspi3b", cpu="cortex-a53", memory="1G", append="init=/tests/t_printf",
               extra=["-dtb", str(rpi3_dtb)])
    run.expect(r"^PASS: t_printf\n", 120)
    run.expect(r"^init: exited with status 0\n")
