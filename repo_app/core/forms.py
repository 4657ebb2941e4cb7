"""Forms shared by every feature."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token, for buttons that change state."""
