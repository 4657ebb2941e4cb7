"""The guide's page: one template per language, chosen by the user's language."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import get_locale

from .sections import SECTIONS

#: The guide's language (help/guide_<it>.html, screenshots *-<it>.png) by UI language (the locales the app offers).
GUIDES = {"zh": "zh_CN", "en": "en"}


def guide() -> Any:
    """Public like the log-in page, whose "?" leads here: the guide holds no data."""
    language = str(get_locale() or "zh").split("_")[0]
    guide_lang = GUIDES.get(language, GUIDES["zh"])
    return render_template(f"help/guide_{guide_lang}.html", guide_lang=guide_lang, sections=SECTIONS)
