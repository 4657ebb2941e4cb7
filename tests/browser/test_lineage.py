"""The lineage page: distinct cards with each contract's whole title, number and status, the
current one highlighted, relation labels beside the arrows (never on them), on a desktop and at
390 px; and the search picker that links a parent (keyboard only, readable contracts only)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser

FRAMEWORK = "2025年度华东区域设备采购框架协议（第一期）"
SUPPLEMENT = "2025年度华东区域设备采购框架协议（第一期）补充协议一"
RENEWAL = "2025年度华东区域设备采购框架协议（第一期）续签协议"
SECRET = "2025年度华东区域设备采购框架协议（保密附件）"


def _create(client: FlaskClient, token: str, title: str, number: str) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(pdf_bytes(f"{number} {title}")), f"{number}.pdf"),
            "metadata": json.dumps({"title": title, "contract_number": number}, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _relate(client: FlaskClient, token: str, child: int, parent: int, relation: str) -> None:
    response = client.put(
        f"/api/v1/contracts/{child}/parent", headers=bearer(token), json={"parent_id": parent, "relation": relation}
    )
    assert response.status_code == 200, response.json


@pytest.fixture
def family(client: FlaskClient, token_for: Callable[..., str]) -> dict[str, int]:
    editor = token_for("editor")
    ids = {
        "framework": _create(client, editor, FRAMEWORK, "HD-2025-001"),
        "supplement": _create(client, editor, SUPPLEMENT, "HD-2025-001-S1"),
        "renewal": _create(client, editor, RENEWAL, "HD-2025-001-R1"),
        "lease": _create(client, editor, "办公室租赁合同", "ZL-2025-07"),
    }
    _relate(client, editor, ids["supplement"], ids["framework"], "supplement")
    _relate(client, editor, ids["renewal"], ids["framework"], "renewal")
    admin = token_for("admin")
    ids["secret"] = _create(client, admin, SECRET, "HD-2025-001-X")
    assert client.get(f"/api/v1/contracts/{ids['secret']}", headers=bearer(editor)).status_code == 404
    return ids


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    )


def _check_drawing(page: Any) -> None:
    cards = page.locator("[data-lineage] .lineage-card")
    assert cards.count() == 3
    titles = [text.strip() for text in page.locator(".lineage-card-title").all_inner_texts()]
    assert titles == [FRAMEWORK, SUPPLEMENT, RENEWAL]  # whole titles, each in its own card
    texts = cards.all_inner_texts()
    for text, number in zip(texts, ("HD-2025-001", "HD-2025-001-S1", "HD-2025-001-R1"), strict=True):
        assert f"编号 {number}\n" in text and "草稿" in text  # its number and its status
    boxes = [cards.nth(index).bounding_box() for index in range(3)]
    assert not any(_overlap(boxes[i], boxes[j]) for i in range(3) for j in range(i + 1, 3))
    # titles are whole: nothing is cut off or hidden
    for title in page.locator(".lineage-card-title").all():
        assert title.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
    current = page.locator(".lineage-card[aria-current=true]")
    assert current.count() == 1 and FRAMEWORK in current.inner_text()
    other = page.locator(".lineage-card:not([aria-current])").first
    assert current.evaluate("n => getComputedStyle(n).borderTopColor") != other.evaluate(
        "n => getComputedStyle(n).borderTopColor"
    )
    links = page.locator(".lineage-link")
    assert links.count() == 2
    assert [text.strip() for text in links.all_inner_texts()] == ["上方合同的补充协议", "上方合同的续签合同"]
    for index in range(links.count()):
        arrow = links.nth(index).locator(".lineage-arrow").bounding_box()
        label = links.nth(index).locator(".lineage-relation")
        assert not _overlap(arrow, label.bounding_box()), "a relation label lies on its arrow"
        assert label.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        assert not any(_overlap(label.bounding_box(), box) for box in boxes)


def test_the_family_is_drawn_as_distinct_cards(
    page: Any, phone_page: Any, live_server: str, family: dict[str, int], tmp_path: Any
) -> None:
    for tab in (page, phone_page):
        log_in(tab, live_server, "editor@example.com")
        tab.goto(f"{live_server}/contracts/{family['framework']}/lineage")
        _check_drawing(tab)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    phone_page.screenshot(path=str(tmp_path / "lineage-phone.png"), full_page=True)
    page.screenshot(path=str(tmp_path / "lineage-desktop.png"), full_page=True)
    # from a child's page: the parent above, the child highlighted, the relation between them
    page.goto(f"{live_server}/contracts/{family['supplement']}/lineage")
    cards = page.locator("[data-lineage] .lineage-card")
    assert cards.count() == 2 and FRAMEWORK in cards.nth(0).inner_text()
    assert cards.nth(1).get_attribute("aria-current") == "true" and SUPPLEMENT in cards.nth(1).inner_text()


def test_a_parent_is_picked_by_searching_with_the_keyboard(page: Any, live_server: str, family: dict[str, int]) -> None:
    log_in(page, live_server, "editor@example.com")
    page.goto(f"{live_server}/contracts/{family['lease']}/lineage")
    assert page.locator("input[name=parent_id]").get_attribute("type") == "hidden"  # no id to type
    page.select_option("select[name=relation]", "amendment")
    box = page.locator("#parent-search")
    box.click()
    box.press_sequentially("框架协议", delay=30)
    options = page.locator("#parent-options [role=option]")
    options.first.wait_for()
    offered = options.all_inner_texts()
    assert any(FRAMEWORK in text and "HD-2025-001" in text for text in offered)
    assert not any(SECRET in text for text in offered), "a contract the user may not read was offered"
    assert not any("办公室租赁合同" in text for text in offered)  # never the contract itself
    assert box.get_attribute("aria-expanded") == "true"

    # keyboard: down to the framework agreement, Enter picks it (and does not submit)
    titles = [options.nth(index).locator(".fw-semibold").inner_text() for index in range(options.count())]
    target = titles.index(FRAMEWORK)
    for _ in range(target + 1):
        box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == f"parent-option-{target}"
    box.press("Enter")
    assert page.locator("#parent-options").is_hidden()
    assert page.locator("input[name=parent_id]").input_value() == str(family["framework"])
    assert FRAMEWORK in page.locator("[data-picker-status]").inner_text()
    assert page.url.endswith("/lineage")  # Enter picked, it did not submit
    page.locator("[data-parent-picker] button[type=submit]").click()
    page.wait_for_load_state()
    cards = page.locator("[data-lineage] .lineage-card")
    assert cards.count() == 2 and FRAMEWORK in cards.nth(0).inner_text()
    assert page.locator(".lineage-relation").inner_text() == "上方合同的变更协议"
    assert box.input_value() == FRAMEWORK  # the form shows the current parent by its title

    # words typed but nothing picked: the form is not sent, and says why
    box.fill("不存在的合同")
    page.locator("[data-parent-picker] button[type=submit]").click()
    assert "请从列表中选择一份合同" in page.locator("[data-picker-status]").inner_text()
    assert cards.count() == 2  # the link is still there
