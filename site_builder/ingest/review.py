"""The review list: the articles the ingest is unsure of, for an editor to check by eye.

`content/.ingest-review.html` (in the content folder's state: a dot-file, never published)
shows, for each uncertain article, the raw lines of the page it came from beside what the
ingest made of them, the decision taken and the runner-up, why it is doubtful, and the file
to correct. A corrected file is kept by every later ingest (and marked here as corrected).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from site_builder.atomic import atomic_write
from site_builder.frontmatter import parse_article
from site_builder.ingest.confidence import Doubt
from site_builder.ingest.decode import decode_page
from site_builder.ingest.edition import EditionOutput, excerpt
from site_builder.ingest.state import EditionRow
from site_builder.ingest.write import WriteReport
from site_builder.models import Article

REVIEW = ".ingest-review.html"


@dataclass(frozen=True)
class ReviewEntry:
    path: str  # the file to correct, as the editor would open it
    kind: str
    kicker: str | None
    title: str
    subtitle: str | None
    authors: str
    province: str | None
    body: str  # its first paragraphs
    source: str  # `page.txt, lines 12–48`
    raw: tuple[tuple[int, str], ...]  # the page's lines around the article: (number, text)
    doubt: Doubt
    edited: bool  # corrected by hand since the ingest wrote it


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>Ingest review: {{ entries|length }} articles</title>
<style>
body { font: 15px/1.6 "Noto Sans CJK SC", sans-serif; margin: 2em; max-width: 80em; }
article { border-top: 1px solid #bbb; padding: 1em 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .5em; margin: 0; font-size: 13px; }
.n { color: #999; user-select: none; }
.why { color: #a40; } .edited { color: #070; } code { background: #eee; padding: 0 .3em; }
</style></head><body>
<h1>{{ entries|length }} articles to review</h1>
<p>Each article below was ingested with doubt about where it begins and ends or which lines are its
headline. Compare the page's lines (left) with the article (right); to correct it, edit the file named
under it and rebuild: a later ingest keeps the corrected file.</p>
{% for e in entries %}
<article id="a{{ loop.index }}">
<h2>{{ loop.index }}. {{ e.title }}</h2>
<p>File to correct: <code>{{ e.path }}</code>{% if e.edited %} <span class="edited">— corrected by hand, kept</span>{% endif %}</p>
<ul class="why">{% for reason in e.doubt.reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<p><b>Decision:</b> {{ e.doubt.decision or "—" }}<br>
<b>Runner-up:</b> {{ e.doubt.runner_up or "—" }}{% if e.doubt.margin != inf %} (margin {{ "%.1f"|format(e.doubt.margin) }}){% endif %}</p>
<div class="cols">
<div><h3>The page: {{ e.source }}</h3>
<pre>{% for number, text in e.raw %}<span class="n">{{ "%4d"|format(number) }}</span>  {{ text }}
{% endfor %}</pre></div>
<div><h3>The article ({{ e.kind }})</h3>
{% if e.kicker %}<p>引题: {{ e.kicker }}</p>{% endif %}
<p>主题: <b>{{ e.title }}</b></p>
{% if e.subtitle %}<p>副题: {{ e.subtitle }}</p>{% endif %}
<p>Authors: {{ e.authors or "—" }} · Province: {{ e.province or "—" }}</p>
<pre>{{ e.body }}</pre></div>
</div>
</article>
{% endfor %}
</body></html>
"""

_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_PAGE = _ENV.from_string(_TEMPLATE)


def review_page(entries: list[ReviewEntry]) -> str:
    """The review list as one self-contained HTML page (every value escaped)."""
    return _PAGE.render(entries=entries, inf=float("inf"))


def write_review(content: Path, seeds: Path, rows: Mapping[str, EditionRow], outputs: Mapping[str, EditionOutput],
                 written: WriteReport) -> list[str]:
    """Write the review list of every edition (those ingested now and those kept from before)
    when it changed; the content-relative paths of the articles in it."""
    doubts = [(rel, doubt) for row in rows.values() for rel, doubt in row.doubts]
    built = {f"{a.date:%Y/%m/%d}/{a.id}.md": a for output in outputs.values() for a in output.articles}
    excerpts = {rel: lines for output in outputs.values() for rel, lines in output.excerpts}
    pages: dict[str, tuple[str, ...]] = {}
    entries = []
    for rel, doubt in doubts:
        article = built.get(rel)
        edited = rel in written.kept_edits
        if article is None or edited:
            try:
                article, _ = parse_article((content / rel).read_text("utf-8"), str(content / rel))
            except (OSError, UnicodeDecodeError):
                article = None
        if article is None:
            continue
        file = article.source.file
        if rel not in excerpts and file not in pages:  # an edition kept from an earlier run
            try:
                pages[file] = decode_page((seeds / file).read_bytes(), file)[0]
            except OSError:
                pages[file] = ()
        raw = excerpts[rel] if rel in excerpts else excerpt(pages[file], article.source.lines)
        entries.append(_entry(str(content / rel), article, raw, doubt, edited))
    data = review_page(entries).encode()
    path = content / REVIEW
    if not (path.is_file() and path.read_bytes() == data):
        atomic_write(path, data)
    return [rel for rel, _ in doubts]


def _entry(path: str, article: Article, raw: tuple[tuple[int, str], ...], doubt: Doubt, edited: bool) -> ReviewEntry:
    first, last = article.source.lines
    return ReviewEntry(
        path=path, kind=article.kind, kicker=article.kicker, title=article.title, subtitle=article.subtitle,
        authors="、".join(a.name for a in article.authors), province=article.province,
        body="\n\n".join(article.body.split("\n\n")[:3]), source=f"{article.source.file}, lines {first}–{last}",
        raw=raw, doubt=doubt, edited=edited,
    )
