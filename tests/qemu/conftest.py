# tests/qemu/conftest.py: pytest plumbing for the QEMU tests: builds the
# kernel once per session (snapshotting it so a rebuild during the run cannot
# change the kernel under test), the `qemu` fixture that starts runs named
# after the test, and a per-test time guard (pytest-timeout is not installed).
import shutil
import signal
import subprocess

import pytest

from anode import BUILD, LOG_DIR, ROOT, Qemu

BUILD_TIMEOUT = 900  # s for `make -j2 all` from clean on a slow machine
TEST_TIMEOUT = 300  # s per test body; each QEMU run has its own, tighter limits


@pytest.fixture(scope="session")
def kernel_dir():
    """Builds the kernel and copies kernel.img/.elf next to the logs: the
    logs are then read against the exact kernel (symbols) that wrote them."""
    try:
        r = subprocess.run(["make", "-j2", "all"], cwd=ROOT, capture_output=True,
                           text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.exit(f"kernel build: `make -j2 all` took over {BUILD_TIMEOUT} s", returncode=1)
    if r.returncode != 0:
        pytest.exit(f"kernel build failed (make -j2 all, status {r.returncode}):\n"
                    f"{r.stdout[-3000:]}{r.stderr[-3000:]}", returncode=1)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for f in ("kernel.img", "kernel.elf"):
        shutil.copyfile(BUILD / f, LOG_DIR / f)
    return LOG_DIR


@pytest.fixture
def qemu(request, kernel_dir):
    """Factory: qemu(**Qemu options) starts a run logged as
    build/qemu-logs/<test name>[-N].log; every run is killed at teardown."""
    runs = []

    def start(**opts):
        name = request.node.name + (f"-{len(runs) + 1}" if runs else "")
        opts.setdefault("kernel_dir", kernel_dir)
        runs.append(Qemu(name, **opts))
        return runs[-1]

    yield start
    for run in runs:
        run.close()


def _too_long(signum, frame):
    raise TimeoutError(f"test ran over {TEST_TIMEOUT} s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Fails a test whose body runs over TEST_TIMEOUT (SIGALRM)."""
    old = signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
