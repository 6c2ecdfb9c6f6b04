"""Session-wide fixtures: the fixture content tree built once per theme."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.build.pipeline import BuildReport, build_site

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
THEMES = ("default", "broadsheet")


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, BuildReport]]:
    """theme → (site folder, report), built from tests/fixtures/content."""
    sites = {}
    for theme in THEMES:
        out = tmp_path_factory.mktemp(f"site-{theme}") / "public"
        sites[theme] = (out, build_site(FIXTURE_CONTENT, out, theme))
    return sites


@pytest.fixture(scope="session")
def site(built_sites: dict[str, tuple[Path, BuildReport]]) -> Path:
    """The fixture site in the default theme."""
    return built_sites["default"][0]
