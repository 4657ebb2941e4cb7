"""A Word contract uploaded in the browser opens in the preview (its PDF rendition, made by the
real LibreOffice) at the page of a search hit, with the searched word marked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_upload_flow import log_in
from tests.word_contracts import contract_docx, require_soffice

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    require_soffice()
    return {**app_config, "preview_converter": "libreoffice"}


def test_upload_a_docx_search_a_word_and_see_it_marked_on_its_page(
    page: Any, live_server: str, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    make_user("editor")
    log_in(page, live_server, "editor@example.com")
    page.goto(f"{live_server}/contracts/upload")
    page.fill("input[name=title]", "城市土地开发借款合同")
    contract = tmp_path / "借款合同.docx"
    contract.write_bytes(contract_docx(repeat=3, last_line="附加约定：乙方须遵守琥珀计划的保密要求。"))
    page.set_input_files("[data-upload-zone] input[type=file]", str(contract))
    page.click("[data-upload-submit]")
    page.locator("[data-upload-results] a, .upload-zone ~ * a").first.wait_for(timeout=60_000)

    page.goto(f"{live_server}/search?q=琥珀")
    hit = page.locator(".search-hit")
    assert hit.count() == 1 and "城市土地开发借款合同" in hit.inner_text()
    hit.locator("a").first.click()
    page.wait_for_url("**page=*")
    hit_page = int(page.url.split("page=")[1].split("&")[0])
    assert hit_page >= 3  # the marker is at the end of the third repetition, not on page 1

    preview = page.locator("[data-pdf-preview]")
    assert "/preview.pdf" in (preview.get_attribute("data-src") or "")
    marks = page.locator(f".pdf-preview-page[data-index='{hit_page - 1}'] .pdf-hit")
    marks.first.wait_for()
    assert marks.count() == 1
    assert page.locator(".pdf-preview-page[data-index='0'] .pdf-hit").count() == 0
    # the toolbar says the hit's page is the one in view
    assert page.locator(".pdf-preview-page-input").input_value() == str(hit_page)
    mark = marks.first.bounding_box()
    sheet = page.locator(f".pdf-preview-page[data-index='{hit_page - 1}']").bounding_box()
    assert mark["width"] > 10 and sheet["y"] < mark["y"] < sheet["y"] + sheet["height"]
    page.screenshot(path=str(tmp_path / "word-preview.png"))
    # the download link still gives the original Word file
    download = page.locator(".versions a").first.get_attribute("href")
    assert download and download.endswith("/versions/1/file")
