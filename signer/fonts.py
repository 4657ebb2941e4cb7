"""Finding and embedding a font with Chinese *and* Latin glyphs.

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
  via ``subfontIndex``); CFF/OTF (Noto CJK) is refused.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from .errors import SignerError

__all__ = [
    "CJK_FONT_CANDIDATES",
    "CJKFontFactory",
    "FontChoice",
    "find_cjk_font",
    "font_bytes",
    "register_reportlab_font",
]

CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei (sans, TrueType outlines)
    "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",  # fonts-lxgw-wenkai (plain TTF)
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk (CFF: pyHanko only)
)
"""Searched in order when no font is configured. Install ``fonts-wqy-zenhei``."""


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
    data = io.BytesIO(_file_bytes(path))
    font = TTFont(data, fontNumber=index, lazy=True) if _is_collection(path) else TTFont(data, lazy=True)
    return "glyf" in font


def find_cjk_font(path: str | os.PathLike[str] | None = None, *, truetype_only: bool = False) -> FontChoice:
    """Resolve the font to embed: ``path`` if given, else the first installed candidate.

    ``truetype_only`` skips CFF fonts (needed for reportlab).
    Raises :class:`SignerError` naming the Debian package to install.
    """
    candidates = [os.fspath(path)] if path is not None else list(CJK_FONT_CANDIDATES)
    for cand in candidates:
        if not Path(cand).is_file():
            continue
        choice = FontChoice(cand, _pick_face(cand))
        if truetype_only and not choice.truetype_outlines:
            continue
        return choice
    if path is not None:
        raise SignerError(f"font not found or not usable: {os.fspath(path)}")
    raise SignerError(
        "no font with Chinese glyphs found: install the Debian package fonts-wqy-zenhei (or fonts-lxgw-wenkai)"
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
    """Register a TrueType CJK font with reportlab under ``name`` (idempotent)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

    choice = find_cjk_font(path, truetype_only=True)
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(RLTTFont(name, choice.path, subfontIndex=choice.index))
    return choice
