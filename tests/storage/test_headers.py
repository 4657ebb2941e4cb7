"""Content-Disposition values for downloads."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from storage import content_disposition


def _extended_name(header: str) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)$", header)
    assert match is not None, header
    return unquote(match.group(1))


def test_ascii_name_is_used_verbatim_in_both_forms() -> None:
    assert content_disposition("report.pdf") == ("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf")


@pytest.mark.parametrize(
    "filename",
    ["合同.pdf", "Vertrag für Müller.docx", "a;b=c.txt", "报价单 (v2) 50%.xlsx"],
)
def test_extended_name_round_trips_any_file_name(filename: str) -> None:
    header = content_disposition(filename)

    assert header.isascii()
    assert _extended_name(header) == filename


def test_fallback_name_keeps_what_ascii_can_express() -> None:
    header = content_disposition("Vertrag für Müller.pdf", "inline")

    assert header.startswith('inline; filename="Vertrag fur Muller.pdf";')


def test_quotes_and_line_breaks_cannot_break_out_of_the_header() -> None:
    header = content_disposition('evil".pdf\r\nSet-Cookie: x=1')

    fallback = re.match(r'attachment; filename="([^"]*)"; filename\*=', header)
    assert fallback is not None, header
    assert "\r" not in header
    assert "\n" not in header
    assert _extended_name(header) == 'evil".pdf\r\nSet-Cookie: x=1'
