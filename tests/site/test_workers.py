"""Render workers: a failure in one ends the build with its message, however many scopes
were still to be sent (a process must not wait at exit to send them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from site_builder.site.workers import make_all

def maker():
    def make(name):
        raise OSError(28, "No space left on device")
    return make

names = [f"edition\\t{n:06d}-" + "x" * 200 for n in range(20_000)]  # (far more than a pipe holds)
try:
    list(make_all(names, maker, 2, lambda n: None))
except RuntimeError as exc:
    print("failed:", str(exc).splitlines()[-1])
"""


def test_a_failed_worker_ends_the_build_with_its_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "failed: OSError: [Errno 28] No space left on device"
