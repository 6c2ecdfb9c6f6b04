"""Browser fixtures: Debian's Chromium through Playwright, and the fixture site over http.

Without /usr/bin/chromium the browser tests skip locally but fail on CI (CI=true).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.site.serve import serving

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def http_root(site: Path) -> Iterator[str]:
    """The default-theme fixture site served on 127.0.0.1, on a free port."""
    with serving(site) as root:
        yield root
