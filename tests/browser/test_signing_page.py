"""A signer uploads a seal, draws the signature box on the preview, signs, and sees the result."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from tests.browser.test_upload_flow import log_in
from tests.conftest import PASSWORD, bearer, ensure_department
from tests.samples import png_bytes
from tests.signer.support import make_contract_pdf
from tests.signing.conftest import version_bytes, with_internal_ca

pytestmark = pytest.mark.browser

DEPARTMENT = "法务部"
#: How far the widget may lie from the drawn box, in PDF points (both sides round to whole points).
TOLERANCE = 2.0


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The internal CA with EC keys (fast); no timestamp authority: B-B signatures only."""
    return {**app_config, "ca_key_type": "ec-p256"}


@pytest.fixture
def app(app: Flask) -> Flask:
    return with_internal_ca(app)


@pytest.fixture
def contract_id(app: Flask, client: FlaskClient, token_for: Callable[..., str], make_user: Callable[..., Any]) -> int:
    """A two-page PDF contract that every member of the department may sign; its signer."""
    with app.app_context():
        ensure_department(DEPARTMENT)
        db.session.commit()
    owner = token_for("editor", department=DEPARTMENT)
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(owner),
        data={
            "file": (io.BytesIO(make_contract_pdf()), "采购合同.pdf"),
            "metadata": json.dumps({"title": "浏览器签署的采购合同"}, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    cid: int = response.json["id"]
    shared = client.put(f"/api/v1/contracts/{cid}/access", headers=bearer(owner), json={"department_level": "sign"})
    assert shared.status_code == 200, shared.json
    make_user("signer", department=DEPARTMENT)
    return cid


def mouse_drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def finger_drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A one-finger drag (Playwright only taps, so the touch events go through CDP)."""
    cdp = page.context.new_cdp_session(page)
    steps = 8
    points = [
        (start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps)
        for i in range(steps + 1)
    ]
    for kind, (x, y) in zip(["touchStart"] + ["touchMove"] * steps, points, strict=True):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def drag_box(
    page: Any,
    fractions: tuple[float, float, float, float],
    drag: Callable[[Any, tuple[float, float], tuple[float, float]], None] = mouse_drag,
) -> tuple[float, float, float, float]:
    """Drag over the first preview page from one corner to the other, given as fractions of
    the page's width and height; returns the box that makes in PDF points."""
    sheet = page.locator("[data-pdf-preview] .pdf-preview-page[data-index='0']")
    sheet.locator("canvas").wait_for()
    left, top, right, bottom = fractions
    # Scroll the viewer, as a user would, so the area to draw on is in the middle of it.
    scroller = page.locator("[data-pdf-preview] .pdf-preview-pages")
    scroller.scroll_into_view_if_needed()
    scroller.evaluate(
        """(element, [sheet, middle]) => {
        const view = element.getBoundingClientRect(), page = sheet.getBoundingClientRect();
        element.scrollTop += page.top + middle * page.height - (view.top + view.height / 2);
    }""",
        [sheet.element_handle(), (top + bottom) / 2],
    )
    box, view = sheet.bounding_box(), scroller.bounding_box()
    assert view["y"] <= box["y"] + top * box["height"] < box["y"] + bottom * box["height"] <= view["y"] + view["height"]
    width, height = float(sheet.get_attribute("data-pdf-width")), float(sheet.get_attribute("data-pdf-height"))
    start = (box["x"] + left * box["width"], box["y"] + top * box["height"])
    end = (box["x"] + right * box["width"], box["y"] + bottom * box["height"])
    drag(page, start, end)
    scale = width / box["width"]  # the page is drawn as wide as the viewer: same scale both ways
    return (
        left * box["width"] * scale,
        height - bottom * box["height"] * scale,
        right * box["width"] * scale,
        height - top * box["height"] * scale,
    )


def signature_widget(data: bytes) -> tuple[int, tuple[float, ...]]:
    """The page index and /Rect of the (only) signature's widget in a signed PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    assert len(reader.embedded_signatures) == 1
    widget = reader.embedded_signatures[0].sig_field  # pyHanko merges the field and its widget
    assert "/AP" in widget, "the signature has no appearance: it is not visible"
    pages = int(reader.root["/Pages"]["/Count"])
    on_page = next(
        index
        for index in range(pages)
        if widget.container_ref
        in [annot.reference for annot in reader.find_page_for_modification(index)[0].get_object().get("/Annots", [])]
    )
    return on_page, tuple(float(value) for value in widget["/Rect"])


def test_sign_with_a_seal_in_a_drawn_box(
    page: Any, live_server: str, app: Flask, contract_id: int, tmp_path: Path
) -> None:
    log_in(page, live_server, "signer@example.com")

    # A seal image, uploaded on the account's seal page.
    seal = tmp_path / "合同专用章.png"
    seal.write_bytes(png_bytes(64, 64))
    page.goto(f"{live_server}/account/seals")
    page.fill("#seal-name", "合同专用章")
    page.set_input_files("#seal-file", str(seal))
    page.click("form.card button.btn-primary")
    page.locator("[data-seal]", has_text="合同专用章").wait_for()

    # The contract page leads to the signing page.
    page.goto(f"{live_server}/contracts/{contract_id}")
    page.locator("[data-signatures-panel] a.btn-primary", has_text="签").click()
    page.wait_for_url(f"{live_server}/contracts/{contract_id}/sign")

    # Draw the box in the lower right of page 1, where the text leaves room.
    expected = drag_box(page, (0.55, 0.78, 0.9, 0.9))
    marker = page.locator(".pdf-preview-page[data-index='0'] .sign-box")
    assert marker.is_visible()
    drawn = [float(value) for value in page.input_value("[data-sign-form] [name=box]").split(",")]
    assert drawn == pytest.approx(expected, abs=1)
    assert page.input_value("[data-sign-form] [name=page]") == "1"

    page.select_option("#sign-level", "B-B")
    page.select_option("#sign-seal", label="合同专用章")
    page.fill("#sign-password", PASSWORD)
    page.click("[data-sign-form] button[type=submit]")
    page.wait_for_url(f"{live_server}/contracts/{contract_id}")

    # The contract now has a signed version 2 with one valid signature.
    assert page.locator(".versions [data-version='2']").count() == 1
    assert "由 v1 签署生成" in page.locator(".versions [data-version='2']").inner_text()
    cards = page.locator("[data-signatures-panel] .signature-card")
    assert cards.count() == 1
    card = cards.first
    assert card.get_attribute("data-indication") == "TOTAL_PASSED"
    assert card.locator(".badge").inner_text().strip() in ("有效", "Valid")
    assert "Signer User" in card.inner_text()
    assert "B-B" in card.inner_text()

    # The signature report downloads as a PDF.
    with page.expect_download() as download_info:
        page.click("[data-report-pdf]")
    report = Path(download_info.value.path()).read_bytes()
    assert report.startswith(b"%PDF")
    assert download_info.value.suggested_filename == f"signature-report-{contract_id}-v2.pdf"

    # The stored PDF carries a visible widget on page 1, where the box was drawn.
    on_page, rect = signature_widget(version_bytes(app, contract_id, 2))
    assert on_page == 0
    assert rect == pytest.approx(expected, abs=TOLERANCE)


def test_draw_the_box_with_a_finger_on_a_phone(phone_page: Any, live_server: str, app: Flask, contract_id: int) -> None:
    page = phone_page
    log_in(page, live_server, "signer@example.com")
    page.goto(f"{live_server}/contracts/{contract_id}/sign")
    expected = drag_box(page, (0.45, 0.8, 0.92, 0.9), finger_drag)
    assert page.locator(".pdf-preview-page[data-index='0'] .sign-box").is_visible()
    drawn = [float(value) for value in page.input_value("[data-sign-form] [name=box]").split(",")]
    assert drawn == pytest.approx(expected, abs=1)
    page.fill("#sign-password", PASSWORD)
    page.click("[data-sign-form] button[type=submit]")
    page.wait_for_url(f"{live_server}/contracts/{contract_id}")
    assert page.locator("[data-signatures-panel] .signature-card").get_attribute("data-indication") == "TOTAL_PASSED"
    on_page, rect = signature_widget(version_bytes(app, contract_id, 2))
    assert on_page == 0
    assert rect == pytest.approx(expected, abs=TOLERANCE)


def test_set_up_an_authenticator_app_and_sign_with_its_code(page: Any, live_server: str, contract_id: int) -> None:
    from repo_app.auth import totp

    log_in(page, live_server, "signer@example.com")
    page.goto(f"{live_server}/account/authenticator")
    page.click("form[action$='/account/authenticator/start'] button[type=submit]")
    key = page.inner_text("[data-authenticator-key]").strip()
    assert page.locator("svg").first.is_visible()  # the QR code to scan
    page.fill("#code", totp.code_at(key, totp.current_step()))
    page.click("form[action$='/account/authenticator/confirm'] button[type=submit]")
    page.locator("[data-authenticator-state='on']").wait_for()

    page.goto(f"{live_server}/contracts/{contract_id}/sign")
    page.uncheck("#sign-visible")
    # The next step's code: the one just typed is used up, and one step of drift is accepted.
    page.fill("#sign-otp", totp.code_at(key, totp.current_step() + 1))
    page.click("[data-sign-form] button[type=submit]")
    page.wait_for_url(f"{live_server}/contracts/{contract_id}")
    assert page.locator("[data-signatures-panel] .signature-card").get_attribute("data-indication") == "TOTAL_PASSED"


def test_the_seals_page_leads_back_to_signing(page: Any, live_server: str, contract_id: int, tmp_path: Path) -> None:
    log_in(page, live_server, "signer@example.com")
    sign_url = f"{live_server}/contracts/{contract_id}/sign"
    page.goto(sign_url)
    page.locator("a", has_text="上传印章图片").click()
    page.wait_for_url("**/account/seals?contract=*")
    seal = tmp_path / "财务专用章.png"
    seal.write_bytes(png_bytes(64, 64))
    page.fill("#seal-name", "财务专用章")
    page.set_input_files("#seal-file", str(seal))
    page.click("form.card button.btn-primary")
    page.locator("[data-seal]", has_text="财务专用章").wait_for()
    back = page.locator("[data-back-to-signing]")
    assert "浏览器签署的采购合同" in back.inner_text()
    back.click()
    page.wait_for_url(sign_url)
    assert "财务专用章" in page.locator("#sign-seal").inner_text()
