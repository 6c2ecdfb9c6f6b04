"""The site built from the real ingested `content/` of the seed pages: valid HTML, every
link resolving inside the site, every article once."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_builder.build.content import read_content
from site_builder.build.pipeline import BuildReport, build_site
from tests.build.test_html_valid import _validator
from tests.build.test_site import links_of

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("seed") / "public"
    return out, build_site(CONTENT, out)


def test_content_is_valid_and_builds(seed_site: tuple[Path, BuildReport]) -> None:
    articles, problems = read_content(CONTENT)
    assert problems == [] and len(articles) >= 28
    site, report = seed_site
    assert report.articles == len(articles) and report.editions == 3
    assert len(list(site.glob("20*/*/*/*-*.html"))) == len(articles)


def test_every_link_resolves(seed_site: tuple[Path, BuildReport]) -> None:
    site = seed_site[0]
    broken = []
    for page in sorted(site.rglob("*.html")):
        for where, url in links_of(page):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page}: {url} leaves the site"
            if not parts.path or where == "form[action]":
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    assert broken == []


def test_vnu_reports_no_errors(seed_site: tuple[Path, BuildReport]) -> None:
    result = subprocess.run([*_validator(), "--root", str(seed_site[0]), "--log", "WARNING"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
