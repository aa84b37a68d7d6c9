# tests/qemu/test_efi.py: Anode booted by its UEFI loader, BOOTAA64.EFI
# (arch/aarch64/efi, `make efi` / `make run-efi` / `make run-efi-uboot` of
# tools/efi/efi.mk), from a virtio disk: under EDK2 (qemu-efi-aarch64) at EL1
# and EL2, and under u-boot's UEFI, both by its distro boot and by a typed
# `load ...; bootefi ...`, and with anode.dtb instead of the firmware's
# tree. Each reaches the kernel's self-tests with the
# timer working, `0 failed`, and QEMU exits after the PSCI power-off. Also:
# u-boot's $bootargs (the loader's LoadOptions) win over cmdline.txt, and a
# bad or missing kernel.img or a missing device tree is explained on the
# UEFI console and control goes back to the firmware.
import re
import shlex
import subprocess

import pytest

from anode import LOG_DIR, PANIC, Qemu, ROOT, SELFTEST_TIMEOUT

EDK2_BIOS = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
UBOOT_BIOS = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
MAKE_TIMEOUT = 120  # s for `make efi` (the kernel is already built)
FIRMWARE_TIMEOUT = 120  # s from reset to the loader (EDK2 under TCG takes ~6 s idle)
EFI_RUN_TIMEOUT = 240  # s hard limit for one whole run
IMAGE_MAGIC_OFF = 0x38  # arm64 Image header fields (image_check.h)
IMAGE_SIZE_OFF = 0x10
PART_OFFSET = 1024 * 1024  # efi.mk's partition starts at 1 MiB
LOADER = "anode-efi: "
HANDOVER = r"^anode-efi: exiting boot services and starting the kernel\n"
# A loader that stops or the kernel starting where it should not end the run
# at once rather than at a time-out.
EFI_FAILURES = (r"^anode-efi: .*(refused|cannot|no |ignored).*\n",
                r"## Application failed.*\n")


class EfiQemu(Qemu):
    """A Qemu run with UEFI firmware (EDK2 or u-boot, -bios) booting an
    efi.mk disk from virtio-blk instead of -kernel. acpi=off, so that EDK2
    hands over QEMU's device tree. Same waits, logs and limits as Qemu; the
    entry EL is the firmware's: EL1, or EL2 with virtualization=on."""

    def __init__(self, name, bios, disk, machine="virt,acpi=off", fail_on=(PANIC, *EFI_FAILURES),
                 run_timeout=EFI_RUN_TIMEOUT):
        opts = machine.split(",")[1:]
        self.entry_el = 2 if "virtualization=on" in opts else 1
        self.gic_version = 3 if "gic-version=3" in opts else 2
        self.ram_mib = 1024
        self.args = ["-M", machine, "-cpu", "cortex-a57", "-m", "1G", "-nographic",
                     "-no-reboot", "-nic", "none", "-bios", bios,
                     "-drive", f"if=none,file={disk},format=raw,id=hd0",
                     "-device", "virtio-blk-device,drive=hd0"]
        self.fail_on = list(fail_on)
        self._start(name, run_timeout)

    def uboot_prompt(self):
        """Stops u-boot's autoboot and waits for its prompt."""
        self.expect(r"Hit any key to stop autoboot", FIRMWARE_TIMEOUT)
        self.child.send(" ")
        self.expect(r"=> ")

    def uboot_bootefi(self, before=""):
        """At u-boot's prompt: load the loader from the disk's FAT partition
        and run it with bootefi and u-boot's own (QEMU's) device tree."""
        self.child.sendline(f"{before}load virtio 0:1 ${{kernel_addr_r}} EFI/BOOT/BOOTAA64.EFI; "
                            "bootefi ${kernel_addr_r} ${fdtcontroladdr}")

    def expect_selftests(self, cmdline="selftest"):
        """From the loader's hand-over to the PSCI power-off and QEMU's exit:
        the kernel's boot lines, the timer, every self-test passing."""
        self.expect(HANDOVER, FIRMWARE_TIMEOUT)
        self.expect_boot_efi(cmdline)
        self.expect(r"^selftest: timer tick rate +ok\n", SELFTEST_TIMEOUT)
        self.expect_selftest_result(SELFTEST_TIMEOUT)
        self.expect(r"^power: off through PSCI\n")
        self.wait_exit()

    def expect_boot_efi(self, cmdline):
        self.expect(rf"Anode \(AArch64\) booting: entered at EL{self.entry_el}, CPU MIDR ")
        self.expect(rf'^cmdline: "{re.escape(cmdline)}"\n')
        self.expect(rf"^memory: RAM +\[0x[0-9a-f]+-0x[0-9a-f]+\) {self.ram_mib} MiB\n")
        self.expect(rf"^gic: GICv{self.gic_version} distributor ")
        self.expect(r"^timer: arm,armv8-timer \(\w+\) at \d+ Hz, irq \d+, tick \d+ ms\n")
        self.expect(r"^psci: version [\d.]+ through (hvc|smc)\n")


