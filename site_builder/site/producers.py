"""What the site is made of: every output, edition by edition, then the site-wide files.

An edition's outputs are its pages (the edition page, its articles' pages) and what the
edition producers make of it (e-book, edition JSON, citation files). The site-wide ones are
the listing pages, the search page, the distribution files (feeds, sitemap, bulk data) and
the theme's static files. The plan and every render worker walk them in this one order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import jinja2

from site_builder.config import SiteConfig
from site_builder.formats import citation, data, epub, feeds, sitemap
from site_builder.models import Edition
from site_builder.search import outputs as search
from site_builder.search.page import page_output as search_page
from site_builder.site.fingerprint import code_fingerprint
from site_builder.site.manifest import file_sha256
from site_builder.site.memo import memo_base
from site_builder.site.outputs import Output
from site_builder.site.pages import edition_pages, site_pages
from site_builder.site.render import fingerprints
from site_builder.site.structure import Archive
from site_builder.site.workers import ALONE, Grouped

Producer = Callable[[Archive, SiteConfig], Iterable[Output]]
EditionProducer = Callable[[Archive, SiteConfig, Edition], Iterable[Output]]  # one edition's files

# The files besides the pages: feeds, sitemap, e-books, data for reuse, citation files.
DISTRIBUTION: tuple[Producer, ...] = (feeds.outputs, sitemap.outputs, data.outputs)
EDITION_DISTRIBUTION: tuple[EditionProducer, ...] = (epub.edition_outputs, data.edition_outputs,
                                                     citation.edition_outputs)


@dataclass(frozen=True)
class SiteOutputs:
    """The outputs of one build, made when asked for (never all held in memory)."""

    archive: Archive
    env: jinja2.Environment
    config: SiteConfig
    statics: Mapping[str, Path]  # site path → theme file
    producers: Sequence[Producer] = DISTRIBUTION
    edition_producers: Sequence[EditionProducer] = EDITION_DISTRIBUTION
    search: bool = True  # the search index (the search page is always made)
    live: Path | None = None  # the site this build replaces (the search index takes what it can from it)

    def edition(self, i: int) -> Iterator[Output]:
        """The outputs of the `i`-th edition (in date order)."""
        yield from edition_pages(self.env, self.archive, i)
        for make in self.edition_producers:
            yield from make(self.archive, self.config, self.archive.editions[i])
        if self.search:
            yield from search.edition_outputs(self.archive, self.config, self.archive.editions[i])

    def site_wide(self) -> Iterator[Output]:
        searching = (search.site_outputs(self.archive, self.env, self.live) if self.search
                     else [search_page(self.archive, self.env)])
        whole: list[Iterable[Output]] = [site_pages(self.env, self.archive), searching]
        whole += [make(self.archive, self.config) for make in self.producers]
        yield from chain.from_iterable(whole)
        for path, src in self.statics.items():
            yield Output("static", path, file_sha256(src), src.read_bytes)

    def grouped(self) -> Iterator[Grouped]:
        """Every output with its group, as the render workers walk them (made again by each
        worker process): an edition's files are one group, each site-wide file its own but
        for consecutive ones of one `Output.group` (a search unit's files)."""
        for i in range(len(self.archive.editions)):
            for output in self.edition(i):
                yield i, output
        groups, last = len(self.archive.editions), ""
        for output in self.site_wide():
            if output.group and output.group != last:
                groups += 1
            last = output.group
            yield (groups if output.group else ALONE), output

    @property
    def settings(self) -> str:
        """The site settings as the keys of templated pages take them."""
        return repr(self.config)

    def memo_base(self) -> str:
        """What every edition's outputs depend on besides the edition (see `memo`)."""
        return memo_base(code_fingerprint(), fingerprints(self.env).every(), self.settings, f"search {self.search}",
                         *(_producer_name(p) for p in self.edition_producers))


def _producer_name(producer: Callable[..., object]) -> str:
    """A module-level function by its name; anything else (a closure, a partial, an object,
    whose settings its name does not tell) by its repr, which differs from run to run: the
    memo is then never reused for it, never wrong."""
    name = getattr(producer, "__qualname__", None)
    if isinstance(name, str) and "<locals>" not in name and hasattr(producer, "__module__"):
        return f"{producer.__module__}.{name}"
    return repr(producer)
