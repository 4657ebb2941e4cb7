"""The one CJK font finder (signer.fonts) that reports, stamps, the app's PDFs and the demo share."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from signer.fonts import (
    CJK_FONT_CANDIDATES,
    FONT_PACKAGE,
    FontChoice,
    FontUnavailable,
    find_cjk_font,
    register_reportlab_font,
)
from tests.fonts import make_font


def test_the_installed_candidate_has_chinese_and_latin_glyphs() -> None:
    choice = find_cjk_font(truetype_only=True)
    assert choice.path in CJK_FONT_CANDIDATES and choice.truetype_outlines
    font = TTFont("PactumFinderTest", choice.path, subfontIndex=choice.index)
    assert all(ord(char) in font.face.charToGlyph for char in "合同甲乙方壹贰元整¥（）：Aa1,.")


def test_a_named_font_wins_over_the_candidates(tmp_path: Path) -> None:
    named = make_font(tmp_path / "named.ttf")
    assert find_cjk_font(named, truetype_only=True) == FontChoice(str(named), 0)
    assert find_cjk_font(str(named), candidates=()) == FontChoice(str(named), 0)


def test_a_named_font_that_is_unusable_is_an_error_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(FontUnavailable, match="missing.ttf is not usable: no such file"):
        find_cjk_font(tmp_path / "missing.ttf")
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("not a font")
    with pytest.raises(FontUnavailable, match="not a readable"):
        find_cjk_font(not_a_font)
    latin_only = make_font(tmp_path / "latin.ttf", "Aa1")
    with pytest.raises(FontUnavailable, match="no glyph for 合同"):
        find_cjk_font(latin_only)


def test_cff_outlines_serve_pyhanko_but_not_reportlab(tmp_path: Path) -> None:
    cff = make_font(tmp_path / "cff.otf", truetype=False)
    assert find_cjk_font(cff) == FontChoice(str(cff), 0)
    with pytest.raises(FontUnavailable, match="CFF"):
        find_cjk_font(cff, truetype_only=True)


def test_candidates_are_searched_in_order_skipping_unfit_ones(tmp_path: Path) -> None:
    cff = make_font(tmp_path / "cff.otf", truetype=False)
    truetype = make_font(tmp_path / "truetype.ttf")
    candidates = (str(tmp_path / "absent.ttc"), str(cff), str(truetype))
    assert find_cjk_font(candidates=candidates).path == str(cff)
    assert find_cjk_font(truetype_only=True, candidates=candidates).path == str(truetype)


def test_no_font_installed_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(FontUnavailable, match=f"apt-get install {FONT_PACKAGE}"):
        find_cjk_font(candidates=(str(tmp_path / "wqy-zenhei.ttc"),))


def test_reportlab_registration_is_idempotent_and_refuses_another_file(tmp_path: Path) -> None:
    first = make_font(tmp_path / "first.ttf", name="PactumFirst")
    second = make_font(tmp_path / "second.ttf", name="PactumSecond")
    assert register_reportlab_font("PactumRegistryTest", first) == register_reportlab_font("PactumRegistryTest", first)
    with pytest.raises(FontUnavailable, match="draws from .*first.ttf, not from .*second.ttf"):
        register_reportlab_font("PactumRegistryTest", second)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("PactumRegistryTest", 12)
    pdf.drawString(72, 720, "合同 A1")
    pdf.save()
    assert b"PactumFirst" in buffer.getvalue()


def test_reportlab_registration_refuses_a_file_sharing_another_files_internal_name(tmp_path: Path) -> None:
    """reportlab would draw the second file with the first one's face: refused, not silent."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_font(tmp_path / "a" / "same.ttf", name="PactumSameInternal")
    second = make_font(tmp_path / "b" / "same.ttf", name="PactumSameInternal")
    register_reportlab_font("PactumSameInternalA", first)
    with pytest.raises(FontUnavailable, match="draws from .*a/same.ttf, not from .*b/same.ttf"):
        register_reportlab_font("PactumSameInternalB", second)
