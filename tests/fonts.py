"""Small fonts made on the spot (fontTools' FontBuilder), for tests of the font finder and of
``PACTUM_CJK_FONT``: with TrueType or CFF outlines, mapping exactly the characters asked for."""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

#: What signer.fonts requires of a font (Chinese, Latin, digits, the yuan sign), and a little more.
CJK_AND_LATIN = "合同甲乙方壹元整Aa1¥"
ADVANCE = 600


def _draw_box(pen: TTGlyphPen | T2CharStringPen) -> None:
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((550, 700))
    pen.lineTo((550, 0))
    pen.closePath()


def _truetype_glyph() -> object:
    pen = TTGlyphPen(None)
    _draw_box(pen)
    return pen.glyph()


def _cff_charstring() -> object:
    pen = T2CharStringPen(ADVANCE, None)
    _draw_box(pen)
    return pen.getCharString()


def make_font(path: Path, characters: str = CJK_AND_LATIN, *, truetype: bool = True, name: str = "PactumTest") -> Path:
    """Write a font whose every mapped character is a box; ``truetype=False`` gives CFF outlines."""
    glyphs = {f"uni{ord(char):04X}": char for char in characters}
    order = [".notdef", *glyphs]
    builder = FontBuilder(1000, isTTF=truetype)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(char): glyph for glyph, char in glyphs.items()})
    if truetype:
        builder.setupGlyf({glyph: _truetype_glyph() for glyph in order})
    else:
        builder.setupCFF(name, {"FullName": name}, {glyph: _cff_charstring() for glyph in order}, {})
    builder.setupHorizontalMetrics({glyph: (ADVANCE, 50) for glyph in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": name, "styleName": "Regular", "psName": name})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path
