"""Site settings: defaults, strict keys and values with `path:line: message`, SOURCE_DATE_EPOCH."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.config import SiteConfig, load_config, with_environment

ROOT = Path(__file__).resolve().parents[1]


def _load(tmp_path: Path, text: str) -> tuple[SiteConfig, list[str]]:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    config, problems = load_config(path)
    return config, [str(p).replace(str(tmp_path) + "/", "") for p in problems]


def test_committed_file_holds_the_defaults() -> None:
    """site.yaml at the root documents every key with its default value."""
    config, problems = load_config(ROOT / "site.yaml")
    assert config == SiteConfig()
    assert [p.severity for p in problems] == ["warning"]  # no base URL: no sitemap
    text = (ROOT / "site.yaml").read_text(encoding="utf-8")
    for key in ("title", "newspaper", "publisher", "base_url", "language", "feed_length"):
        assert f"\n{key}:" in text
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("base_url:"))
    assert problems[0].line == line and "sitemap.xml is not written" in problems[0].message


def test_missing_or_empty_file_means_defaults(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path / "absent.yaml")
    assert config == SiteConfig() and all(p.severity == "warning" for p in problems)
    assert _load(tmp_path, "# 只有注释\n")[0] == SiteConfig()


def test_values_are_read_and_base_url_gets_one_slash(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, "title: 工人日报电子版\nbase_url: https://example.org/grrb\nfeed_length: 5\n")
    assert problems == []
    assert config.title == "工人日报电子版" and config.feed_length == 5
    assert config.base_url == "https://example.org/grrb/"
    assert config.absolute("feed.xml") == "https://example.org/grrb/feed.xml"
    assert SiteConfig().absolute("feed.xml") == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("titel: 工人日报\n", "site.yaml:1: unknown key 'titel'"),
    ("title: 工人日报\n\nfeed_length: 0\n", "site.yaml:3: 'feed_length' must be a whole number from 1 to 1000"),
    ("feed_length: true\n", "site.yaml:1: 'feed_length' must be a whole number"),
    ("title: ''\n", "site.yaml:1: 'title' must be a non-empty text"),
    ("publisher: [工人日报社]\n", "site.yaml:1: 'publisher' must be a non-empty text"),
    ("base_url: example.org/gongren\n", "site.yaml:1: 'base_url' must be an absolute http(s) URL"),
    ("base_url: ftp://example.org/\n", "site.yaml:1: 'base_url' must be an absolute http(s) URL"),
    ("base_url: https://example.org/?q=1\n", "site.yaml:1: 'base_url' must be ASCII"),
    ("language: 中文\n", "site.yaml:1: 'language' must be a language tag like zh-CN"),
    ("title: 甲\ntitle: 乙\n", "site.yaml:2: duplicate key 'title' (first on line 1)"),
    ("- title\n", "site.yaml:1: settings must be a mapping"),
    ("title: [\n", "site.yaml:2: malformed YAML"),
    # The same guards as front-matter: an alias could expand into gigabytes, deep brackets
    # would keep PyYAML's scanner busy for minutes.
    ("title: &t 工人日报\nnewspaper: *t\n", "site.yaml:2: YAML aliases (*name) are not allowed"),
    ("title: 工人日报\npublisher: " + "[" * 60 + "\n", "site.yaml:2: malformed YAML: nested too deeply"),
])
def test_bad_settings_are_reported_with_their_line(tmp_path: Path, text: str, expected: str) -> None:
    config, problems = _load(tmp_path, text)
    assert config == SiteConfig()
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "titel: x\nfeed_length: -1\nlanguage: 1\n")
    assert [p.split(":")[1] for p in problems] == ["1", "2", "3"]


def test_source_date_epoch() -> None:
    config, problems = with_environment(SiteConfig(), {"SOURCE_DATE_EPOCH": "1698710400"})
    assert config.source_date == 1698710400 and problems == []
    assert with_environment(SiteConfig(), {})[0].source_date is None
    _, problems = with_environment(SiteConfig(), {"SOURCE_DATE_EPOCH": "yesterday"})
    assert str(problems[0]).startswith("SOURCE_DATE_EPOCH:1: must be seconds")


def test_build_stops_on_a_bad_settings_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = tmp_path / "site.yaml"
    settings.write_text("title: 工人日报\nfeed_lenght: 10\n", encoding="utf-8")
    out = tmp_path / "public"
    code = main(["build", "--content", str(ROOT / "tests/fixtures/content"), "--out", str(out),
                 "--config", str(settings)])
    assert code == 1 and not out.exists()
    assert f"{settings}:2: unknown key 'feed_lenght'" in capsys.readouterr().err.replace("\n", "")
