from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from .roles import Role, is_role


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"), validators=[DataRequired(), Length(max=100)], description=_l("For example: ERP integration")
    )


class RevokeTokenForm(FlaskForm):
    pass


_ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.MANAGER: _l("Manager"),
    Role.EDITOR: _l("Editor"),
    Role.SIGNER: _l("Signer"),
    Role.VIEWER: _l("Viewer"),
    Role.AUDITOR: _l("Auditor"),
    Role.FINANCE: _l("Finance"),
}


def role_label(role: str) -> str:
    """A role's name in the user's language (the template filter ``role_label``); an unknown
    value (an old role kept in the database) is shown as it is."""
    return str(_ROLE_LABELS[Role(role)]) if is_role(role) else role


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, role_label(role.value)) for role in Role]


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    #: A new account starts with the least privilege; the administrator raises it on purpose.
    role = SelectField(_l("Role"), choices=role_choices, default=Role.VIEWER.value)
    #: InputRequired, not DataRequired: a password of spaces reaches the policy and its message.
    password = PasswordField(_l("Initial password"), validators=[InputRequired()])


class AuthenticatorCodeForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class AuthenticatorRemoveForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition (the policy itself is checked by the service)."""
    new = PasswordField(
        _l("New password"), validators=[InputRequired(), Length(max=200)], render_kw={"autocomplete": "new-password"}
    )
    repeat = PasswordField(
        _l("New password again"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return new, repeat


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    new_password, new_password_again = _new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    new_password, new_password_again = _new_password_fields()


class AdminPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Temporary password"), validators=[InputRequired(), Length(max=200)], render_kw={"autocomplete": "off"}
    )
