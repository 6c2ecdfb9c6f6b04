"""The content walk with the listings it kept: the same stamps as a walk that lists every folder,
after any change, and no folder listed again whose names cannot have changed."""

from __future__ import annotations

import itertools
import marshal
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.site import walk
from site_builder.site.scan import scan_content
from site_builder.site.state import State
from site_builder.site.walk import Walked, read_listings, walk_content
from tests.conftest import FIXTURE_CONTENT
from tests.site.test_content import good, write

PAST = 1_600_000_000 * 10**9  # (2020): folders settled long before any walk
_ticks = itertools.count(1)


def settle(*folders: Path) -> None:
    """Give folders an mtime of their own, long past, as if their last change were old: each
    call a later one, as a clock would."""
    tick = PAST + next(_ticks) * 1_000_000
    for folder in folders:
        os.utime(folder, ns=(tick, tick))


def settle_all(content: Path) -> None:
    settle(content, *(p for p in content.rglob("*") if p.is_dir() and not p.is_symlink()))


def kept(walked: Walked, known: dict[str, bytes]) -> dict[str, bytes]:
    """The listings known after `walked`, as `keep_listings` leaves them in the state."""
    now = {**known, **{top: marshal.dumps(listings) for top, listings in walked.kept.items()}}
    return {top: blob for top, blob in now.items() if top in walked.tops and walked.kept.get(top, True)}


def folders(known: dict[str, bytes]) -> dict[str, tuple]:  # type: ignore[type-arg]
    """Folder → listing, of every top folder."""
    return {f: listing for blob in known.values() for f, listing in marshal.loads(blob).items()}


def same_as_listing_everything(content: Path, known: dict[str, bytes]) -> Walked:
    walked = walk_content(content, None, 1, known)
    fresh = walk_content(content, None, 1, {})
    assert (walked.stamps, walked.problems) == (fresh.stamps, fresh.problems)
    return walked


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    settle_all(root)
    return root


def test_settled_folders_are_not_listed_again(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = walk_content(content, None, 1, {})
    known = kept(first, {})
    listings = folders(known)
    assert set(known) == first.tops == {"", "2022", "2023"}
    assert {"", "2022", "2022/08", "2022/09", "2023", "2023/10", *first.stamps} == set(listings)
    assert listings["2023"][2] == ("10",) and listings["2023"][1] == ()

    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listed.append(path) or real(path))
    again = walk_content(content, None, 1, known)
    assert listed == [] and again.kept == {}
    assert again.stamps == first.stamps and again.tops == first.tops


def test_a_folder_changed_within_the_settling_time_is_listed_every_time(content: Path) -> None:
    day = next(p.parent for p in content.rglob("*.md"))
    write(day, "20231031-0000aaaa.md", good("20231031-0000aaaa"))  # its mtime is now
    listings = folders(kept(walk_content(content, None, 1, {}), {}))
    rel = day.relative_to(content).as_posix()
    assert rel not in listings and rel.rpartition("/")[0] in listings


def test_each_kind_of_change_is_seen(content: Path) -> None:
    known = kept(walk_content(content, None, 1, {}), {})
    md = sorted(content.rglob("*.md"))
    day = md[0].parent

    def step() -> None:
        nonlocal known
        known = kept(same_as_listing_everything(content, known), known)

    md[0].write_text(md[0].read_text("utf-8") + "\n多一句。\n", "utf-8")  # in place: the folder keeps its mtime
    step()
    os.utime(md[1], ns=(PAST, PAST))  # only the time
    step()
    write(day, "20231031-0000bbbb.md", good("20231031-0000bbbb"))
    settle(day)
    step()
    md[2].unlink()
    settle(md[2].parent)
    step()
    md[3].unlink()
    md[3].symlink_to(md[4])  # a plain file become a symlink
    settle(md[3].parent)
    step()
    assert md[3].parent.relative_to(content).as_posix() not in folders(known)  # (not kept)
    new_day = content / "2023" / "10" / "07"
    write(new_day, "20231007-0000cccc.md", good("20231007-0000cccc", "2023-10-07"))
    settle(new_day, new_day.parent)
    step()
    assert "2023/10/07" in folders(known)
    shutil.rmtree(new_day)
    settle(new_day.parent)
    step()
    assert "2023/10/07" not in folders(known)
    (content / "2023" / "loop").symlink_to(content / "2023" / "10")  # a symlinked folder: a warning each time
    settle(content / "2023")
    step()
    assert "2023" not in folders(known)
    step()
    shutil.rmtree(content / "2022")  # a whole year
    settle(content)
    step()
    assert set(known) == {"", "2023"}


