"""tools/bench/initramfs.py: a gzip'd cpio 'newc' archive (the Linux
initramfs format) from a list of (name, mode, bytes), for booting Debian's
Linux with our own programs (tools/bench/bench.py, tools/bench/linux_tests.py)."""
import gzip

DIR_MODE = 0o040755
EXE_MODE = 0o100755
FILE_MODE = 0o100644


def newc_entry(name, mode, data=b""):
    """One cpio 'newc' record."""
    name_b = name.encode() + b"\0"
    head = "070701" + "".join(f"{v:08x}" for v in (
        0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
    rec = head.encode() + name_b
    rec += b"\0" * (-len(rec) % 4) + data
    return rec + b"\0" * (-len(rec) % 4)


def write(path, files):
    """files: (name, mode, data) in order (directories before their files)."""
    blob = b"".join(newc_entry(n, m, d) for n, m, d in files) + newc_entry("TRAILER!!!", 0)
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(blob)
