"""Signature reports as people read them: names instead of distinguished names, the outcome
explained in the reader's language, the validator's notes translated.

The stored report (JSON) is never changed; :func:`readable_report` returns a copy with
display fields added (``view``), for the report page, the upload check and the contract
page's signatures panel.
"""

from __future__ import annotations

import copy
from typing import Any

from cryptography import x509
from flask_babel import get_locale

from signer.explain import Language, explain, revocation_mode_text, subindication_text, warning_zh

_EMAIL = x509.ObjectIdentifier("1.2.840.113549.1.9.1")


def language() -> Language:
    return "zh" if str(get_locale() or "zh").startswith("zh") else "en"


def name_parts(dn: str | None) -> dict[str, str]:
    """The common name and organisation of an RFC 4514 name; the whole name when unreadable."""
    if not dn:
        return {"name": "", "organisation": "", "dn": ""}
    try:
        parsed = x509.Name.from_rfc4514_string(dn, {"emailAddress": _EMAIL})
    except ValueError:
        return {"name": dn, "organisation": "", "dn": dn}

    def first(oid: x509.ObjectIdentifier) -> str:
        values = parsed.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    name = first(x509.NameOID.COMMON_NAME) or first(_EMAIL) or dn
    return {"name": name, "organisation": first(x509.NameOID.ORGANIZATION_NAME), "dn": dn}


def _signature_view(sig: dict[str, Any], lang: Language) -> dict[str, Any]:
    signer = sig.get("signer") or {}
    revocation = sig.get("revocation") or {}
    notes = [warning_zh(note) if lang == "zh" else note for note in sig.get("warnings", [])]
    reason = subindication_text(sig.get("sub_indication"), lang)
    return {
        "signer": name_parts(signer.get("subject")),
        "issuer": name_parts(signer.get("issuer")),
        "chain": [
            name_parts(entry.get("subject")) | {"anchor": entry.get("trust_anchor")} for entry in sig.get("chain", [])
        ],
        "explanation": explain(str(sig.get("indication")), sig.get("sub_indication"), revocation.get("status"), lang),
        "reason": reason,
        "notes": [note for note in notes if note != reason],
    }


def readable_report(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of ``report`` whose signatures and trust settings carry a ``view`` for display."""
    if report is None:
        return None
    lang = language()
    shown = copy.deepcopy(report)
    for sig in shown.get("signatures", []):
        sig["view"] = _signature_view(sig, lang)
    trust = shown.get("trust")
    if isinstance(trust, dict):
        trust["view"] = {"revocation_mode": revocation_mode_text(str(trust.get("revocation_mode")), lang)}
    for stamp in shown.get("document_timestamps", []):
        stamp["view"] = {"notes": [warning_zh(n) if lang == "zh" else n for n in stamp.get("warnings", [])]}
    return shown
