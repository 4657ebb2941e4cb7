"""The user guide: its screenshots come from this test, every page's "?" link leads to a section
of the guide that exists, and every screenshot the guide shows exists.

Screenshots: ``PACTUM_HELP_SCREENSHOTS=1 pytest tests/browser/test_help.py`` writes them into
ui/static/help/ (<page>-<zh_CN|en>.png; commit them). Without the variable the test takes them
into a temporary folder, so a normal run checks that every one can still be taken without
changing the working tree."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.help.sections import SECTIONS
from tests.browser.site import Site, build, log_in
from tests.browser.test_layout import open_page
from tests.conftest import log_in as client_log_in
from tests.paths import CHECKOUT

pytestmark = pytest.mark.browser

HELP_DIR = CHECKOUT / "ui" / "static" / "help"
LANGUAGES = {"zh_CN": "zh-CN", "en": "en-US"}
SHOT_SIZE = {"width": 1280, "height": 800}


def guide_html(client: FlaskClient, language: str) -> str:
    client.get(f"/language/{language}?next=/help")
    response = client.get("/help")
    assert response.status_code == 200
    html: str = response.get_data(as_text=True)
    return html


def shots_in(html: str) -> list[str]:
    return re.findall(r'src="/static/help/([^"]+\.png)"', html)


def save_small(png: bytes, path: Path) -> None:
    """The screenshot in 128 colours: a third of the size, the text as sharp."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, "PNG", optimize=True)


@pytest.fixture
def site(app: Flask, client: FlaskClient, make_user: Callable[..., Any]) -> Site:
    return build(app, client, make_user)


def test_the_guides_screenshots_are_taken_from_the_live_pages(
    site: Site, browser: Any, live_server: str, client: FlaskClient, tmp_path: Path
) -> None:
    target = HELP_DIR if os.environ.get("PACTUM_HELP_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    pages = {page.name: page for page in site.pages}
    for language, browser_locale in LANGUAGES.items():
        wanted = shots_in(guide_html(client, language))
        assert len(wanted) >= 10, wanted
        tabs: dict[str | None, Any] = {}
        for filename in wanted:
            name, _, suffix = filename.removesuffix(".png").rpartition("-")
            assert suffix == language, filename
            page = pages[name]  # every screenshot shows one of the main pages
            if page.email not in tabs:
                context = browser.new_context(locale=browser_locale, viewport=SHOT_SIZE)
                context.set_default_timeout(15_000)
                tabs[page.email] = context.new_page()
                if page.email:
                    log_in(tabs[page.email], live_server, page.email)
            tab = tabs[page.email]
            open_page(tab, live_server, page)
            tab.wait_for_timeout(300)  # let the preview's pages settle
            save_small(tab.screenshot(), target / filename)
            assert (target / filename).stat().st_size > 5_000, filename
        for tab in tabs.values():
            tab.context.close()


def test_every_help_link_and_screenshot_resolves(site: Site, app: Flask) -> None:
    """Each page's "?" leads to a section the guide (in the page's language) has; every section,
    contents entry and screenshot of both guides exists."""
    users: dict[str | None, FlaskClient] = {}
    for language in LANGUAGES:
        guide = guide_html(app.test_client(), language)
        ids = set(re.findall(r'<section id="([^"]+)"', guide))
        assert ids == set(SECTIONS), ids ^ set(SECTIONS)
        assert set(re.findall(r'class="nav-link" href="#([^"]+)"', guide)) == ids
        for filename in shots_in(guide):
            assert (HELP_DIR / filename).is_file(), (
                f"{filename} is missing: run PACTUM_HELP_SCREENSHOTS=1 pytest {__file__}"
            )
        for page in site.pages:
            if page.email not in users:
                users[page.email] = app.test_client()
                if page.email:
                    assert client_log_in(users[page.email], page.email).status_code == 302
            client = users[page.email]
            client.get(f"/language/{language}")
            html = client.get(page.path).get_data(as_text=True)
            links = re.findall(r'href="([^"]+)" data-help-link', html)
            assert len(links) == 1, (page.name, links)
            path, _, anchor = links[0].partition("#")
            assert path == "/help", (page.name, links[0])
            if page.name != "help":
                assert anchor in ids, f"{page.name}: its help link {links[0]} has no section in the {language} guide"
