"""The generated test set: the seed articles laid out anew on 200+ pages the rules were not
written on, scored by the same code as `make eval-ingest` (issue #20's figures)."""

from __future__ import annotations

import pytest

from site_builder.ingest.decode import decode_page
from site_builder.ingest.pipeline import ingest_pages
from site_builder.ingest.score import Score, score
from site_builder.models import RawPage
from tests.ingest.pagegen import GeneratedPage, generated_set

PAGES = 200


@pytest.fixture(scope="module")
def generated() -> tuple[list[GeneratedPage], Score]:
    pages = generated_set(PAGES)
    raw = []
    for page in pages:
        lines, _, problems = decode_page(page.text.encode("utf-8"), page.file)
        assert not problems
        raw.append(RawPage(page.file, lines, page.date))
    result = ingest_pages(raw, jobs=None)
    return pages, score({p.file: p.gold for p in pages}, result.articles)


def test_the_set_is_large_and_varied(generated: tuple[list[GeneratedPage], Score]) -> None:
    pages, _ = generated
    originals = [p for p in pages if p.gold.duplicate_of is None]
    assert len(originals) >= PAGES
    assert sum(p.gold.duplicate_of is not None for p in pages) >= 20  # second extractions
    kinds = {item.kind for p in originals for item in p.gold.items}
    assert kinds >= {"article", "photo", "continuation", "notice"}


def test_the_figures_hold(generated: tuple[list[GeneratedPage], Score]) -> None:
    """The figures stay at least where they are (README, "Measuring it"): beyond the targets
    of issue #20 (99% found, none merged, 95% titles and headline lines, 95% provinces)."""
    _, result = generated
    found = result.counts["found"]
    assert result.share("found") >= 0.998
    assert found - result.counts["merged"] == 0  # no item glued to a neighbour
    assert found - result.counts["doubled"] == 0  # second extractions are kept once
    assert result.share("title") >= 0.995
    assert result.share("lines") >= 0.995
    assert result.share("authors") >= 0.998
    assert result.share("province") >= 0.998
    assert result.share("kind") >= 0.998
    assert result.extra <= 5  # articles that hold no item (a text cut in two)
