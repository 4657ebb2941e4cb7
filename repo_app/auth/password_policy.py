"""What a password must not be: the rules every new password passes (users, admins, resets).

Length alone lets through ten spaces, ``aaaaaaaaaa`` and ``1234567890``. Besides the minimum
length (``PACTUM_PASSWORD_MIN_LENGTH``) a password may not be blank, one short piece repeated,
a run along the alphabet, the digits or a keyboard row, contain the name part of the user's
e-mail address, or be one of the passwords people choose most — also not once digits and symbols
around it are taken away and look-alike digits (``p@ssw0rd``) are read as letters. The common
list is our own: the well-known patterns that breach statistics keep showing, not a copied list.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.errors import ValidationFailed
from ..core.extensions import settings

#: Runs people type: along the alphabet, the digits (0 after 9 as on the keyboard) and the
#: keyboard rows, each also read backwards.
_RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
#: Words at the heart of the most common passwords (English, and pinyin or number codes used
#: in China, e.g. woaini "I love you", 5201314 "I love you for ever").
_COMMON_WORDS = frozenset(
    """
    password passwort passw0rd pass passwd secret letmein welcome hello iloveyou loveyou love
    admin administrator root user login test guest default master manager changeme qwerty
    qwertyuiop asdfgh asdfghjkl zxcvbnm abc abcdef abcdefg monkey dragon shadow sunshine
    princess football baseball basketball soccer superman batman trustno1 whatever freedom
    starwars pokemon computer internet michael jennifer jordan charlie thomas hunter ranger
    buster tigger killer flower cheese summer winter spring autumn pepper ginger banana orange
    apple chocolate cookie mustang harley ferrari corvette access ninja azerty solo hockey
    google facebook microsoft samsung iphone yankees liverpool arsenal chelsea
    woaini woaini1314 aini5201314 5201314 1314520 520520 woshishui nihao wangyi zhangwei
    wangwei liwei huawei xiaomi tencent qqqq qq123 baidu taobao alibaba beijing shanghai
    china zhongguo caonima dongdong abc123 a123456 aa123456 a1b2c3 1q2w3e4r 1q2w3e4r5t
    1qaz2wsx 1qaz2wsx3edc zaq12wsx qwe123 qweasd qweasdzxc asd123 zxc123 password1
    pactum contract contracts hetong company
    """.split()
)
#: Digits read as the letters they stand in for (p@ssw0rd, l3tm31n).
_LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
_SHORTEST_EMAIL_NAME = 3
#: What people put around a word to pass "needs digits and symbols" rules (Password1!).
_DECORATION = "0123456789!@#$%^&*()_+-=.,?~ "
#: Fewer different characters than this counts as repetition (aaaaaaaaab, 1111122222).
_FEWEST_DIFFERENT = 4


def problems(password: str, email: str = "") -> list[str]:
    """Every rule ``password`` breaks, as sentences for the user (empty: acceptable)."""
    found: list[str] = []
    minimum = settings().password_min_length
    if len(password) < minimum:
        found.append(_("The password must have at least %(n)d characters.", n=minimum))
    if not password.strip():
        found.append(_("The password cannot be only spaces."))
        return found
    if _repeats(password):
        found.append(_("The password cannot be the same character or a short piece repeated."))
    elif _is_run(password):
        found.append(_("The password cannot be a run of letters, digits or keys such as 1234567890."))
    elif is_common(password):
        found.append(_("This password is one of the most common ones; choose one that is harder to guess."))
    if _contains_email_name(password, email):
        found.append(_("The password cannot contain the name of your e-mail address."))
    return found


def check(password: str, email: str = "") -> None:
    """Raise ValidationFailed naming every rule ``password`` breaks."""
    found = problems(password, email)
    if found:
        raise ValidationFailed(" ".join(found))


def _repeats(password: str) -> bool:
    """``aaaaaaaaaa``, ``abcdabcdab``, ``aaaaaaaaab``: a piece of up to half the length repeated,
    or hardly any different characters."""
    text = password.lower()
    if len(set(text)) < _FEWEST_DIFFERENT:
        return True
    return any(
        all(text[index] == text[index - period] for index in range(period, len(text)))
        for period in range(1, len(text) // 2 + 1)
    )


def _is_run(password: str) -> bool:
    text = password.lower()
    return any(text in run or text in run[::-1] for run in _RUNS)


def _contains_email_name(password: str, email: str) -> bool:
    name = email.split("@", 1)[0].lower()
    return len(name) >= _SHORTEST_EMAIL_NAME and name in password.lower()


def is_common(password: str) -> bool:
    """One of the common passwords, perhaps with digits and symbols before or after it, or with
    look-alike characters, or a run or repetition once those are taken away."""
    text = password.lower().strip()
    if text in _COMMON_WORDS:
        return True
    core = text.strip(_DECORATION)
    if not core:
        return False  # digits and symbols only: judged by the other rules
    readable = core.translate(_LOOK_ALIKES)
    candidates = (core, readable, readable.replace(" ", ""))
    if any(candidate in _COMMON_WORDS for candidate in candidates):
        return True
    # abcd1234!!, qwer2024: a short run or repetition dressed up with digits and symbols.
    return len(core) >= _FEWEST_DIFFERENT and (_repeats(core) or _is_run(core))
