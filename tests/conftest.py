"""Session-wide fixtures: the fixture content tree built once per theme."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.site.pipeline import BuildReport, build_site

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
THEMES = ("default", "broadsheet")
# A configured site (example.org is reserved for documentation: nothing is fetched from it).
BASE_CONFIG = SiteConfig(base_url="https://example.org/gongren/")


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


@pytest.fixture(scope="session")
def based_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built with a base URL (absolute feed ids, sitemap, og:url)."""
    out = tmp_path_factory.mktemp("site-based") / "public"
    build_site(FIXTURE_CONTENT, out, config=BASE_CONFIG)
    return out


CHROMIUM = Path("/usr/bin/chromium")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}")
    pytest.skip(reason)


# One Playwright for the whole session: two sync Playwright instances cannot coexist.
@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
