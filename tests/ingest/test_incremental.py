"""Ingest at archive scale: editions in parallel, re-runs that read only what changed, a
state that is never trusted blindly, and the review list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import site_builder.ingest.pipeline as pipeline
from site_builder.ingest.pipeline import ingest
from site_builder.ingest.review import REVIEW
from site_builder.ingest.state import CACHE

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def files(content: Path) -> dict[str, bytes]:
    """Every file of the content folder but the cache (whose rows name the seeds folder)."""
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*"))
            if p.is_file() and p.name != CACHE}


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many editions each run ingests (rather than takes from the state)."""
    calls: list[int] = []
    real = pipeline._run

    def counting(works, jobs, render, progress):  # type: ignore[no-untyped-def]
        calls.append(len(works))
        return real(works, jobs, render, progress)

    monkeypatch.setattr(pipeline, "_run", counting)
    return calls


def test_the_output_does_not_depend_on_the_number_of_jobs(seeds: Path, tmp_path: Path) -> None:
    one, two = ingest(seeds, tmp_path / "one", jobs=1), ingest(seeds, tmp_path / "two", jobs=2)
    # The review list names the files to correct by the content folder given.
    review = files(tmp_path / "one").pop(REVIEW).decode().replace(str(tmp_path / "one"), str(tmp_path / "two"))
    assert review == files(tmp_path / "two")[REVIEW].decode()
    assert files(tmp_path / "one") == files(tmp_path / "two") | {REVIEW: files(tmp_path / "one")[REVIEW]}
    assert [a.id for a in one.articles] == [a.id for a in two.articles] and one.total == 28


def test_a_rerun_reads_only_the_editions_that_changed(seeds: Path, tmp_path: Path, built: list[int]) -> None:
    content = tmp_path / "content"
    first = ingest(seeds, content, jobs=1)
    before = files(content)
    second = ingest(seeds, content, jobs=1)
    assert built == [3, 0] and second.rebuilt == 0 and second.total == first.total == 28
    assert files(content) == before and second.written is not None and not second.written.written
    page = seeds / "003_a07a59b70d268fc0.txt"
    page.write_text(page.read_text("utf-8").replace("疗休养之旅", "疗养之旅", 1), "utf-8")
    third = ingest(seeds, content, jobs=1)
    assert built[-1] == 1 and third.rebuilt == 1  # only 2022-08-16
    assert third.written is not None and [Path(r).parts[:3] for r in third.written.written] == [("2022", "08", "16")]


def test_a_deleted_article_is_written_again(seeds: Path, tmp_path: Path, built: list[int]) -> None:
    content = tmp_path / "content"
    ingest(seeds, content, jobs=1)
    before = files(content)
    victim = next(content.rglob("2023/10/31/*.md"))
    victim.unlink()
    again = ingest(seeds, content, jobs=1)
    assert built == [3, 1] and again.written is not None and again.written.written == [
        victim.relative_to(content).as_posix()]
    assert files(content) == before


@pytest.mark.parametrize("damage", [b"not a database", b""])
def test_a_damaged_state_means_reading_everything_again(seeds: Path, tmp_path: Path, built: list[int],
                                                        damage: bytes) -> None:
    content = tmp_path / "content"
    ingest(seeds, content, jobs=1)
    before = files(content)
    (content / CACHE).write_bytes(damage)
    again = ingest(seeds, content, jobs=1)
    assert built == [3, 3]
    assert files(content) == before
    if damage:
        assert any("ingest state unreadable" in p.message and p.severity == "warning" for p in again.problems)
    assert ingest(seeds, content, jobs=1).rebuilt == 0  # and the state is whole again


def test_other_code_means_reading_everything_again(seeds: Path, tmp_path: Path, built: list[int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    ingest(seeds, content, jobs=1)
    monkeypatch.setattr(pipeline, "code_version", lambda: "another version of the ingest")
    ingest(seeds, content, jobs=1)
    assert built == [3, 3]


def test_the_review_list_names_each_doubtful_article_and_keeps_corrections(seeds: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    page = seeds / "000_da4d75aed8247b84.txt"
    # An article printed without its headline is one an editor has to check; a script in its
    # text must be shown in the list, not run.
    text = page.read_text("utf-8").replace("中国铁建举办职工集体婚礼\n\n40对新人情定雄安新区\n", "", 1)
    page.write_text(text.replace("婚恋活动达上百场。", "婚恋活动达上百场。<script>x()</script>", 1), "utf-8")
    result = ingest(seeds, content, jobs=1)
    review = (content / REVIEW).read_text("utf-8")
    assert f"{len(result.review)} articles to review" in review and result.review
    for rel in result.review:
        assert str(content / rel) in review
    assert "<script>x()</script>" not in review and "&lt;script&gt;x()&lt;/script&gt;" in review
    doubtful = content / result.review[0]
    doubtful.write_text(doubtful.read_text("utf-8") + "\n编者更正。\n", "utf-8")
    again = ingest(seeds, content, jobs=1)
    assert again.written is not None and result.review[0] in again.written.kept_edits
    assert "编者更正" in doubtful.read_text("utf-8")
    assert "corrected by hand" in (content / REVIEW).read_text("utf-8")


def test_a_stored_page_result_reads_back_the_same() -> None:
    """What the state keeps of a page is the page's result, whole (or nothing: then it is read)."""
    from site_builder.ingest.edition import _stored
    from site_builder.ingest.page import from_json, read_page, to_json
    from site_builder.ingest.pipeline import read_pages

    pages, _ = read_pages(SEEDS)
    for page in pages:
        result = read_page(page)
        assert from_json(to_json(result)) == result, page.file
    assert _stored('{"file": "x.txt", "items": [{"kind": "article"}]}') is None  # damaged: read again
