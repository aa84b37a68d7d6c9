# tests/qemu/test_initrd.py: the boot archive as an initrd and in an image
# of any size, on QEMU virt booted directly (kernel/initrd.c, scheme_boot.c,
# the boot tables sized by linker.ld). An initrd holding a file the image's
# archive lacks is found through /chosen (QEMU -initrd: 64-bit cells; a tree
# of our own: 32-bit cells, at an unaligned address, moved), logged with its
# address and size, and the file is read by /bin/cat. A bad one (magic, CRC,
# truncated, outside RAM, on the kernel, half a property pair) is refused
# with its reason and the image's archive boots instead; with no archive in
# the image the boot stops cleanly. A 24 MiB file in the image's archive,
# and in an initrd, reads back with its checksum. The other boot paths'
# initrd tests are in test_uboot.py, test_efi.py and test_rpi3.py.
import hashlib
import os
import shlex
import shutil
import subprocess

import pytest

from anode import BUILD, PANIC, ROOT
from test_efi import EDK2_BIOS, FIRMWARE_TIMEOUT, HANDOVER, LOADER, UBOOT_BIOS, EfiQemu
from test_rpi3 import SERIALS as RPI3_SERIALS, UBOOT as RPI3_UBOOT, \
    UBOOT_FAILURES as RPI3_UBOOT_FAILURES, rpi3_dtb  # noqa: F401 (a fixture)
from test_uboot import UBOOT_TIMEOUT, UbootQemu

MAKE_TIMEOUT = 300  # s for a relink (kernel-archive) or mkinitfs
PROGRAM_TIMEOUT = 60  # s from boot to the program's output (a 24 MiB checksum under TCG)
MKINITFS = BUILD / "tools" / "mkinitfs"
MARKER_PATH = "/etc/initrd-marker"
MARKER_TEXT = "this file is only in the initrd"
BIG_PATH = "/big.bin"
BIG_SIZE = 24 * 1024 * 1024
BIG_SEED = b"anode initrd"
# initfs_format.h: the magic opens the archive; the CRC-32 covers every byte.
MAGIC_OFF = 0
ENTRY_BYTE_OFF = 0x100  # past the header: a byte only the CRC-32 vouches for
RAM_END = 0x80000000  # QEMU virt, -m 1G: RAM from 0x40000000
QEMU_INITRD = 0x48000000  # where QEMU -initrd puts it on virt with 1 GiB
# With -dtb and no -initrd QEMU puts the tree at QEMU_INITRD: ours go higher.
OWN_PAGE = 0x50000000
UNALIGNED = OWN_PAGE + 0x123
KERNEL_PAGE = 0x40300000  # inside the image QEMU loads at 0x40200000
FDT_ADDR_CELLS_32 = 1


def mkinitfs(root, out):
    subprocess.run([str(MKINITFS), str(out), str(root)], check=True, timeout=MAKE_TIMEOUT,
                   capture_output=True)
    return out


