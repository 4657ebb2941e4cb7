"""The one finder of a font with Chinese *and* Latin glyphs, for every PDF Pactum makes.

Signature stamps and validation reports (this library), the web app's comparison and audit
trail PDFs (``repo_app.core.fonts`` passes the configured ``PACTUM_CJK_FONT``) and the demo
contracts (``demo``) all resolve their font here, from one candidate list.

Measured facts (pyHanko 0.38, reportlab 4/5, Debian 12 font packages):

* reportlab's built-in CID font STSong-Light is never embedded: other viewers
  show boxes. Always embed a real font.
* pyHanko's ``GlyphAccumulatorFactory(font_file=...)`` opens the file with
  ``fontTools.ttLib.TTFont(handle)`` and therefore **fails on TrueType
  collections** (``.ttc``: wqy-zenhei, arphic uming, Noto CJK) with
  ``TTLibFileIsCollectionError``. A plain ``.ttf`` works (fonts-lxgw-wenkai:
  ``LXGWWenKai-Regular.ttf``). Extracting one face of a collection into a
  standalone font in memory (what :func:`font_bytes` does) makes every one of
  them work, including the CFF-based Noto CJK (embedded as CIDFontType0C).
* reportlab embeds TrueType-outline fonts only (``.ttf``, or a ``.ttc`` face
  via ``subfontIndex``); CFF/OTF (Noto CJK) is refused: ``truetype_only``.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from .errors import SignerError

__all__ = [
    "CJK_FONT_CANDIDATES",
    "FONT_PACKAGE",
    "CJKFontFactory",
    "FontChoice",
    "FontUnavailable",
    "find_cjk_font",
    "font_bytes",
    "register_reportlab_font",
]

CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei (sans, TrueType outlines)
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",  # fonts-lxgw-wenkai (plain TTF)
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
    "/usr/share/fonts/truetype/arphic/ukai.ttc",  # fonts-arphic-ukai
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk (CFF: pyHanko only)
)
"""Searched in order when no font is configured."""

#: The Debian package that provides the first candidate (scripts/bootstrap.sh and the image install it).
FONT_PACKAGE = "fonts-wqy-zenhei"

#: A font must map these to glyphs: Chinese and Latin text, digits and the yuan sign.
_REQUIRED_CHARACTERS = "合同甲乙方壹元整Aa1¥"


class FontUnavailable(SignerError):
    """No usable font: the named file is missing or unfit, or no candidate is installed."""


@dataclass(frozen=True)
class FontChoice:
    """A font file and, for a collection, the face used."""

    path: str
    index: int = 0

    @property
    def truetype_outlines(self) -> bool:
        """True if reportlab can embed it (glyf outlines, not CFF)."""
        return _has_glyf(self.path, self.index)


def _is_collection(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"ttcf"


@lru_cache(maxsize=4)
def _file_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _open_face(path: str, index: int) -> TTFont:
    data = io.BytesIO(_file_bytes(path))
    return TTFont(data, fontNumber=index, lazy=True) if _is_collection(path) else TTFont(data, lazy=True)


@lru_cache(maxsize=16)
def _pick_face(path: str) -> int:
    """For a collection, prefer a Simplified-Chinese face (SC/CN), else face 0."""
    if not _is_collection(path):
        return 0
    coll = TTCollection(io.BytesIO(_file_bytes(path)), lazy=True)
    for i, face in enumerate(coll.fonts):
        name = face["name"].getDebugName(1) or ""
        if name.endswith((" SC", " CN")) or "SC " in name:
            return i
    return 0


@lru_cache(maxsize=16)
def _has_glyf(path: str, index: int) -> bool:
    return "glyf" in _open_face(path, index)


@lru_cache(maxsize=16)
def _unfit_reason(path: str, index: int, truetype_only: bool) -> str | None:
    """Why the face cannot serve Pactum's PDFs, or ``None`` when it can."""
    try:
        face = _open_face(path, index)
        mapped = face.getBestCmap() if "cmap" in face else None
    except (OSError, TTLibError, struct.error) as error:
        return f"not a readable TrueType/OpenType font ({error})"
    if not mapped:
        return "the font has no character map"
    missing = "".join(char for char in _REQUIRED_CHARACTERS if ord(char) not in mapped)
    if missing:
        return f"the font has no glyph for {missing}"
    if truetype_only and "glyf" not in face:
        return "the font has CFF (PostScript) outlines, which reportlab cannot embed: choose a TrueType font"
    return None


def _examine(path: str, truetype_only: bool) -> FontChoice | str:
    """The choice for ``path``, or the reason it is unusable."""
    if not Path(path).is_file():
        return "no such file"
    try:
        index = _pick_face(path)
    except (OSError, TTLibError, struct.error) as error:
        return f"not a readable font collection ({error})"
    return _unfit_reason(path, index, truetype_only) or FontChoice(path, index)


def find_cjk_font(
    path: str | os.PathLike[str] | None = None,
    *,
    truetype_only: bool = False,
    candidates: Sequence[str] = CJK_FONT_CANDIDATES,
) -> FontChoice:
    """The font to embed: ``path`` if given, else the first usable installed candidate.

    A given ``path`` that is unusable is an error, never replaced by a candidate, so a
    misconfiguration is noticed. ``truetype_only`` refuses CFF fonts (needed for reportlab).
    Raises :class:`FontUnavailable` saying why, or naming the Debian package to install.
    """
    if path is not None:
        examined = _examine(os.fspath(path), truetype_only)
        if isinstance(examined, str):
            raise FontUnavailable(f"font {os.fspath(path)} is not usable: {examined}")
        return examined
    for candidate in candidates:
        examined = _examine(candidate, truetype_only)
        if isinstance(examined, FontChoice):
            return examined
    searched = ", ".join(candidates) or "none"
    raise FontUnavailable(
        f"no font with Chinese glyphs found (candidates searched: {searched}): install the Debian package "
        f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE}) or name a TrueType font file with Chinese glyphs"
    )


@lru_cache(maxsize=8)
def font_bytes(choice: FontChoice) -> bytes:
    """The font program as a standalone OpenType/TrueType file (one face)."""
    if not _is_collection(choice.path):
        return _file_bytes(choice.path)
    coll = TTCollection(io.BytesIO(_file_bytes(choice.path)))
    buf = io.BytesIO()
    coll.fonts[choice.index].save(buf)
    return buf.getvalue()


class CJKFontFactory(FontEngineFactory):
    """pyHanko font engine factory that also accepts TrueType collections."""

    def __init__(self, choice: FontChoice, font_size: int = 10) -> None:
        self.choice = choice
        self.font_size = font_size

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: object | None = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()  # type: ignore[no-untyped-call]
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(font_bytes(self.choice)),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


def register_reportlab_font(name: str, path: str | os.PathLike[str] | None = None) -> FontChoice:
    """Register a TrueType CJK font with reportlab under ``name`` (idempotent).

    reportlab's registry is global to the process, and it also shares one face between all
    files whose internal (PostScript) font name is the same: a ``name`` that ends up drawing
    from another file is an error rather than a font silently different from the one asked for.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

    choice = find_cjk_font(path, truetype_only=True)
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(RLTTFont(name, choice.path, subfontIndex=choice.index))
    face = pdfmetrics.getFont(name).face
    registered = getattr(face, "filename", None)
    if registered != choice.path:
        raise FontUnavailable(
            f"the PDF font {name!r} draws from {registered}, not from {choice.path} (reportlab keeps the first "
            "file registered under a name, or under the font's internal name, until the app restarts)"
        )
    return choice
