"""Bad files, through the command line as an editor runs it: every error of every file in one
run as `path:line: message`, exit code 1, never a traceback, nothing written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_builder.frontmatter import parse_article
from tests.site.test_content import good

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
PROBLEM = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+): (?P<message>.+)$")

# file name (its id) → (bytes, line of the expected error, part of the message)
BAD: dict[str, tuple[bytes, int, str]] = {
    "20231031-00000001": (good("20231031-00000001").replace("kind: article", "kind: [article").encode(),
                          4, "malformed YAML"),
    "20231031-00000002": (good("20231031-00000002").replace("province: 浙江", "page: 三").encode(),
                          6, "'page' must be a page number"),
    "20231031-00000003": (good("20231031-00000003").replace("province: 浙江", "places: 温州").encode(),
                          6, "'places' must be a list of texts"),
    "20231031-00000004": (good("20231031-00000004").replace("title: 工会", "title: [工会]\nx: 1\n#").encode(),
                          4, "'title' must be a non-empty text"),
    "20231031-00000005": (good("20231031-00000005", "2023-02-30").encode(), 5, "'date': invalid value"),
    "20231031-00000006": (good("20231031-00000006", "明天").encode(), 5, "'date' must be a date"),
    "20231031-00000007": (b"", 1, "missing front-matter"),
    "20231031-00000008": (bytes(range(256)) * 4, 1, "not valid UTF-8"),
    "20231031-00000009": (good("20231031-00000009").encode("gb18030"), 1, "not valid UTF-8"),
    "20231031-0000000a": (good("20231031-0000000a").encode("utf-16"), 1, "not valid UTF-8"),
    "20231031-0000000b": (good("20231031-0000000b").replace("落幕。", "落幕。\x00").encode(), 12,
                          "the text contains a control character U+0000"),
    "20231031-0000000c": (good("20231031-0000000c").replace("title: 工会文化大餐火出圈的背后……",
                                                            'title: "工会\\x07\\x1b[2J"').encode(),
                          4, "'title' contains a control character U+0007"),
    "20231031-0000000d": (good("20231031-0000000d").replace(
        "province: 浙江", "places: &a [温州, 温州]\nalso_in: [*a, *a, *a, *a, *a, *a, *a, *a]").encode(),
        7, "YAML aliases (*name) are not allowed"),
    "20231031-0000000e": (good("20231031-0000000e").replace(
        "province: 浙江", "places: " + "[" * 5000 + "]" * 5000).encode(),
                          6, "malformed YAML: nested too deeply"),
    "20231031-0000000f": (b"---\n---\n", 2, "front-matter must be a mapping"),
    "20231031-00000010": (b"---\n- a\n- b\n---\n", 2, "front-matter must be a mapping"),
    "20231031-00000011": (good("20231031-00000011").replace("province: 浙江", "page: 1" + "0" * 400).encode(),
                          6, "'page' must be a page number"),
    "20231031-00000012": (good("20231031-00000012").replace("title:", "titel:").encode(),
                          4, "unknown key 'titel' (did you mean 'title'?)"),
    "20231031-00000013": (good("20231031-00000013").replace("province: 浙江", "province: ../../etc").encode(),
                          6, "unknown province '../../etc'"),
    "20231031-00000014": (good("20231031-00000014").replace("title: 工会文化大餐火出圈的背后……",
                                                            'title: "工会\\uD800"').encode(),
                          # libyaml refuses the escape itself; PyYAML's own parser lets it through.
                          4, "invalid Unicode character escape" if hasattr(yaml, "CSafeLoader")
                          else "'title' contains a lone surrogate U+D800"),
}


def content_with_bad_files(folder: Path) -> Path:
    for ident, (data, _, _) in BAD.items():
        path = folder / "2023/10/31" / f"{ident}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    good_path = folder / "2023/10/31/20231031-3f9a2c1e.md"
    good_path.write_text(good(), "utf-8")
    dup = folder / "2023/11/01/20231031-3f9a2c1e.md"  # a second file with the same id
    dup.parent.mkdir(parents=True)
    dup.write_text(good(), "utf-8")
    return folder


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          timeout=300, check=False)


def problems_of(stderr: str) -> list[tuple[str, int, str]]:
    found = []
    for line in stderr.splitlines():
        match = PROBLEM.match(line)
        if match:
            found.append((match["path"], int(match["line"]), match["message"]))
    return found


@pytest.mark.parametrize("command", ["check", "build"])
def test_every_bad_file_is_reported_in_one_run(tmp_path: Path, command: str) -> None:
    content = content_with_bad_files(tmp_path / "content")
    out = tmp_path / "public"
    args = ["--content", str(content)] + (["--out", str(out)] if command == "build" else [])
    result = run(command, *args)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    found = problems_of(result.stderr)
    for ident, (_, line, message) in BAD.items():
        path = str(content / "2023/10/31" / f"{ident}.md")
        assert any(p == path and n == line and message in m for p, n, m in found), (ident, [
            f for f in found if f[0] == path])
    dup = str(content / "2023/11/01/20231031-3f9a2c1e.md")
    assert any(p == dup and "duplicate id '20231031-3f9a2c1e' (also in" in m for p, _, m in found)
    # Every line of stderr is a problem, or the one closing summary line.
    others = [line for line in result.stderr.splitlines() if not PROBLEM.match(line)]
    assert len(others) <= 1, others
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == (
        [".public.lock"] if command == "build" else []) + ["content"]


def test_parse_article_reports_instead_of_raising() -> None:
    for ident, (data, line, message) in BAD.items():
        if "province" in message:  # checked against the province table by read_content
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        article, problems = parse_article(text, f"{ident}.md")
        assert article is None and any(p.line == line and message in p.message for p in problems), ident


def test_bad_seeds_are_reported_in_one_run(tmp_path: Path) -> None:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    shutil.copytree(SEEDS, seeds)
    assert run("ingest", "--seeds", str(seeds), "--content", str(content)).returncode == 0
    before = {p: p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    manifest = seeds / "editions.yaml"
    manifest.write_text(manifest.read_text("utf-8") + (
        "- file: empty.txt\n  date: 2023-11-01\n"
        "- file: binary.txt\n  date: 2023-02-30\n"
        "- file: latin.txt\n  date: 2023-11-01\n  page: 三\n"
        "- file: 000_da4d75aed8247b84.txt\n  date: 2023-11-01\n"
        "- [not, a, mapping]\n"), "utf-8")
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (seeds / "latin.txt").write_bytes("Ünïcödé façade naïveté".encode("latin-1") * 20)
    result = run("ingest", "--seeds", str(seeds), "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    found = {(p, n) for p, n, _ in problems_of(result.stderr)}
    label = str(manifest)
    assert {(label, 20), (label, 21), (label, 24), (label, 26), (str(seeds / "empty.txt"), 1),
            (str(seeds / "binary.txt"), 1), (str(seeds / "latin.txt"), 1)} <= found, found
    assert {p: p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()} == before
