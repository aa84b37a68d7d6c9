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
