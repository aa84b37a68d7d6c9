# tests/qemu/test_uboot.py: Anode booted through u-boot over TFTP (the
# `make tftp` / `make run-uboot` path of tools/uboot/uboot.mk), with booti
# (arm64 Image) and with bootm (legacy uImage): u-boot's autoboot fetches
# boot.scr.uimg and the kernel, the kernel gets `selftest` as its command
# line through /chosen/bootargs, the timer ticks, every self-test passes and
# QEMU exits by itself after the PSCI power-off. u-boot runs at EL1, or at EL2
# with virtualization=on (as on real boards), and enters Anode there.
import re
import shlex
import subprocess

import pytest

from anode import PANIC, Qemu, ROOT, RUN_TIMEOUT, SELFTEST_TIMEOUT

UBOOT_BIOS = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
MAKE_TIMEOUT = 120  # s for `make tftp` (the kernel is already built)
UBOOT_TIMEOUT = 60  # s from reset to the script (autoboot waits 2 s, probes disks)
UIMAGE_LOAD_ADDR = 0x40200000  # uboot.mk's default load address of kernel.uImage
# A u-boot failure ends the run at once rather than at a time-out: the
# script's own message, a failed transfer or boot, or u-boot's prompt.
UBOOT_FAILURES = (
    r"anode: loading or booting \S+ failed",
    r"TFTP error.*",
    r"Retry count exceeded.*",
    r"Bad (Linux ARM64 Image|Magic Number|Data CRC).*",
    r"ERROR: .*",
    r"^=> ",
)


class UbootQemu(Qemu):
    """A Qemu run with u-boot-qemu as firmware and a user-mode network whose
    TFTP server serves tftp_dir; no -kernel (QEMU would otherwise hand the
    kernel to u-boot through fw_cfg and its autoboot would boot that first).
    Same waits, logs and limits as Qemu; the entry EL is u-boot's: EL1, or
    EL2 with virtualization=on."""

    def __init__(self, name, tftp_dir, machine="virt", run_timeout=RUN_TIMEOUT):
        self.entry_el = 2 if "virtualization=on" in machine.split(",") else 1
        self.gic_version, self.ram_mib = 2, 1024
        self.args = ["-M", machine, "-cpu", "cortex-a57", "-m", "1G", "-nographic",
                     "-no-reboot", "-bios", UBOOT_BIOS,
                     "-netdev", f"user,id=n0,tftp={tftp_dir}",
                     "-device", "virtio-net-device,netdev=n0"]
        self.fail_on = [PANIC, *UBOOT_FAILURES]
        self._start(name, run_timeout)


def make_tftp(tftp_dir, kernel_dir, boot, append="selftest"):
    """`make tftp` into tftp_dir, serving the session's kernel snapshot."""
    cmd = ["make", "--no-print-directory", "tftp", f"TFTP_DIR={tftp_dir}",
           f"UBOOT_KERNEL={kernel_dir / 'kernel.img'}", f"APPEND={append}",
           f"UBOOT_BOOT={boot}"]
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                           timeout=MAKE_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{shlex.join(cmd)}` took over {MAKE_TIMEOUT} s")
    assert r.returncode == 0, f"`{shlex.join(cmd)}` failed:\n{r.stdout}{r.stderr}"
    for f in ("kernel.img", "kernel.uImage", "boot.scr.uimg",
              "boot-booti.scr.uimg", "boot-bootm.scr.uimg"):
        assert (tftp_dir / f).is_file(), f"make tftp did not write {f}"
    assert (tftp_dir / "boot.scr.uimg").read_bytes() == \
        (tftp_dir / f"boot-{boot}.scr.uimg").read_bytes(), \
        f"boot.scr.uimg is not the {boot} script"


MACHINES = {"el1": "virt", "el2": "virt,virtualization=on"}  # test id: -M value


@pytest.mark.parametrize("machine", MACHINES.values(), ids=MACHINES.keys())
@pytest.mark.parametrize("boot", ["booti", "bootm"])
def test_uboot_tftp_selftest(request, kernel_dir, tmp_path, boot, machine):
    tftp_dir = tmp_path / "tftp"
    make_tftp(tftp_dir, kernel_dir, boot)
    with UbootQemu(request.node.name, tftp_dir, machine) as run:
        run.expect(r"^U-Boot \d{4}\.\d\d")
        run.expect(r"^Filename 'boot\.scr\.uimg'\.\n", UBOOT_TIMEOUT)
        run.expect(r"^## Executing script at ")
        kernel = "kernel.img" if boot == "booti" else "kernel.uImage"
        run.expect(rf"^anode: fetching {re.escape(kernel)}, booting it with {boot}\n")
        run.expect(rf"^Filename '{re.escape(kernel)}'\.\n")
        if boot == "bootm":
            run.expect(r"^## Booting kernel from Legacy Image at ")
            run.expect(r"Verifying Checksum \.\.\. OK\n")
        run.expect(r"^Starting kernel \.\.\.\n")
        el = int(run.expect(r"^Anode \(AArch64\) booting: entered at EL(\d), CPU MIDR ")[1])
        assert el == run.entry_el, f"entered at EL{el}, expected EL{run.entry_el}"
        image = int(run.expect(r"^kernel: image at phys (0x[0-9a-f]+), ")[1], 16)
        if boot == "bootm":  # bootm copied the payload to the uImage's load address
            assert image == UIMAGE_LOAD_ADDR, f"bootm ran the kernel at {image:#x}"
        run.expect(r'^cmdline: "selftest"\n')
        run.expect(r"^memory: RAM +\[0x[0-9a-f]+-0x[0-9a-f]+\) 1024 MiB\n")
        run.expect(r"^gic: GICv2 distributor ")
        run.expect(r"^timer: arm,armv8-timer \(\w+\) at \d+ Hz, irq \d+, tick 10 ms\n")
        run.expect(r"^boot: kmain reached \d+ us after reset\n")
        run.expect(r"^selftest: timer tick rate +ok\n", SELFTEST_TIMEOUT)
        run.expect_selftest_result(SELFTEST_TIMEOUT)
        run.expect(r"^power: off through PSCI\n")
        run.wait_exit()


@pytest.mark.parametrize("boot", ["booti", "bootm"])
def test_uboot_tftp_user_space(request, kernel_dir, tmp_path, boot):
    """The same path boots to user space: a program from the initfs runs as
    the first process and its exit powers the machine off."""
    tftp_dir = tmp_path / "tftp"
    make_tftp(tftp_dir, kernel_dir, boot, append="init=/tests/t_printf")
    with UbootQemu(request.node.name, tftp_dir) as run:
        run.expect(r"^Starting kernel \.\.\.\n", UBOOT_TIMEOUT)
        run.expect(r"^PASS: t_printf\n", SELFTEST_TIMEOUT)
        run.expect(r"^init: exited with status 0\n")
        run.wait_exit()
