"""Safety fixtures: the fixture content with hostile articles, built once (with search), served."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.site.pipeline import BuildReport, build_site
from site_builder.site.serve import serving
from tests.safety.hostile import hostile_content


@dataclass(frozen=True)
class HostileSite:
    content: Path
    root: Path
    report: BuildReport


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    folder = tmp_path_factory.mktemp("hostile")
    content = hostile_content(folder / "content")
    out = folder / "public"
    report = build_site(content, out)
    return HostileSite(content, out, report)


@pytest.fixture(scope="session")
def hostile_http(hostile_site: HostileSite) -> Iterator[str]:
    """Root URL of the hostile site on 127.0.0.1 (a free port), ending in '/'."""
    with serving(hostile_site.root) as root:
        yield root
