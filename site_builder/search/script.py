"""The search index files: data in a `<script>`, so that the page loads them from `file://` too.

A browser reads no file from a `file://` page with fetch, but it runs a script element's
file. Every index file is one call, `grrbIndex(<JSON>);`: `static/search-index.js` defines
`grrbIndex`, which hands the value to the loader of the script element that ran it
(`document.currentScript`). The JSON is written with its non-ASCII characters as UTF-8 (the
page is UTF-8, and so are the scripts it loads) and keys in a fixed order: the same value
gives the same bytes.

>>> data_script({"工会": [1, 2]})
b'grrbIndex({"\\xe5\\xb7\\xa5\\xe4\\xbc\\x9a":[1,2]});\\n'
>>> read_data_script(data_script(["职工"]))
['职工']
"""

from __future__ import annotations

import json

CALL = b"grrbIndex("
END = b");\n"


def data_script(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # (Valid in a JavaScript string since ES2019; escaped for older engines.)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return CALL + text.encode("utf-8") + END


def read_data_script(data: bytes) -> object:
    """The value of an index file (ValueError when it is not one)."""
    if not (data.startswith(CALL) and data.endswith(END)):
        raise ValueError("not a search index file")
    return json.loads(data[len(CALL):-len(END)])
