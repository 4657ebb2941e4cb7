"""The auditor's PDF: a signed A4 rendering of a :class:`~signer.report.ValidationReport`.

Chinese or English, with an embedded CJK TrueType font (never reportlab's
non-embedded STSong-Light). Verdicts are coloured green (TOTAL_PASSED), red
(TOTAL_FAILED) and amber (INDETERMINATE). The PDF is signed (B-B invisible by
default) with the organisation key, so any later edit is detectable.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import partial
from html import escape
from typing import Literal, TypeAlias

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ._forensics import PLAIN_SUBINDICATION
from ._loop import outside_event_loop
from .explain import explain, revocation_mode_text, warning_zh
from .fonts import register_reportlab_font
from .keys import ProvidesPyHankoSigner, SigningKey
from .report import SignatureReport, ValidationReport
from .sign import SignOptions, sign_pdf

__all__ = ["Language", "render_report_pdf"]

Language: TypeAlias = Literal["zh", "en"]
_FONT = "PactumCJK"
GREEN = colors.HexColor("#1e7b34")
RED = colors.HexColor("#b3261e")
AMBER = colors.HexColor("#b26a00")

_T: dict[str, dict[Language, str]] = {
    "title": {"zh": "电子签名验证报告", "en": "Electronic Signature Validation Report"},
    "subtitle": {
        "zh": "依据 ETSI EN 319 102-1 的验证结论（PAdES）",
        "en": "Validation per ETSI EN 319 102-1 (PAdES)",
    },
    "document": {"zh": "文件", "en": "Document"},
    "filename": {"zh": "文件名", "en": "File name"},
    "sha256": {"zh": "SHA-256 摘要", "en": "SHA-256 digest"},
    "validated_at": {"zh": "验证时间", "en": "Validated at"},
    "trust": {"zh": "信任设置", "en": "Trust settings"},
    "anchors": {"zh": "信任根证书", "en": "Trust anchors"},
    "revocation_mode": {"zh": "吊销检查", "en": "Revocation checking"},
    "fetching": {"zh": "联网获取吊销信息", "en": "Online revocation fetching"},
    "time_given": {"zh": "指定验证时间", "en": "Validation time given"},
    "summary": {"zh": "结论", "en": "Summary"},
    "no_sigs": {"zh": "本文件没有签名。", "en": "This document has no signatures."},
    "signature": {"zh": "签名", "en": "Signature"},
    "doc_ts": {"zh": "文档时间戳", "en": "Document timestamp"},
    "signer": {"zh": "签署人", "en": "Signer"},
    "email": {"zh": "电子邮件", "en": "E-mail"},
    "issuer": {"zh": "颁发者", "en": "Issuer"},
    "serial": {"zh": "证书序列号", "en": "Certificate serial"},
    "validity": {"zh": "证书有效期", "en": "Certificate validity"},
    "chain": {"zh": "证书链", "en": "Certificate chain"},
    "signing_time": {"zh": "声称的签署时间", "en": "Claimed signing time"},
    "timestamp": {"zh": "可信时间戳", "en": "Trusted timestamp"},
    "integrity": {"zh": "完整性", "en": "Integrity"},
    "coverage": {"zh": "覆盖范围", "en": "Coverage"},
    "revocation": {"zh": "吊销状态", "en": "Revocation status"},
    "level": {"zh": "PAdES 级别", "en": "PAdES level"},
    "certification": {"zh": "认证签名", "en": "Certification"},
    "reason": {"zh": "签署原因 / 地点", "en": "Reason / location"},
    "warnings": {"zh": "说明", "en": "Notes"},
    "meaning": {"zh": "结论说明", "en": "What this means"},
    "embedded": {"zh": "吊销信息嵌入文件", "en": "embedded"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "none": {"zh": "无", "en": "none"},
    "anchor": {"zh": "（信任根）", "en": " (trust anchor)"},
    "digest_ok": {"zh": "签名后内容未被改动", "en": "signed content unchanged"},
    "digest_bad": {"zh": "签名后内容已被改动", "en": "signed content was altered"},
    "sig_ok": {"zh": "密码学签名有效", "en": "cryptographic signature valid"},
    "sig_bad": {"zh": "密码学签名无效", "en": "cryptographic signature invalid"},
    "whole": {"zh": "覆盖整个文件", "en": "covers the whole file"},
    "partial": {"zh": "之后还有 {n} 个修订版本", "en": "{n} later revision(s)"},
    "footer": {
        "zh": "本报告已由本机构的签名密钥进行电子签名；任何修改都会使签名失效。",
        "en": "This report is electronically signed with the organisation's key; any change invalidates it.",
    },
}
_INDICATION: dict[str, dict[Language, str]] = {
    "TOTAL_PASSED": {"zh": "通过（TOTAL_PASSED）", "en": "PASSED (TOTAL_PASSED)"},
    "TOTAL_FAILED": {"zh": "失败（TOTAL_FAILED）", "en": "FAILED (TOTAL_FAILED)"},
    "INDETERMINATE": {"zh": "无法确定（INDETERMINATE）", "en": "INDETERMINATE"},
}
_CHANGES: dict[str, dict[Language, str]] = {
    "none": {"zh": "签名后无改动", "en": "no changes after signing"},
    "form_filling": {"zh": "签名后有填表或追加签名（允许）", "en": "form filling / further signatures (allowed)"},
    "annotations": {"zh": "签名后添加了注释", "en": "annotations added after signing"},
    "other": {"zh": "签名后有不允许的改动", "en": "changes after signing that are NOT allowed"},
}
_CERTIFICATION: dict[str, dict[Language, str]] = {
    "no_changes": {"zh": "不允许任何改动", "en": "no changes allowed"},
    "form_filling": {"zh": "允许填写表单和签名", "en": "form filling and signing allowed"},
    "annotations": {"zh": "允许填写表单、签名和注释", "en": "form filling, signing and annotations allowed"},
}
_REVOCATION: dict[str, dict[Language, str]] = {
    "good": {"zh": "未吊销", "en": "good (not revoked)"},
    "revoked": {"zh": "已吊销", "en": "REVOKED"},
    "unknown": {"zh": "未知", "en": "unknown"},
}


def _t(key: str, lang: Language) -> str:
    return _T[key][lang]


def _fmt_time(value: dt.datetime | None, lang: Language) -> str:
    if value is None:
        return _t("none", lang)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _colour(indication: str) -> colors.Color:
    return {"TOTAL_PASSED": GREEN, "TOTAL_FAILED": RED}.get(indication, AMBER)


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("base", fontName=_FONT, fontSize=9, leading=12.5, wordWrap="CJK")
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=10)
        self.label = ParagraphStyle("label", parent=base, textColor=colors.HexColor("#444444"))
        self.title = ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=10, textColor=colors.grey)
        self.h2 = ParagraphStyle("h2", parent=base, fontSize=12.5, leading=17, spaceBefore=8, spaceAfter=4)
        self.verdict = ParagraphStyle("verdict", parent=base, fontSize=11, leading=15, textColor=colors.white)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _kv_table(rows: list[tuple[str, str | Paragraph]], st: _Styles) -> Table:
    data = [[_p(k, st.label), v if isinstance(v, Paragraph) else _p(v, st.body)] for k, v in rows]
    table = Table(data, colWidths=[38 * mm, 132 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _banner(text: str, indication: str, st: _Styles) -> Table:
    table = Table([[_p(text, st.verdict)]], colWidths=[170 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _colour(indication)),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _coloured(text: str, colour: colors.Color, st: _Styles) -> Paragraph:
    return Paragraph(f'<font color="{colour.hexval()}">{escape(text)}</font>', st.body)


def _signature_block(sig: SignatureReport, n: int, lang: Language, st: _Styles) -> list[object]:
    yes, no = _t("yes", lang), _t("no", lang)
    head = f"{_t('signature', lang)} {n}: {sig.field}"
    verdict = _INDICATION[sig.indication][lang] + (f" · {sig.sub_indication}" if sig.sub_indication else "")
    signer = sig.signer
    rows: list[tuple[str, str | Paragraph]] = []
    if signer is not None:
        rows += [
            (_t("signer", lang), signer.subject),
            (_t("email", lang), signer.email or _t("none", lang)),
            (_t("issuer", lang), signer.issuer),
            (_t("serial", lang), signer.serial),
            (
                _t("validity", lang),
                f"{_fmt_time(signer.not_before, lang)} — {_fmt_time(signer.not_after, lang)}",
            ),
        ]
    chain = "\n".join(
        f"{i + 1}. {c.subject}{_t('anchor', lang) if c.trust_anchor else ''}" for i, c in enumerate(sig.chain)
    )
    rows.append((_t("chain", lang), chain or _t("none", lang)))
    rows.append((_t("signing_time", lang), _fmt_time(sig.signing_time, lang)))
    if sig.timestamp is not None:
        ts_text = f"{_fmt_time(sig.timestamp.time, lang)} — {sig.timestamp.authority}"
        rows.append((_t("timestamp", lang), _coloured(ts_text, GREEN if sig.timestamp.valid else RED, st)))
    else:
        rows.append((_t("timestamp", lang), _t("none", lang)))
    integ_ok = sig.integrity.digest_matches and sig.integrity.signature_valid
    integ = (
        f"{_t('digest_ok', lang) if sig.integrity.digest_matches else _t('digest_bad', lang)}; "
        f"{_t('sig_ok', lang) if sig.integrity.signature_valid else _t('sig_bad', lang)}"
    )
    rows.append((_t("integrity", lang), _coloured(integ, GREEN if integ_ok else RED, st)))
    cov = sig.coverage
    cov_text = (
        _t("whole", lang) if cov.whole_document else _t("partial", lang).format(n=cov.later_revisions)
    ) + f"; {_CHANGES[cov.changes][lang]}"
    cov_colour = {"none": GREEN, "form_filling": GREEN, "annotations": AMBER}.get(cov.changes, RED)
    rows.append((_t("coverage", lang), _coloured(cov_text, cov_colour, st)))
    rev = sig.revocation
    rev_text = _REVOCATION[rev.status][lang]
    if rev.checked_at is not None:
        rev_text += f" ({_fmt_time(rev.checked_at, lang)})"
    rev_text += f"; {_t('embedded', lang)}: {yes if rev.embedded else no}"
    rev_colour = {"good": GREEN, "revoked": RED}.get(rev.status, AMBER)
    rows.append((_t("revocation", lang), _coloured(rev_text, rev_colour, st)))
    rows.append((_t("level", lang), sig.pades_level or _t("none", lang)))
    if sig.certification:
        rows.append((_t("certification", lang), _CERTIFICATION.get(sig.certification, {}).get(lang, sig.certification)))
    if sig.reason or sig.location:
        rows.append((_t("reason", lang), " / ".join(x for x in (sig.reason, sig.location) if x)))
    meaning = explain(sig.indication, sig.sub_indication, sig.revocation.status, lang)
    rows.insert(0, (_t("meaning", lang), _coloured(meaning, _colour(sig.indication), st)))
    said = PLAIN_SUBINDICATION.get(sig.sub_indication or "")  # already in "what this means"
    kept = [w for w in sig.warnings if w != said]
    notes = [warning_zh(w) for w in kept] if lang == "zh" else kept
    if notes:
        rows.append((_t("warnings", lang), _p("\n".join(f"- {w}" for w in notes), st.small)))
    return [
        KeepTogether([_p(head, st.h2), _banner(verdict, sig.indication, st), Spacer(1, 3)]),
        _kv_table(rows, st),
        Spacer(1, 6),
    ]


def _build_pdf(report: ValidationReport, lang: Language, font_path: str | None) -> bytes:
    register_reportlab_font(_FONT, font_path)
    st = _Styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_t("title", lang),
        author="Pactum",
        subject=report.document.sha256,
        creator="Pactum signer",
        invariant=True,
    )
    story: list[object] = [_p(_t("title", lang), st.title), _p(_t("subtitle", lang), st.subtitle), Spacer(1, 8)]
    story.append(_p(_t("document", lang), st.h2))
    story.append(
        _kv_table(
            [
                (_t("filename", lang), report.document.filename or _t("none", lang)),
                (_t("sha256", lang), report.document.sha256),
                (_t("validated_at", lang), _fmt_time(report.validated_at, lang)),
            ],
            st,
        )
    )
    if report.trust is not None:
        tr = report.trust
        story.append(_p(_t("trust", lang), st.h2))
        story.append(
            _kv_table(
                [
                    (_t("anchors", lang), "\n".join(tr.anchors) or _t("none", lang)),
                    (_t("revocation_mode", lang), revocation_mode_text(tr.revocation_mode, lang)),
                    (_t("fetching", lang), _t("yes", lang) if tr.allow_fetching else _t("no", lang)),
                    (_t("time_given", lang), _t("yes", lang) if tr.validation_time_given else _t("no", lang)),
                ],
                st,
            )
        )
    story.append(_p(_t("summary", lang), st.h2))
    if not report.signatures:
        story.append(_p(_t("no_sigs", lang), st.body))
    for i, sig in enumerate(report.signatures, 1):
        story.extend(_signature_block(sig, i, lang, st))
    for ts in report.document_timestamps:
        text = (
            f"{_t('doc_ts', lang)} {ts.field}: {_INDICATION[ts.indication][lang]} — "
            f"{_fmt_time(ts.time, lang)} — {ts.authority or ''}"
        )
        story.append(_coloured(text, _colour(ts.indication), st))
    story += [Spacer(1, 10), _p(_t("footer", lang), st.small)]
    # the canvas' initial font would add an unused, non-embedded Helvetica
    doc.build(story, canvasmaker=partial(Canvas, initialFontName=_FONT, initialFontSize=9))
    return buf.getvalue()


@outside_event_loop
def render_report_pdf(
    report: ValidationReport,
    language: Language,
    signer_key: SigningKey | ProvidesPyHankoSigner,
    *,
    sign_options: SignOptions | None = None,
    font_path: str | None = None,
) -> bytes:
    """Render ``report`` as a signed A4 PDF in Chinese (``zh``) or English (``en``).

    ``sign_options`` defaults to an invisible B-B signature; pass a higher level
    (with ``tsa_url``) for a timestamped report. ``font_path``: the TrueType font to
    embed (default: the first installed of :data:`signer.fonts.CJK_FONT_CANDIDATES`).
    """
    if language not in ("zh", "en"):
        raise ValueError("language must be 'zh' or 'en'")
    pdf = _build_pdf(report, language, font_path)
    options = sign_options or SignOptions(
        level="B-B",
        reason="签名验证报告 / Signature validation report",
        field_name="PactumValidationReport",
    )
    return sign_pdf(pdf, signer_key, options)
