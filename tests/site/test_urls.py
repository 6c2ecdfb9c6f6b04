from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from site_builder.urls import Urls

segment = st.sampled_from(["2023", "10", "31", "region", "zhejiang", "authors", "a"])
page = st.builds(lambda parts, name: "/".join([*parts, name]),
                 st.lists(segment, max_size=3), st.sampled_from(["index.html", "x.html"]))


def test_examples() -> None:
    assert Urls.link("index.html", "index.html") == "index.html"
    assert Urls.link("2023/10/31/x.html", "index.html") == "../../../index.html"
    assert Urls.link("region/zhejiang/index.html", "region/index.html") == "../index.html"
    assert Urls.region("陕西") == "region/shaanxi/index.html"
    assert Urls.region("山西") == "region/shanxi/index.html"


@given(page, page)
def test_link_resolves_to_target_and_names_a_file(src: str, dst: str) -> None:
    link = Urls.link(src, dst)
    assert not link.endswith("/") and not link.startswith("/")
    assert posixpath.normpath(posixpath.join(posixpath.dirname(src), link)) == dst
