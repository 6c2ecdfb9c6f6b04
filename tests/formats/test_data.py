"""Data for reuse: edition.json, editions.json, the monthly JSONL files, and the schema they follow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from site_builder.site.content import read_content
from tests.conftest import FIXTURE_CONTENT

TYPES = {"string": str, "integer": int, "array": list, "object": dict, "null": type(None)}


def conforms(value: Any, schema: dict[str, Any]) -> list[str]:
    """The subset of JSON Schema the article schema uses: type, required, properties,
    additionalProperties, items, minItems/maxItems, minimum."""
    errors: list[str] = []
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if kinds and not any(isinstance(value, TYPES[k]) and not isinstance(value, bool) for k in kinds):
        return [f"{value!r} is not {kinds}"]
    if isinstance(value, dict):
        errors += [f"missing {k}" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            errors += [f"unexpected {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                errors += [f"{k}: {e}" for e in conforms(v, props[k])]
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{value!r} has the wrong length")
        for item in value:
            errors += conforms(item, schema.get("items", {}))
    if isinstance(value, int) and value < schema.get("minimum", value):
        errors.append(f"{value} is too small")
    return errors


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _records(site: Path) -> list[dict[str, Any]]:
    """Every line of every monthly file the index names, in the index's order."""
    index = _json(site / "data/editions.json")
    lines = [line for f in index["article_files"] for line in (site / f["file"]).read_text("utf-8").splitlines()]
    assert [f["articles"] for f in index["article_files"]] == [
        len((site / f["file"]).read_text("utf-8").splitlines()) for f in index["article_files"]]
    return [json.loads(line) for line in lines]


def test_monthly_files_hold_every_article_by_the_schema(site: Path) -> None:
    schema = _json(site / "data/article.schema.json")
    articles, _ = read_content(FIXTURE_CONTENT)
    records = _records(site)
    assert [f.name for f in sorted((site / "data/articles").iterdir())] == [
        "2022-08.jsonl", "2022-09.jsonl", "2023-10.jsonl"]
    assert sorted(r["id"] for r in records) == sorted(a.id for a in articles)
    for record in records:
        assert conforms(record, schema) == [], record["id"]
        assert (site / record["path"]).is_file()
    first = next(r for r in records if r["id"] == "20231031-3f9a2c1e")
    assert first["kicker"] == "温州市总工会建设多元文化服务体系，促进职工“精神富有”"
    assert first["authors"] == [{"name": "邹倜然", "role": "记者"}, {"name": "邵晨晨", "role": "通讯员"}]
    assert first["source"] == {"file": "000_da4d75aed8247b84.txt", "lines": [100, 251]}
    assert "### 结合职工需求创新文化品牌" in first["body"] and first["page"] is None


def test_schema_check_can_fail(site: Path) -> None:
    schema = _json(site / "data/article.schema.json")
    record = _records(site)[0]
    assert conforms({**record, "titel": "x"}, schema) == ["unexpected titel"]
    assert conforms({**record, "page": "2"}, schema) != []
    assert conforms({**record, "source": {"file": "x", "lines": [1]}}, schema) != []


def test_edition_json_has_sheets_and_full_articles(site: Path) -> None:
    edition = _json(site / "2022/08/16/edition.json")
    assert edition["date"] == "2022-08-16" and edition["newspaper"] == "工人日报"
    assert edition["files"] == {"html": "2022/08/16/index.html", "json": "2022/08/16/edition.json",
                                "epub": "2022/08/16/edition.epub"}
    assert [(s["number"], s["name"]) for s in edition["sheets"]] == [(2, "工会新闻"), (None, None)]
    ids = [i for s in edition["sheets"] for i in s["articles"]]
    assert ids == [a["id"] for a in edition["articles"]] and len(ids) == 5
    assert edition["articles"][0]["title"] == "向前一步，贴近职工"


def test_index_of_editions(site: Path, based_site: Path) -> None:
    index = _json(site / "data/editions.json")
    assert [e["date"] for e in index["editions"]] == ["2022-08-16", "2022-09-16", "2023-10-31"]
    assert [e["articles"] for e in index["editions"]] == [5, 3, 3]
    for edition in index["editions"]:
        assert all((site / path).is_file() for path in edition["files"].values())
    assert index["base_url"] == "" and _json(based_site / "data/editions.json")["base_url"].startswith("https://")
    assert (site / index["article_schema"]).is_file()
    assert [(f["month"], f["articles"]) for f in index["article_files"]] == [("2022-08", 5), ("2022-09", 3),
                                                                             ("2023-10", 3)]


def test_about_page_links_and_documents_the_data(built_sites: dict[str, tuple[Path, object]]) -> None:
    schema_fields = _json(built_sites["default"][0] / "data/article.schema.json")["properties"]
    for theme in ("default", "broadsheet"):
        about = (built_sites[theme][0] / "about.html").read_text(encoding="utf-8")
        assert '<h2 id="data">数据下载</h2>' in about
        for target in ("data/editions.json", "data/articles/2023-10.jsonl", "data/article.schema.json",
                       "2023/10/31/edition.json", "feed.xml"):
            assert f'href="{target}"' in about
        for name in schema_fields:
            assert f"<td><code>{name}</code></td>" in about
