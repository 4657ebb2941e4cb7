"""The folded form of a counterparty name that duplicate checks compare.

Two spellings of one company fold to the same key: full-width and half-width characters
(NFKC), upper and lower case, spaces, Chinese and Latin brackets and punctuation, and the
company-form suffix (股份有限公司, 有限责任公司, 有限公司, Co., Ltd., Inc. …). The key is only for
finding candidates; the name itself is kept exactly as entered.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest first, so 股份有限公司 is removed whole rather than leaving 股份.
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "companylimited",
    "coltd",
    "corporation",
    "limited",
    "gmbh",
    "corp",
    "inc",
    "llc",
    "ltd",
    "plc",
    "co",
    "ag",
    "sa",
)
_DROP = re.compile(r"[\s()\[\]{}<>（）【】〔〕《》「」.,，。、·'\"“”‘’&＆\-_/]+")


def name_key(name: str) -> str:
    """``"腾讯科技（深圳）有限公司"`` and ``"腾讯科技(深圳) 有限公司"`` → ``"腾讯科技深圳"``."""
    folded = _DROP.sub("", unicodedata.normalize("NFKC", name).casefold())
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if folded.endswith(suffix) and len(folded) > len(suffix):
                folded = folded[: -len(suffix)]
                changed = True
                break
    return folded[:255]
