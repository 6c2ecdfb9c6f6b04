"""Site settings: one YAML file (`site.yaml` at the project root), strictly read.

Every key is optional and has a default that works for the seed site; an unknown key, a
wrong type or a bad value is a `Problem` with the file's line, all of them in one run. A
missing file means the defaults.

>>> load_config(Path("site.yaml"))  # doctest: +SKIP
(SiteConfig(title='工人日报数字版', base_url='', ...), [Problem('site.yaml', 1, 'base_url is empty: …', 'warning')])
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from site_builder.models import Problem
from site_builder.yamlnodes import compose

# A BCP 47 tag as written in `lang` attributes and feeds: zh-CN, zh-Hans-CN, en.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_FEED_LENGTH = 1000


@dataclass(frozen=True)
class SiteConfig:
    """What the site says about itself: in feeds, the sitemap, e-books, JSON-LD and citations."""

    title: str = "工人日报数字版"  # the site's name (page titles, feed titles)
    newspaper: str = "工人日报"  # the paper's name as cited: 题名[N]. 工人日报, 2023-10-31(3).
    publisher: str = "工人日报社"
    base_url: str = ""  # absolute http(s) URL of the site root ending in '/'; '' = unknown
    language: str = "zh-CN"
    feed_length: int = 20  # entries in each Atom feed
    # Not a file key: SOURCE_DATE_EPOCH from the environment (seconds), the one build
    # time allowed into an output (the e-books' modification date and zip entry dates).
    source_date: int | None = None

    def absolute(self, path: str) -> str:
        """The absolute URL of a root path, or '' when no base URL is configured."""
        return self.base_url + path if self.base_url else ""


FILE_KEYS = tuple(f.name for f in fields(SiteConfig) if f.name != "source_date")


def load_config(path: Path) -> tuple[SiteConfig, list[Problem]]:
    """The settings in `path` (defaults for every key it leaves out) and every problem found.

    When there are errors the defaults are returned with them; the caller stops on errors.
    A warning says what an empty base URL leaves out (the sitemap).
    """
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SiteConfig(), [_no_base_url(shown, 1)]
    except (OSError, UnicodeDecodeError) as exc:
        return SiteConfig(), [Problem(shown, 1, f"cannot read settings: {exc}")]
    return parse_config(text, shown)


def _no_base_url(shown: str, line: int) -> Problem:
    return Problem(shown, line, "base_url is empty: sitemap.xml is not written (it needs absolute URLs) "
                   "and feeds, JSON-LD and citations use relative links", "warning")


def parse_config(text: str, shown: str) -> tuple[SiteConfig, list[Problem]]:
    problems: list[Problem] = []
    root, problem = compose(text, shown, first_line=1)
    if problem is not None:
        return SiteConfig(), [problem]
    if root is None:  # an empty file, or comments only
        return SiteConfig(), [_no_base_url(shown, 1)]
    if not isinstance(root, yaml.MappingNode):
        return SiteConfig(), [Problem(shown, int(root.start_mark.line) + 1, "settings must be a mapping of keys to values")]

    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = int(key_node.start_mark.line) + 1
        key = str(key_node.value)
        if key in seen:
            problems.append(Problem(shown, line, f"duplicate key '{key}' (first on line {seen[key]})"))
            continue
        seen[key] = line
        if key not in FILE_KEYS:
            problems.append(Problem(shown, line, f"unknown key '{key}' (known: {', '.join(FILE_KEYS)})"))
            continue
        try:
            raw = yaml.SafeLoader(text).construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append(Problem(shown, line, f"'{key}': invalid value ({exc})"))
            continue
        value, message = _check(key, raw)
        if message:
            problems.append(Problem(shown, int(value_node.start_mark.line) + 1, f"'{key}' {message}"))
        else:
            values[key] = value
    if problems:
        return SiteConfig(), problems
    config = SiteConfig(**values)
    return config, [] if config.base_url else [_no_base_url(shown, seen.get("base_url", 1))]


def _check(key: str, value: object) -> tuple[object, str]:
    """(the value to use, '') or (None, what is wrong with it)."""
    if key == "feed_length":
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_FEED_LENGTH:
            return value, ""
        return None, f"must be a whole number from 1 to {MAX_FEED_LENGTH}, not {value!r}"
    if key == "base_url":
        if value is None or value == "":
            return "", ""
        if not isinstance(value, str):
            return None, f"must be an absolute http(s) URL or empty, not {value!r}"
        return _check_base_url(value)
    if not isinstance(value, str) or not value.strip():
        return None, f"must be a non-empty text, not {value!r}"
    if key == "language" and not _LANGUAGE.match(value):
        return None, f"must be a language tag like zh-CN, not {value!r}"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None, "must be one line of text without control characters"
    return value.strip(), ""


def _check_base_url(value: str) -> tuple[object, str]:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None, f"must be an absolute http(s) URL like https://example.org/gongren/, not {value!r}"
    if parts.query or parts.fragment or not value.strip().isascii() or any(ch.isspace() for ch in value.strip()):
        return None, f"must be ASCII (percent-encoded) with no query, fragment or spaces: {value!r}"
    url = value.strip()
    # Every output joins root paths to it: one trailing slash, whatever was written.
    return url.rstrip("/") + "/", ""


def with_environment(config: SiteConfig, environ: Mapping[str, str]) -> tuple[SiteConfig, list[Problem]]:
    """Apply SOURCE_DATE_EPOCH (reproducible-builds.org) when it is set.

    >>> with_environment(SiteConfig(), {"SOURCE_DATE_EPOCH": "1698710400"})[0].source_date
    1698710400
    """
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return config, []
    if not raw.isdigit() or int(raw) < _ZIP_EPOCH:
        return config, [Problem("SOURCE_DATE_EPOCH", 1, f"must be seconds since 1980-01-01 (UTC), not {raw!r}")]
    return replace(config, source_date=int(raw)), []


# Zip entries cannot be dated before 1980: the earliest SOURCE_DATE_EPOCH accepted.
_ZIP_EPOCH = int(dt.datetime(1980, 1, 1, tzinfo=dt.UTC).timestamp())