@pytest.fixture(scope="module")
def archives(tmp_path_factory, kernel_dir):
    """The image's archive tree (build/initfs-root, made by the kernel
    build) plus MARKER_PATH, as an archive; and with BIG_PATH as well."""
    tmp = tmp_path_factory.mktemp("initrd")
    root = tmp / "root"
    shutil.copytree(BUILD / "initfs-root", root, symlinks=True)
    (root / MARKER_PATH.lstrip("/")).write_text(MARKER_TEXT + "\n")
    marker = mkinitfs(root, tmp / "marker.img")
    big = hashlib.sha256()
    with open(root / BIG_PATH.lstrip("/"), "wb") as f:
        block = hashlib.sha512(BIG_SEED).digest() * (64 * 1024 // 64)
        for i in range(BIG_SIZE // len(block)):
            chunk = bytes([i & 0xff]) + block[1:]
            f.write(chunk)
            big.update(chunk)
    return {"dir": tmp, "marker": marker, "big": mkinitfs(root, tmp / "big.img"),
            "big_sha256": big.hexdigest()}


def kernel_with(archive, build):
    """kernel.img carrying archive (make kernel-archive), in build/."""
    r = subprocess.run(["make", "-j2", f"ARCHIVE={archive}", f"ARCHIVE_BUILD={build}",
                        "kernel-archive"], cwd=ROOT, capture_output=True, text=True,
                       timeout=MAKE_TIMEOUT)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return build / "kernel.img"


def run_cat(qemu, path, **opts):
    return qemu(append=f"init=/bin/cat -- {path}", **opts)


def expect_used(run, start, size):
    run.expect(rf"^initrd: \[{start:#x}-{start + size:#x}\), {size} bytes, from /chosen\n")


def expect_marker(run):
    run.expect(rf"^{MARKER_TEXT}\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()


def test_qemu_initrd_is_used(qemu, archives):
    """QEMU -initrd: the kernel logs the initrd's place and size, serves it
    as boot:initfs, and a file only it holds is read."""
    size = archives["marker"].stat().st_size
    run = run_cat(qemu, MARKER_PATH, extra=["-initrd", str(archives["marker"])])
    expect_used(run, QEMU_INITRD, size)
    run.expect(rf"^memory: reserved \[0x00{QEMU_INITRD:x}-0x00{QEMU_INITRD + size:x}\)\n")
    run.expect(rf"^boot: archive from the initrd at {QEMU_INITRD:#x}, \d+ entries, "
               rf"{size // 1024} KiB\n")
    expect_marker(run)


def test_image_archive_without_initrd(qemu):
    """No initrd: the image's archive, which lacks the marker."""
    run = run_cat(qemu, MARKER_PATH)
    run.expect(r"^boot: archive of \d+ entries, \d+ KiB\n")
    run.expect(rf"cat: can't open '{MARKER_PATH}': No such file or directory\n", PROGRAM_TIMEOUT)
    assert "initrd:" not in run.transcript()


def damage(src, dst, how):
    data = bytearray(src.read_bytes())
    if how == "magic":
        data[MAGIC_OFF] ^= 0xff
    elif how == "crc":
        data[ENTRY_BYTE_OFF] ^= 0x01
    elif how == "truncated":
        del data[len(data) // 2:]
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("how", ["magic", "crc", "truncated"])
def test_malformed_initrd_falls_back(qemu, archives, how):
    """A damaged initrd is refused with a reason; the image's archive boots."""
    bad = damage(archives["marker"], archives["dir"] / f"bad-{how}.img", how)
    run = qemu(append="init=/bin/true", extra=["-initrd", str(bad)])
    expect_used(run, QEMU_INITRD, bad.stat().st_size)
    run.expect(r"^initrd: refused: not a valid boot archive \(bad magic, version, CRC or "
               r"truncated: .*\); using the archive in the image\n")
    run.expect(r"^boot: archive of \d+ entries, \d+ KiB\n")
    run.expect(r"^init: exited with status 0\n", PROGRAM_TIMEOUT)
    run.wait_exit()


def virt_dtb(tmp, name, start=None, end=None, cells=2, only_start=False):
    """QEMU virt's own tree (1 GiB) with /chosen/linux,initrd-* set, as
    -dtb: QEMU keeps a given tree's /chosen and only adds bootargs."""
    dtb = tmp / f"{name}.dtb"
    subprocess.run(["qemu-system-aarch64", "-M", f"virt,dumpdtb={dtb}", "-cpu", "cortex-a57",
                    "-m", "1G", "-nographic", "-nic", "none"], check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=MAKE_TIMEOUT)

    def put(prop, value):
        cells_of = [str(value)] if cells == 1 else [str(value >> 32), str(value & 0xffffffff)]
        subprocess.run(["fdtput", "-t", "u", str(dtb), "/chosen", prop, *cells_of], check=True,
                       timeout=MAKE_TIMEOUT)

    put("linux,initrd-start", start)
    if not only_start:
        put("linux,initrd-end", end)
    return dtb


def loader(path, addr):
    return ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]


def test_unaligned_initrd_32bit_cells_is_moved(qemu, archives):
    """An initrd at an unaligned address named by 32-bit cells: moved down to
    its page boundary, then used."""
    img = archives["marker"]
    size = img.stat().st_size
    dtb = virt_dtb(archives["dir"], "unaligned", UNALIGNED, UNALIGNED + size,
                   cells=FDT_ADDR_CELLS_32)
    run = run_cat(qemu, MARKER_PATH, extra=["-dtb", str(dtb), *loader(img, UNALIGNED)])
    expect_used(run, UNALIGNED, size)
    run.expect(rf"^initrd: not page aligned: moved from {UNALIGNED:#x} to {OWN_PAGE:#x}\n")
    run.expect(rf"^boot: archive from the initrd at {OWN_PAGE:#x}, ")
    expect_marker(run)


MISPLACED = {
    "outside-ram": (RAM_END + 0x1000000, r"it is not inside RAM"),
    "straddling-ram-end": (RAM_END - 0x1000, r"it is not inside RAM"),
    "on-the-kernel": (KERNEL_PAGE, r"it shares a page with the kernel image"),
}


@pytest.mark.parametrize("where", MISPLACED)
def test_misplaced_initrd_falls_back(qemu, archives, where):
    """/chosen names bytes outside RAM or on the kernel: refused, the
    image's archive boots."""
    start, reason = MISPLACED[where]
    size = archives["marker"].stat().st_size
    dtb = virt_dtb(archives["dir"], where, start, start + size)
    run = qemu(append="init=/bin/true", extra=["-dtb", str(dtb)])
    expect_used(run, start, size)
    run.expect(rf"^initrd: refused: {reason}; using the archive in the image\n")
    run.expect(r"^boot: archive of \d+ entries, \d+ KiB\n")
    run.expect(r"^init: exited with status 0\n", PROGRAM_TIMEOUT)
    run.wait_exit()


def test_half_a_property_pair_is_ignored(qemu, archives):
    """linux,initrd-start alone: reported as malformed; the command line and
    console (the rest of /chosen) still work."""
    dtb = virt_dtb(archives["dir"], "half", QEMU_INITRD, only_start=True)
    run = qemu(append="init=/bin/true", extra=["-dtb", str(dtb)])
    run.expect(r"^cmdline: \"init=/bin/true\"\n")
    run.expect(r"^initrd: /chosen/linux,initrd-start\|end malformed .*; ignored\n")
    run.expect(r"^init: exited with status 0\n", PROGRAM_TIMEOUT)
    run.wait_exit()


@pytest.fixture(scope="module")
def bare_kernel(archives):
    """A kernel whose image carries no archive."""
    empty = archives["dir"] / "empty.img"
    empty.write_bytes(b"")
    return kernel_with(empty, archives["dir"] / "bare")


def test_no_archive_at_all_stops_cleanly(qemu, archives, bare_kernel):
    """No archive in the image and a bad initrd: said, and QEMU powers off."""
    bad = damage(archives["marker"], archives["dir"] / "bad-bare.img", "crc")
    run = qemu(append="init=/bin/true", kernel=bare_kernel, extra=["-initrd", str(bad)])
    run.expect(r"^initrd: refused: not a valid boot archive")
    run.expect(r"^boot: no boot archive: none in the kernel image and no valid initrd\n")
    run.expect(r"^power: off")
    run.wait_exit()


def test_bare_kernel_boots_from_initrd(qemu, archives, bare_kernel):
    """A kernel with no archive of its own runs everything from the initrd."""
    run = run_cat(qemu, MARKER_PATH, kernel=bare_kernel,
                  extra=["-initrd", str(archives["marker"])])
    run.expect(rf"^boot: archive from the initrd at {QEMU_INITRD:#x}, ")
    expect_marker(run)


def expect_big(run, archives):
    run.expect(rf"^{archives['big_sha256']}  {BIG_PATH}\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()


def test_large_archive_in_the_image(qemu, archives):
    """A 24 MiB file in the image's own archive (image over 8 MiB, the old
    cap): boots, and the file's bytes read back with their checksum."""
    kernel = kernel_with(archives["big"], archives["dir"] / "big")
    assert kernel.stat().st_size > BIG_SIZE
    run = qemu(append=f"init=/bin/busybox -- sha256sum {BIG_PATH}", kernel=kernel)
    kib = int(run.expect(r"^kernel: image at phys 0x[0-9a-f]+, (\d+) KiB;")[1])
    assert kib * 1024 > BIG_SIZE
    expect_big(run, archives)


def test_large_initrd(qemu, archives):
    """The same 24 MiB file through -initrd."""
    run = qemu(append=f"init=/bin/busybox -- sha256sum {BIG_PATH}",
               extra=["-initrd", str(archives["big"])])
    run.expect(rf"^boot: archive from the initrd at {QEMU_INITRD:#x}, ")
    expect_big(run, archives)


def test_make_initrd(kernel_dir):
    """make initrd names the archive it built."""
    r = subprocess.run(["make", "initrd"], cwd=ROOT, capture_output=True, text=True,
                       timeout=MAKE_TIMEOUT)
    assert r.returncode == 0 and "initrd: build/initfs.img" in r.stdout, r.stdout + r.stderr
    assert os.path.getsize(BUILD / "initfs.img") > 0


# The other boot paths, each with the marker initrd: the loader's messages,
# the kernel's line naming the initrd's place and size, the marker read.

def expect_initrd_boot(run, size, start=None):
    """The kernel's lines for an initrd of size bytes (at start, if known)
    and the marker read by /bin/cat."""
    where = f"{start:#x}" if start is not None else "0x[0-9a-f]+"
    m = run.expect(rf"^initrd: \[({where})-(0x[0-9a-f]+)\), {size} bytes, from /chosen\n",
                   FIRMWARE_TIMEOUT)
    assert int(m[2], 16) - int(m[1], 16) == size
    run.expect(rf"^boot: archive from the initrd at {m[1]}, \d+ entries, ")
    run.expect(rf"^{MARKER_TEXT}\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status 0\n")


def make_path(*args):
    cmd = ["make", "--no-print-directory", *args]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=MAKE_TIMEOUT)
    assert r.returncode == 0, f"`{shlex.join(cmd)}` failed:\n{r.stdout}{r.stderr}"
    return r


CAT_MARKER = f"init=/bin/cat -- {MARKER_PATH}"


def test_uboot_booti_initrd(request, kernel_dir, archives, tmp_path):
    """u-boot over TFTP (make tftp INITRD=...): the script fetches
    initrd.img and hands it to booti as ADDR:SIZE."""
    tftp = tmp_path / "tftp"
    make_path("tftp", f"TFTP_DIR={tftp}", f"UBOOT_KERNEL={kernel_dir / 'kernel.img'}",
              f"APPEND={CAT_MARKER}", f"INITRD={archives['marker']}")
    size = archives["marker"].stat().st_size
    with UbootQemu(request.node.name, tftp) as run:
        run.expect(r"^anode: fetching initrd\.img, the initrd\n", UBOOT_TIMEOUT)
        run.expect(rf"^Bytes transferred = {size} ")
        run.expect(r"^Starting kernel \.\.\.\n")
        expect_initrd_boot(run, size)
        run.wait_exit()
    # Without INITRD no copy stays behind and the script names none.
    make_path("tftp", f"TFTP_DIR={tftp}", f"UBOOT_KERNEL={kernel_dir / 'kernel.img'}")
    assert not (tftp / "initrd.img").exists()
    assert "setenv anode_initrd ''" in (tftp / "boot-booti.cmd").read_text()


def efi_disk(tmp_path, kernel_dir, append, initrd):
    img = tmp_path / "efi.img"
    make_path("efi", f"EFI_IMG={img}", f"EFI_KERNEL={kernel_dir / 'kernel.img'}",
              f"APPEND={append}", f"INITRD={initrd}")
    return img


def test_efi_initrd_from_cmdline_txt(request, kernel_dir, archives, tmp_path):
    """EDK2 runs the loader; cmdline.txt's initrd=\\initrd.img (make efi
    INITRD=...) is loaded into pages and given to the kernel in /chosen."""
    disk = efi_disk(tmp_path, kernel_dir, CAT_MARKER, archives["marker"])
    size = archives["marker"].stat().st_size
    with EfiQemu(request.node.name, EDK2_BIOS, disk) as run:
        at = int(run.expect(rf"^{LOADER}initrd \\initrd\.img: {size} bytes at ([0-9A-F]+)\n",
                            FIRMWARE_TIMEOUT)[1], 16)
        run.expect(HANDOVER)
        expect_initrd_boot(run, size, at)
        run.wait_exit()


def test_efi_initrd_from_load_options(request, kernel_dir, archives, tmp_path):
    """u-boot's bootefi with $bootargs naming the initrd (the loader's
    LoadOptions, '/' separated as Linux's EFI stub also takes it)."""
    disk = efi_disk(tmp_path, kernel_dir, "unused", archives["marker"])
    size = archives["marker"].stat().st_size
    with EfiQemu(request.node.name, UBOOT_BIOS, disk) as run:
        run.uboot_prompt()
        run.uboot_bootefi(f"setenv bootargs 'initrd=/initrd.img {CAT_MARKER}'; ")
        at = int(run.expect(rf"^{LOADER}initrd \\initrd\.img: {size} bytes at ([0-9A-F]+)\n",
                            FIRMWARE_TIMEOUT)[1], 16)
        run.expect(HANDOVER)
        expect_initrd_boot(run, size, at)
        run.wait_exit()


def test_efi_missing_initrd_stops(request, kernel_dir, tmp_path):
    """initrd= naming no file: the loader says so and returns to the firmware."""
    disk = efi_disk(tmp_path, kernel_dir, f"initrd=\\nope.img {CAT_MARKER}", "")
    with EfiQemu(request.node.name, EDK2_BIOS, disk, fail_on=(PANIC,)) as run:
        run.expect(rf"^{LOADER}initrd \\nope\.img: cannot open: Not Found\n", FIRMWARE_TIMEOUT)
        assert "exiting boot services" not in run.transcript()


def test_rpi3_sdcard_initrd(qemu, kernel_dir, rpi3_dtb, archives, tmp_path):
    """The Pi 3 card (make sdcard INITRD=...): boot.scr loads initrd.img and
    hands it to booti."""
    make_path("sdcard", f"SDCARD={tmp_path / 'sdcard.img'}", f"RPI3_BUILD={tmp_path / 'rpi3'}",
              f"RPI3_KERNEL={kernel_dir / 'kernel.img'}", f"APPEND={CAT_MARKER}",
              f"INITRD={archives['marker']}")
    run = qemu(machine="raspi3b", cpu="cortex-a53", memory="1G", kernel=RPI3_UBOOT,
               extra=[*RPI3_SERIALS, "-drive", f"if=sd,file={tmp_path / 'sdcard.img'},format=raw"],
               fail_on=(PANIC, *RPI3_UBOOT_FAILURES))
    run.expect(r"^anode: loading initrd\.img, the initrd\n", UBOOT_TIMEOUT)
    run.expect(r"^Starting kernel \.\.\.\n")
    expect_initrd_boot(run, archives["marker"].stat().st_size)
    run.close()  # halted: nothing powers the Pi off
