# tests/qemu/test_make.py: `make help`, which lists the targets from the
# `## ` comments on their rule lines: every target it lists exists (make -n
# TARGET succeeds) and every `make TARGET` the README shows is listed. On
# the host; no QEMU.
import re
import subprocess

import pytest

from anode import ROOT

MAKE_TIMEOUT = 60  # s for make help or one make -n (parsing only, no build)
HELP_LINE = re.compile(r"^  make (\S+) +(\S.*)$")
# `make TARGET` at the start of a code line or of inline code in README.md.
README_MAKE = re.compile(r"(?:^|`)make ([a-z][a-z0-9-]*)", re.M)


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=MAKE_TIMEOUT)


@pytest.fixture(scope="module")
def help_targets():
    r = make("help")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines and all(HELP_LINE.match(line) for line in lines), \
        f"make help lines are not `  make TARGET  description`:\n{r.stdout}"
    targets = [HELP_LINE.match(line)[1] for line in lines]
    assert len(targets) == len(set(targets)), f"a target listed twice:\n{r.stdout}"
    return targets


def test_help_lists_existing_targets(help_targets):
    missing = [t for t in help_targets if make("-n", t).returncode != 0]
    assert not missing, f"make help lists targets make does not know: {missing}"


def test_help_lists_the_readme_targets(help_targets):
    readme = set(README_MAKE.findall((ROOT / "README.md").read_text()))
    assert readme, "no `make TARGET` found in README.md"
    unlisted = sorted(readme - set(help_targets) - {"help"})
    assert not unlisted, f"README.md shows make targets that make help does not list: {unlisted}"


# What a fresh machine has before tools/install-deps.sh ran: no cross
# compiler and no .deps. Nothing may ask the compiler while make reads the
# Makefiles (on a fresh machine that gave an empty include path and failed
# the first build), and every target that needs packages installs them first.
FRESH = ["CROSS=/nonexistent/aarch64-linux-gnu-", "DEPS=/nonexistent/deps"]
NO_DEPS_NEEDED = {"help", "clean", "deps", "test-fresh"}
# A line of `make -n` output that needs an installed package.
NEEDS_PACKAGES = re.compile(r"/nonexistent/aarch64-linux-gnu-|qemu-system-|\bgcc\b|mkimage|mtools|"
                            r"\bdtc\b|pytest|gdb-multiarch")


def test_makefiles_do_not_run_the_compiler_when_read():
    r = make("-n", "clean", *FRESH)
    assert r.returncode == 0 and not r.stderr, f"reading the Makefiles ran a tool:\n{r.stderr}"


def test_first_run_installs_dependencies_first(help_targets):
    late = {}
    for t in sorted(set(help_targets) - NO_DEPS_NEEDED):
        lines = make("-n", t, *FRESH).stdout.splitlines()
        first = next((i for i, line in enumerate(lines)
                      if "install-deps.sh" in line or NEEDS_PACKAGES.search(line)), None)
        if first is None or "install-deps.sh" not in lines[first]:
            late[t] = lines[first] if first is not None else "(no install-deps.sh at all)"
    assert not late, f"targets that would use packages before installing them: {late}"
