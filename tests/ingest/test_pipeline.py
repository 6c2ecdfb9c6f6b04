"""The ingest end to end: the seed pages, pages in other layouts, bad input, re-runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.frontmatter import parse_article
from site_builder.ingest.decode import decode_page
from site_builder.ingest.pipeline import (
    IngestError,
    IngestResult,
    PageReport,
    content_files,
    ingest,
    ingest_pages,
    read_pages,
)
from site_builder.models import RawPage
from tests.ingest.conservation import FURNITURE, count, prose
from tests.ingest.pagegen import generated_page

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def seed_result():  # type: ignore[no-untyped-def]
    pages, problems = read_pages(SEEDS)
    assert not [p for p in problems if p.severity == "error"]
    return pages, ingest_pages(pages)


def by_title(result, title):  # type: ignore[no-untyped-def]
    found = [a for a in result.articles if a.title == title]
    assert len(found) == 1, [a.title for a in result.articles]
    return found[0]


def test_every_character_of_every_seed_page_is_in_an_article(seed_result) -> None:  # type: ignore[no-untyped-def]
    """Counted from the raw pages and the written files, not from the ingest's own books."""
    pages, result = seed_result
    files = content_files(result)
    for raw in pages:
        # Page 001 is a second extraction: its articles are kept from page 000.
        mine = {rel: data for rel, data in files.items()
                if f"file: {raw.file}" in data.decode() or rel == f"_unassigned/{raw.file}"}
        missing, extra, remainder = count(raw.lines, mine)
        if raw.file.startswith("001_"):
            continue
        assert set(missing) <= FURNITURE, (raw.file, "".join(missing.elements()))
        assert not extra, (raw.file, "".join(extra.elements()))
        assert not remainder, raw.file
    assert all(r.unassigned == 0 for r in result.pages)


def test_page_000_reads_as_the_newsroom_printed_it(seed_result) -> None:  # type: ignore[no-untyped-def]
    _, result = seed_result
    day = [a for a in result.articles if a.source.file.startswith("000_")]
    assert len(day) == 10
    assert sum(a.kind == "photo" for a in day) == 2 and sum(a.kind == "continuation" for a in day) == 1
    beijing = by_title(result, "线上线下互联互通 精准对接职工需求")
    assert beijing.kicker and "北京市工业（国防）工会" in beijing.kicker
    assert [a.name for a in beijing.authors] == ["赖志凯"] and beijing.province == "北京"
    assert beijing.dateline == "10月25日"
    wenzhou = by_title(result, "工会文化大餐火出圈的背后……")
    assert wenzhou.kicker == "温州市总工会建设多元文化服务体系，促进职工“精神富有”"
    assert [(a.name, a.role) for a in wenzhou.authors] == [("邹倜然", "记者"), ("邵晨晨", "通讯员")]
    assert wenzhou.province == "浙江" and wenzhou.summary and wenzhou.summary.startswith("温州市总工会以职工需求为导向")
    assert "阅读提示" not in wenzhou.body and "本报记者" not in wenzhou.body
    assert "## 结合职工需求创新文化品牌" in wenzhou.body
    assert wenzhou.also_in == ("001_2a64485015c8bc5e.txt",)
    assert by_title(result, "传递一份爱 温暖一座城").province == "湖北"
    assert by_title(result, "40对新人情定雄安新区").province == "河北"
    assert by_title(result, "下沉一线找短板强本领").province == "黑龙江"
    photo = by_title(result, "产教融合助推职教创新")
    assert photo.kind == "photo" and photo.province == "贵州" and [a.name for a in photo.authors] == ["周训超"]
    assert "摄" not in photo.body[-3:]
    assert by_title(result, "聚合众力让工会品牌可知可感可亲可近").province == "福建"
    funeng = by_title(result, "开展技能比武 设立提技课堂")
    assert funeng.province == "江苏" and [a.name for a in funeng.authors] == ["王伟", "刘捷", "顾峰"]
    snow = by_title(result, "雪中施工保通信")
    assert snow.kind == "photo" and snow.province == "四川" and snow.authors[0].role == "新华社记者"
    cont = next(a for a in day if a.kind == "continuation")
    assert cont.continued_from == "第1版" and cont.province is None and cont.body.startswith("习近平强调，家庭和睦")
    assert "上接" not in cont.body


def test_the_second_extraction_adds_no_article(seed_result) -> None:  # type: ignore[no-untyped-def]
    _, result = seed_result
    assert not [a for a in result.articles if a.source.file.startswith("001_")]
    report = next(r for r in result.pages if r.file.startswith("001_"))
    assert report.duplicates >= 9 and report.items == 0
    assert "瓯江" in by_title(result, "工会文化大餐火出圈的背后……").body  # the better wording is kept


def test_pages_002_and_003(seed_result) -> None:  # type: ignore[no-untyped-def]
    _, result = seed_result
    guizhou = by_title(result, "在助力共同富裕中贡献工会力量")
    assert guizhou.column == "非凡十年·工会篇" and guizhou.summary and guizhou.province == "贵州"
    assert guizhou.kicker and guizhou.kicker.endswith("喜悦——")
    assert by_title(result, "劳动和技能竞赛助推能源化学地质产行业大发展").subtitle == "5年累计开展2.5万余场次，覆盖职工1200万人"
    assert by_title(result, "北京首个“首都工匠学院”挂牌").dateline == "9月15日"
    assert by_title(result, "坚持和发展中国特色社会主义要一以贯之").kind == "continuation"
    diary = by_title(result, "要让雷锋精神在职工心中落地开花")
    assert diary.column == "蹲点日记" and [(a.name, a.role) for a in diary.authors] == [("田晓青", "作者")]
    assert diary.province == "辽宁" and "8月8日 星期一 晴" in diary.body
    note = by_title(result, "开栏的话")
    assert note.kind == "notice" and note.column == "非凡十年·工会篇"
    assert by_title(result, "下班后，去职工之家“打卡”").province == "海南"
    changchun = by_title(result, "12351服务热线24小时“不打烊”")
    assert [a.name for a in changchun.authors] == ["柳姗姗", "彭冰", "谷业琳"] and changchun.province == "吉林"
    liaoning = by_title(result, "身心愉悦的疗休养之旅")
    assert [(a.name, a.role) for a in liaoning.authors] == [("杨明清", "记者"), ("张嫱", "记者"), ("堵方涛", "通讯员")]


