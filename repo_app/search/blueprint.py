from __future__ import annotations

from flask import Blueprint
from markupsafe import Markup

from indexer.text import fold_line_breaks, only_marks

from . import views

bp = Blueprint("search", __name__)
bp.add_url_rule("/search", view_func=views.search_page, methods=["GET"])
bp.add_url_rule("/search/saved", view_func=views.save_search, methods=["POST"])
bp.add_url_rule("/search/saved/<int:saved_id>/delete", view_func=views.delete_saved_search, methods=["POST"])
# Snippets keep the text's own line breaks (API clients get verbatim text); pages fold them.
bp.add_app_template_filter(fold_line_breaks, "fold_line_breaks")


def snippet_html(snippet: str) -> Markup:
    """A snippet on one line, as markup whose only tags are the highlight marks."""
    return Markup(only_marks(fold_line_breaks(snippet)))


bp.add_app_template_filter(snippet_html, "snippet_html")
