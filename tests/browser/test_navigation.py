"""The navigation shows each role exactly the pages it may open: every link in the menus opens
(no 403), and every page the menus can offer is offered when, and only when, the role may open it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from repo_app.auth.roles import Role
from tests.browser.test_upload_flow import log_in

pytestmark = pytest.mark.browser

#: Every page the navigation can link to (the main menu, the administration menu, the user menu).
NAV_TARGETS = (
    "/tasks",
    "/dashboard",
    "/reports",
    "/contracts",
    "/search",
    "/contracts/upload",
    "/templates",
    "/audit",
    "/admin/users",
    "/admin/organisation",
    "/admin/contract-types",
    "/admin/custom-fields",
    "/admin/workflows",
    "/admin/routing",
    "/admin/review-checklist",
    "/admin/webhooks",
    "/account/password",
    "/account/tokens",
    "/account/authenticator",
    "/account/seals",
    "/account/notifications",
    "/api/v1/docs",
    "/help",
)


def nav_links(page: Any) -> set[str]:
    hrefs = page.eval_on_selector_all("nav.app-navbar a[href]", "links => links.map(a => a.getAttribute('href'))")
    return {href.split("#")[0] for href in hrefs if not href.startswith("/language")}


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_the_menus_offer_what_the_role_may_open(
    page: Any, live_server: str, make_user: Callable[..., Any], role: str
) -> None:
    make_user(role)
    log_in(page, live_server, f"{role}@example.com")
    offered = nav_links(page)
    # "/" is the brand (home: the dashboard or My tasks, by role)
    assert offered <= set(NAV_TARGETS) | {"/", "/notifications"}, offered - set(NAV_TARGETS)
    for target in NAV_TARGETS:
        status = page.request.get(f"{live_server}{target}", max_redirects=0).status
        assert status in (200, 403), (target, status)
        assert (target in offered) == (status == 200), (
            f"{role}: {target} answers {status}, offered: {target in offered}"
        )
    if role == Role.AUDITOR:  # the report that started this: auditors were offered "Upload"
        assert "/contracts/upload" not in offered and "/audit" in offered
    if role == Role.ADMIN:  # administration pages are in the administration menu, not the user menu
        admin_menu = page.eval_on_selector_all(
            "[data-nav-admin] a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        assert "/admin/workflows" in admin_menu and "/admin/webhooks" in admin_menu