def test_golden_content(seed_result) -> None:  # type: ignore[no-untyped-def]
    """The ingested seed articles, reviewed by reading them; UPDATE_GOLDEN=1 rewrites them."""
    _, result = seed_result
    files = content_files(result)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in files.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = {str(p.relative_to(GOLDEN)): p.read_bytes() for p in GOLDEN.rglob("*.md")}
    assert sorted(golden) == sorted(files)
    for rel, data in files.items():
        assert data.decode() == golden[rel].decode(), rel
        article, problems = parse_article(data.decode(), rel)
        assert article is not None and not problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=st.integers(min_value=0, max_value=100_000),
    noise=st.lists(st.text(alphabet="工会职工，。“”（）() 12abc——本报讯记者摄l|", max_size=30), max_size=3),
    where=st.lists(st.floats(min_value=0, max_value=1), min_size=3, max_size=3),
)
def test_no_character_is_ever_lost(number: int, noise: list[str], where: list[float]) -> None:
    """Whatever the layout, and with stray lines thrown in anywhere, every character of the
    page is in an article or in the reported remainder, no article holds a character the page
    lacks, and the remainder holds no prose (counted from the page and the written files)."""
    page = generated_page(number)[0]
    lines = page.text.split("\n")
    for text, at in zip(noise, where, strict=False):
        lines.insert(int(at * len(lines)), text)
    decoded, _, _ = decode_page("\n".join(lines).encode(), "x.txt")
    if not decoded:
        return
    result = ingest_pages([RawPage("x.txt", decoded, None)])
    missing, extra, remainder = count(decoded, content_files(result))
    assert set(missing) <= FURNITURE, "".join(missing.elements())
    assert not extra, "".join(extra.elements())
    assert prose(remainder, decoded) == "", prose(remainder, decoded)
    ids = [a.id for a in result.articles]
    assert len(ids) == len(set(ids))


def _seed_copy(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    for f in seeds.iterdir():
        f.chmod(0o644)
    return seeds


def test_rerun_is_byte_identical_and_keeps_hand_edits(tmp_path: Path) -> None:
    seeds, content = _seed_copy(tmp_path), tmp_path / "content"
    first = ingest(seeds, content)
    assert first.written and len(first.written.written) == len(first.articles)
    snapshot = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    second = ingest(seeds, content)
    assert second.written and not second.written.written and not second.written.removed
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == snapshot
    edited = next(content.rglob("*.md"))
    edited.write_text(edited.read_text("utf-8").replace("工会", "工會", 1), "utf-8")
    third = ingest(seeds, content)
    assert third.written and third.written.kept_edits == [str(edited.relative_to(content))]
    assert "工會" in edited.read_text("utf-8")


def test_bad_input_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    seeds, content = _seed_copy(tmp_path), tmp_path / "content"
    ingest(seeds, content)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    (seeds / "editions.yaml").write_text(
        (seeds / "editions.yaml").read_text("utf-8") + "- file: 404_missing.txt\n  date: 2023-11-01\n  pages: 3\n"
        "- file: ../../etc/passwd\n  date: 2023-11-01\n", "utf-8")
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError) as caught:
        ingest(seeds, content)
    messages = [str(p) for p in caught.value.problems]
    yaml_path = str(seeds / "editions.yaml")
    assert any(m.startswith(f"{yaml_path}:17: ") and "404_missing.txt" in m for m in messages), messages
    assert any(m.startswith(f"{yaml_path}:19: ") and "unknown key 'pages'" in m for m in messages), messages
    assert any("../../etc/passwd" in m for m in messages)
    assert any(m.startswith(f"{seeds / 'empty.txt'}:1: empty file") for m in messages)
    assert any(m.startswith(f"{seeds / 'binary.txt'}:1: ") for m in messages)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_malformed_manifest_and_unlisted_page(tmp_path: Path) -> None:
    seeds = _seed_copy(tmp_path)
    (seeds / "editions.yaml").write_text("- file: 000_da4d75aed8247b84.txt\n  date: [2023\n", "utf-8")
    with pytest.raises(IngestError) as caught:
        ingest(seeds, tmp_path / "content")
    assert str(caught.value.problems[0]).startswith(f"{seeds / 'editions.yaml'}:")
    assert "malformed YAML" in str(caught.value.problems[0])
    (seeds / "editions.yaml").unlink()
    result = ingest(seeds, tmp_path / "content")
    assert result.articles and any("not in editions.yaml" in p.message for p in result.problems)


def test_a_remainder_is_written_beside_the_articles() -> None:
    report = PageReport("003_a07a59b70d268fc0.txt", None, unassigned=3, remainder="工会□")
    files = content_files(IngestResult([], [report], []))
    assert files == {"_unassigned/003_a07a59b70d268fc0.txt":
                     "# Characters of 003_a07a59b70d268fc0.txt that no article holds (3):\n工会□\n".encode()}