def test_the_listings_are_kept_in_the_state_and_forgotten_with_their_folders(tmp_path: Path, content: Path) -> None:
    with State.create(tmp_path / "cache") as state:
        with state.transaction():
            scan_content(content, state)
        known = folders(read_listings(state))
        assert set(known) >= set(walk_content(content).stamps)
        shutil.rmtree(content / "2023" / "10")
        settle(content / "2023")
        with state.transaction():
            scan = scan_content(content, state)
        assert scan.changes and all(c.new is None for c in scan.changes)
        after = folders(read_listings(state))
        assert set(after) == {f for f in known if not f.startswith("2023/10")} and after["2023"][2] == ()
        shutil.rmtree(content / "2023")
        settle(content)
        with state.transaction():
            scan_content(content, state)
        assert set(read_listings(state)) == {"", "2022"}


def test_an_edit_in_a_settled_folder_reaches_the_state(tmp_path: Path, content: Path) -> None:
    with State.create(tmp_path / "cache") as state:
        with state.transaction():
            scan_content(content, state)
        path = sorted(content.rglob("*.md"))[0]
        path.write_text(path.read_text("utf-8").replace("title: ", "title: 改："), "utf-8")
        with state.transaction():
            scan = scan_content(content, state)
        assert [c.new.title[:2] for c in scan.changes if c.new is not None] == ["改："]


def test_the_walk_shared_among_processes_keeps_what_one_keeps(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for year in ("2019", "2020", "2021"):
        write(content, f"{year}/01/02/{year}0102-0000dddd.md", good(f"{year}0102-0000dddd", f"{year}-01-02"))
    settle_all(content)
    serial = walk_content(content, None, 1, {})
    monkeypatch.setattr(walk, "PARALLEL_WALK", 1)
    shared = walk_content(content, None, 2, {})
    assert shared == serial
    known = kept(serial, {})
    assert walk_content(content, None, 2, known) == walk_content(content, None, 1, known)


OPS = st.lists(st.tuples(st.sampled_from(["edit", "add", "remove", "new_day", "drop_day", "link"]),
                         st.integers(0, 50)), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_changes_give_the_stamps_of_a_full_listing(tmp_path_factory: pytest.TempPathFactory,
                                                       ops: list[tuple[str, int]]) -> None:
    content = tmp_path_factory.mktemp("walk") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    settle_all(content)
    known = kept(walk_content(content, None, 1, {}), {})
    for n, (op, pick) in enumerate(ops):
        files = sorted(p for p in content.rglob("*.md") if not p.is_symlink())
        days = sorted({p.parent for p in content.rglob("*.md")})
        if not files:
            break
        path, day = files[pick % len(files)], days[pick % len(days)]
        touched = [path.parent]
        if op == "edit":
            path.write_bytes(path.read_bytes() + b"\n")
            touched = []
        elif op == "add":
            write(day, f"x{n}.md", good())
            touched = [day]
        elif op == "remove":
            path.unlink()
        elif op == "new_day":
            write(content / "2023" / "10" / f"{n:02d}x", "a.md", good())
            touched = [content / "2023" / "10" / f"{n:02d}x", content / "2023" / "10"]
        elif op == "drop_day":
            shutil.rmtree(day)
            touched = [day.parent]
        else:
            path.unlink()
            path.symlink_to(files[(pick + 1) % len(files)])
        settle(*touched)
        known = kept(same_as_listing_everything(content, known), known)


def test_damaged_listings_mean_a_full_listing_not_a_wrong_one(content: Path) -> None:
    """A kept record that is not `marshal`, not a mapping or of another shape: the folders
    are listed again, with the same stamps as a walk without listings."""
    fresh = walk_content(content, None, 1, {})
    known = kept(fresh, {})
    one = next(iter(folders({"2023": known["2023"]})))
    for damaged in (b"\x00garbage", marshal.dumps([1, 2]), marshal.dumps({one: (1, "x")}),
                    marshal.dumps({one: "not a listing"})):
        walked = walk_content(content, None, 1, {**known, "2023": damaged})
        assert (walked.stamps, walked.problems) == (fresh.stamps, fresh.problems)
        assert "2023" in walked.kept  # (and written again whole)
