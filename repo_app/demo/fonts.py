"""Locate a TrueType font that covers both CJK and Latin text.

The demo PDFs (and, later, visible signature stamps) must *embed* their font:
reportlab's built-in ``STSong-Light`` is a non-embedded CID font that shows as
boxes in viewers without Adobe's Asian font packs.  reportlab can only embed
fonts with TrueType (``glyf``) outlines, so CFF-flavoured OpenType fonts such as
Noto Sans CJK (``.otf``/``.ttc`` starting with ``OTTO``) are rejected here even
though they contain the right glyphs.

Search order:

1. the file named by the ``PACTUM_CJK_FONT`` environment variable;
2. well-known Debian paths (:data:`DEBIAN_CANDIDATES`).

For a TrueType collection (``.ttc``) the first face (index 0) is used; for
``wqy-zenhei.ttc`` that is "WenQuanYi Zen Hei".
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

ENV_VAR = "PACTUM_CJK_FONT"
DEBIAN_PACKAGE = "fonts-wqy-zenhei"

# Only fonts with TrueType outlines and both CJK and Latin glyphs belong here.
DEBIAN_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # fonts-wqy-zenhei
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # fonts-wqy-microhei
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),  # fonts-arphic-uming
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),  # fonts-arphic-ukai
)

#: Face used inside a TrueType collection (``.ttc``).
TTC_SUBFONT_INDEX = 0

_TRUETYPE_VERSIONS = (b"\x00\x01\x00\x00", b"true")


class CJKFontNotFoundError(FileNotFoundError):
    """No usable (embeddable, CJK + Latin) TrueType font could be found."""


def find_cjk_font(candidates: Sequence[Path] = DEBIAN_CANDIDATES) -> Path:
    """Return the path of an embeddable TrueType font with CJK and Latin glyphs.

    ``PACTUM_CJK_FONT`` wins when set; a value that does not name a usable
    font is an error rather than silently falling back, so a misconfiguration
    is noticed.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        path = Path(override)
        problem = _unusable_reason(path)
        if problem:
            raise CJKFontNotFoundError(f"{ENV_VAR}={override!r}: {problem}")
        return path
    for path in candidates:
        if _unusable_reason(path) is None:
            return path
    searched = ", ".join(str(p) for p in candidates) or "(no candidates)"
    raise CJKFontNotFoundError(
        "No TrueType font with Chinese glyphs found (searched: "
        f"{searched}). Install the Debian package {DEBIAN_PACKAGE} "
        f"(apt-get install {DEBIAN_PACKAGE}) or point {ENV_VAR} at a .ttf/.ttc file "
        "with TrueType outlines."
    )


def _unusable_reason(path: Path) -> str | None:
    """Why *path* cannot be embedded by reportlab, or ``None`` if it can."""
    if not path.is_file():
        return "file does not exist"
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
            if head[:4] == b"ttcf":  # tag, version, numFonts, offset of the first face
                (first_offset,) = struct.unpack(">I", head[12:16])
                fh.seek(first_offset)
                head = fh.read(12)
            else:
                fh.seek(12)
            tables = _table_tags(fh, head)
    except (OSError, struct.error) as exc:
        return f"cannot read font: {exc}"
    if head[:4] == b"OTTO" or b"CFF " in tables:
        return "font has CFF (PostScript) outlines, which reportlab cannot embed"
    if head[:4] not in _TRUETYPE_VERSIONS or b"glyf" not in tables:
        return "not a TrueType font (no glyf table)"
    if b"cmap" not in tables:
        return "font has no character map"
    return None


def _table_tags(fh: BinaryIO, offset_table: bytes) -> set[bytes]:
    """Table tags listed in an sfnt offset table whose first 12 bytes are given."""
    (num_tables,) = struct.unpack(">H", offset_table[4:6])
    records = fh.read(16 * num_tables)
    return {records[i : i + 4] for i in range(0, len(records), 16)}
