"""Text that XML 1.0 can hold: feeds and e-books are XML, article text may not be.

A body or a YAML-escaped title ("\\v") can carry control characters that no XML document may
contain; a parser then rejects the whole feed or e-book. They carry nothing a reader sees.

>>> xml_safe("工会\\x0b新闻\\x0c")
'工会新闻'
"""

from __future__ import annotations

import re

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