@pytest.fixture
def efi_qemu(request):
    """Factory: efi_qemu(bios, disk, **EfiQemu options) starts a run logged
    as build/qemu-logs/<test name>[-N].log; every run is killed at teardown."""
    runs = []

    def start(bios, disk, **opts):
        name = request.node.name + (f"-{len(runs) + 1}" if runs else "")
        runs.append(EfiQemu(name, bios, disk, **opts))
        return runs[-1]

    yield start
    for run in runs:
        run.close()


def make_disk(name, kernel, append, dtb=""):
    """`make efi` into build/qemu-logs/efi-<name>.img with this kernel.img
    (and this tree as anode.dtb)."""
    img = LOG_DIR / f"efi-{name}.img"
    cmd = ["make", "--no-print-directory", "efi", f"EFI_IMG={img}", f"EFI_KERNEL={kernel}",
           f"APPEND={append}", f"EFI_DTB={dtb}"]
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=MAKE_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{shlex.join(cmd)}` took over {MAKE_TIMEOUT} s")
    assert r.returncode == 0, f"`{shlex.join(cmd)}` failed:\n{r.stdout}{r.stderr}"
    return img


@pytest.fixture(scope="module")
def selftest_disk(kernel_dir):
    """The disk `make efi APPEND=selftest` builds, with the session's kernel."""
    return make_disk("selftest", kernel_dir / "kernel.img", "selftest")


EDK2_MACHINES = {"el1": "virt,acpi=off", "el2": "virt,acpi=off,virtualization=on"}


@pytest.mark.parametrize("machine", EDK2_MACHINES.values(), ids=EDK2_MACHINES.keys())
def test_edk2_selftest(efi_qemu, selftest_disk, machine):
    """What `make run-efi APPEND=selftest` does: EDK2's boot manager finds
    EFI/BOOT/BOOTAA64.EFI on the removable disk by itself."""
    run = efi_qemu(EDK2_BIOS, selftest_disk, machine=machine)
    run.expect(rf"^{LOADER}Anode's UEFI loader, at EL{run.entry_el}\n", FIRMWARE_TIMEOUT)
    run.expect(rf"^{LOADER}device tree from the firmware \(UEFI configuration table\), \d+ bytes\n")
    run.expect(rf'^{LOADER}command line from \\cmdline\.txt: "selftest"\n')
    run.expect_selftests()


def test_edk2_anode_dtb_selftest(efi_qemu, kernel_dir):
    """With ACPI on, EDK2 offers no tree: anode.dtb on the disk (QEMU's own,
    dumped here) is used instead."""
    dtb = LOG_DIR / "efi-virt.dtb"
    subprocess.run(["qemu-system-aarch64", "-M", f"virt,dumpdtb={dtb}", "-cpu", "cortex-a57",
                    "-m", "1G", "-nographic", "-nic", "none"], check=True, capture_output=True,
                   stdin=subprocess.DEVNULL,
                   timeout=MAKE_TIMEOUT)
    disk = make_disk("anode-dtb", kernel_dir / "kernel.img", "selftest", dtb)
    run = efi_qemu(EDK2_BIOS, disk, machine="virt")
    run.expect(rf"^{LOADER}device tree from \\anode\.dtb, \d+ bytes\n", FIRMWARE_TIMEOUT)
    run.expect_selftests()


def test_uboot_distro_boot_selftest(efi_qemu, selftest_disk):
    """What `make run-efi-uboot APPEND=selftest` does: u-boot's distro boot
    finds the removable-media path and runs it with bootefi."""
    run = efi_qemu(UBOOT_BIOS, selftest_disk)
    run.expect(r"Found EFI removable media binary efi/boot/bootaa64\.efi", FIRMWARE_TIMEOUT)
    run.expect(rf"^{LOADER}Anode's UEFI loader, at EL1\n")
    run.expect_selftests()


def test_uboot_bootefi_selftest(efi_qemu, selftest_disk):
    run = efi_qemu(UBOOT_BIOS, selftest_disk)
    run.uboot_prompt()
    run.uboot_bootefi()
    run.expect(rf"^{LOADER}Anode's UEFI loader, at EL1\n", FIRMWARE_TIMEOUT)
    run.expect(rf"^{LOADER}device tree from the firmware \(UEFI configuration table\), \d+ bytes\n")
    run.expect_selftests()


def test_uboot_bootargs_win_over_cmdline_txt(efi_qemu, kernel_dir):
    """u-boot passes $bootargs as the loader's LoadOptions; they win over
    cmdline.txt (here a command line that would not run the self-tests)."""
    disk = make_disk("cmdline-txt", kernel_dir / "kernel.img", "from-cmdline-txt")
    run = efi_qemu(UBOOT_BIOS, disk)
    run.uboot_prompt()
    run.uboot_bootefi(before="setenv bootargs selftest; ")
    run.expect(rf"^{LOADER}command line from the loader's LoadOptions: \"selftest\"\n",
               FIRMWARE_TIMEOUT)
    run.expect_selftests()


def corrupt_magic(data):
    return data[:IMAGE_MAGIC_OFF] + b"ARM2" + data[IMAGE_MAGIC_OFF + 4:]


def zero_image_size(data):
    return data[:IMAGE_SIZE_OFF] + bytes(8) + data[IMAGE_SIZE_OFF + 8:]


BAD_KERNELS = {  # test id: (make a bad kernel.img from a good one, expected reason)
    "bad-magic": (corrupt_magic, r"no arm64 Image magic .* not an arm64 Image"),
    "size-zero": (zero_image_size, r"image_size is 0"),
    "truncated": (lambda data: data[:IMAGE_MAGIC_OFF], r"file is shorter than the 64-byte"),
}


@pytest.mark.parametrize("corrupt,reason", BAD_KERNELS.values(), ids=BAD_KERNELS.keys())
def test_bad_kernel_refused(efi_qemu, kernel_dir, corrupt, reason):
    """A corrupt kernel.img is refused with the reason, and u-boot gets
    control back (its prompt) rather than a jump into garbage."""
    bad = LOG_DIR / "kernel-bad.img"
    bad.write_bytes(corrupt((kernel_dir / "kernel.img").read_bytes()))
    disk = make_disk("bad-kernel", bad, "selftest")
    run = efi_qemu(UBOOT_BIOS, disk, fail_on=(PANIC, HANDOVER))
    run.uboot_prompt()
    run.uboot_bootefi()
    run.expect(rf"^{LOADER}\\kernel\.img refused: {reason}", FIRMWARE_TIMEOUT)
    run.expect(r"## Application failed, r = 1\n")  # EFI_LOAD_ERROR
    run.expect(r"^=> ")


def test_missing_kernel_refused(efi_qemu, selftest_disk):
    disk = LOG_DIR / "efi-no-kernel.img"
    disk.write_bytes(selftest_disk.read_bytes())
    subprocess.run(["mdel", "-i", f"{disk}@@{PART_OFFSET}", "::/kernel.img"], check=True,
                   timeout=MAKE_TIMEOUT)
    run = efi_qemu(UBOOT_BIOS, disk, fail_on=(PANIC, HANDOVER))
    run.uboot_prompt()
    run.uboot_bootefi()
    run.expect(rf"^{LOADER}no \\kernel\.img on the loader's volume\n", FIRMWARE_TIMEOUT)
    run.expect(r"## Application failed, r = ")  # EFI_NOT_FOUND
    run.expect(r"^=> ")


def test_edk2_without_device_tree(efi_qemu, selftest_disk):
    """With ACPI on, EDK2 offers no device tree: the loader says so and
    returns; EDK2 goes on to its UEFI shell, whose startup.nsh runs the
    loader again (same message) and leaves the shell prompt."""
    run = efi_qemu(EDK2_BIOS, selftest_disk, machine="virt", fail_on=(PANIC, HANDOVER))
    for _ in range(2):  # the boot manager's attempt, then startup.nsh's
        run.expect(rf"^{LOADER}no device tree: the firmware provides none", FIRMWARE_TIMEOUT)
    run.expect(r"FS0:\\> ")


def test_edk2_user_space(efi_qemu, kernel_dir):
    """Through UEFI to user space: a program from the initfs runs as the
    first process and its exit powers the machine off."""
    disk = make_disk("user-space", kernel_dir / "kernel.img", "init=/tests/t_printf")
    run = efi_qemu(EDK2_BIOS, disk)
    run.expect(r"^PASS: t_printf\n", FIRMWARE_TIMEOUT)
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
