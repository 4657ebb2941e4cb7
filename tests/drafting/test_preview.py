"""The template preview: the version filled with its samples, as a PDF made by LibreOffice."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.word_contracts import require_soffice

from .helpers import docx
from .test_templates import _template_id, _upload


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    require_soffice()
    return {**app_config, "preview_converter": "libreoffice"}


def test_preview_is_a_pdf_of_the_sample_values(app: Flask, login: Callable[..., FlaskClient]) -> None:
    editor = login("editor")
    _upload(editor, docx("Buyer: {{ buyer }}", "Price: {{ price.upper }}"), name="preview")
    answer = editor.get(f"/templates/{_template_id(app, 'preview')}/versions/1/preview.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdfium.PdfDocument(io.BytesIO(answer.data))[0].get_textpage().get_text_range()
    assert "Buyer: 示例公司 Example Co., Ltd." in text and "Price: 人民币壹拾万元整" in text
