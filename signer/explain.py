"""The outcome of a signature in plain words, in Chinese and English.

``explain`` says what the indication means for a reader who is not a specialist, why (the
sub-indication) and, where it helps, what to do. ``warning_zh`` gives the Chinese of each
note the validator writes in English (the JSON keeps the English notes; the Chinese report
shows them translated). Technical details quoted from pyHanko (object numbers, library
messages) stay as they are, inside a Chinese sentence.
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias

from ._forensics import PLAIN_SUBINDICATION

__all__ = ["Language", "explain", "revocation_mode_text", "subindication_text", "warning_zh"]

Language: TypeAlias = Literal["zh", "en"]

SUBINDICATION_ZH: dict[str, str] = {
    "HASH_FAILURE": "签名后文件内容被篡改，摘要不符。",
    "SIG_CRYPTO_FAILURE": "密码学签名无法用签署人的公钥验证。",
    "FORMAT_FAILURE": "签名格式错误，或签名未正确覆盖文件（可能是签名包装攻击）。",
    "REVOKED": "签署人的证书在签名之前已被吊销。",
    "REVOKED_NO_POE": "签署人的证书已被吊销，且无法证明签名早于吊销时间。",
    "REVOKED_CA_NO_POE": "证书链中的一个 CA 证书已被吊销。",
    "NO_CERTIFICATE_CHAIN_FOUND": "签署人的证书无法链接到受信任的根证书。",
    "OUT_OF_BOUNDS_NO_POE": "签署人的证书已过期或尚未生效，且没有时间戳证明签名发生在有效期内。",
    "OUT_OF_BOUNDS_NOT_REVOKED": "签署人的证书已过期（但未被吊销）。",
    "EXPIRED": "签名时签署人的证书已经过期。",
    "NOT_YET_VALID": "签名时签署人的证书尚未生效。",
    "TRY_LATER": "无法获得签署人证书的吊销信息（OCSP/CRL）。按严格（hard-fail）策略，"
    "在获得吊销信息之前不能确认签名有效；请稍后重新验证。",
    "SIG_CONSTRAINTS_FAILURE": "签名后文件被以不允许的方式修改：显示的内容可能不是所签署的内容。",
    "CHAIN_CONSTRAINTS_FAILURE": "证书链不符合其约束条件。",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "证书链无法验证。",
    "CRYPTO_CONSTRAINTS_FAILURE": "签名使用了不被接受的算法。",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "签名使用的算法已不再被接受。",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "吊销信息过旧或过新，无法使用。",
    "NO_POE": "没有证据证明签名的时间。",
    "TIMESTAMP_ORDER_FAILURE": "签名中的时间戳顺序不可能成立。",
    "NO_SIGNING_CERTIFICATE_FOUND": "签名中没有签署人的证书（或不是签名所指明的证书），无法确定签署人。",
    "GENERIC": "签名无法完整验证，不能认定为有效。",
}

_OUTCOME: dict[str, dict[Language, str]] = {
    "TOTAL_PASSED": {
        "en": "The signature is valid: the signed content is unchanged, the signature verifies, and the "
        "signer's certificate leads to a trusted authority.",
        "zh": "签名有效：所签署的内容未被改动，签名验证通过，签署人的证书可追溯到受信任的机构。",
    },
    "TOTAL_FAILED": {
        "en": "The signature is invalid. Do not rely on this document as signed.",
        "zh": "签名无效。不能将本文件视为已有效签署。",
    },
    "INDETERMINATE": {
        "en": "The signature can be neither confirmed nor rejected with the information available: it is not "
        "a valid signature until that changes.",
        "zh": "根据现有信息，签名既不能被确认有效，也不能被认定无效：在情况改变之前，不能视为有效签名。",
    },
}

_REVOCATION: dict[str, dict[Language, str]] = {
    "good": {
        "en": "Revocation was checked: the certificate was not revoked.",
        "zh": "已检查吊销状态：证书未被吊销。",
    },
    "unknown_passed": {
        "en": "Its revocation status could not be checked; the policy in use (soft-fail) accepts the signature "
        "without it.",
        "zh": "无法检查证书的吊销状态；当前采用的宽松（soft-fail）策略在没有吊销信息时仍接受签名。",
    },
}

_MODES: dict[str, dict[Language, str]] = {
    "hard-fail": {
        "en": "hard-fail: without revocation data a signature is not confirmed",
        "zh": "严格（hard-fail）：没有吊销信息的签名不予确认",
    },
    "soft-fail": {
        "en": "soft-fail: missing revocation data is tolerated",
        "zh": "宽松（soft-fail）：允许缺少吊销信息",
    },
    "require": {
        "en": "require: revocation data is needed for every certificate",
        "zh": "必须（require）：每张证书都需要吊销信息",
    },
}


def subindication_text(sub: str | None, lang: Language) -> str | None:
    """The sub-indication in one plain sentence."""
    if not sub:
        return None
    table = SUBINDICATION_ZH if lang == "zh" else PLAIN_SUBINDICATION
    return table.get(sub)


def revocation_mode_text(mode: str, lang: Language) -> str:
    return _MODES.get(mode, {}).get(lang, mode)


def explain(indication: str, sub_indication: str | None, revocation_status: str | None, lang: Language) -> str:
    """What the outcome means, in plain words: the verdict, the reason, the revocation status."""
    parts = [_OUTCOME.get(indication, _OUTCOME["INDETERMINATE"])[lang]]
    reason = subindication_text(sub_indication, lang)
    if reason:
        parts.append(reason)
    if indication == "TOTAL_PASSED":
        key = "good" if revocation_status == "good" else "unknown_passed"
        if revocation_status != "revoked":
            parts.append(_REVOCATION[key][lang])
    return ("" if lang == "zh" else " ").join(parts)


# -- the notes, in Chinese ------------------------------------------------------------------

_NOTE_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + r"\Z", re.S), zh)
    for pattern, zh in (
        (r"The signing time the signer claims cannot be read\.", "无法读取签署人声称的签署时间。"),
        (
            r"The signature could not be checked completely \((.*)\); it cannot be accepted as valid\.",
            "签名无法完整检查（技术细节：{0}），不能认定为有效。",
        ),
        (
            r"The signature covers revision (\d+) completely, but its signature dictionary was written again in "
            r"revision (\d+) \(a coverage pyHanko calls nonstandard\): the changes made together with that "
            r"rewrite cannot be reviewed, so the signature cannot be accepted as valid\.",
            "签名完整覆盖第 {0} 个修订版本，但其签名字典在第 {1} 个修订版本中被重写：与重写一同进行的改动无法审查，"
            "因此不能认定签名有效。",
        ),
        (
            r"The signature is in a format this validator does not support \(its SubFilter is (.*)\); it was "
            r"not validated and can be neither accepted nor rejected\.",
            "签名格式不受本验证程序支持（SubFilter 为 {0}）：未经验证，既不能接受也不能拒绝。",
        ),
        (
            r"This signature field holds a signature dictionary without /Contents and /ByteRange: an unsigned "
            r"placeholder, nothing in the document is signed by it\.",
            "该签名域的签名字典没有 /Contents 和 /ByteRange：只是未签名的占位符，文件中没有任何内容被它签署。",
        ),
        (
            r"The permissions of this certification signature \(DocMDP\) cannot be read\.",
            "无法读取该认证签名（DocMDP）的权限。",
        ),
        (
            r"A later revision changes form field “(.*)”, which this signature locks \(FieldMDP\)\.",
            "后来的修订改动了表单域“{0}”，而该签名锁定了此域（FieldMDP）。",
        ),
        (
            r"A later revision changes the document in a way that is not allowed: (.*)\.",
            "后来的修订以不允许的方式改动了文件（技术细节：{0}）。",
        ),
        (
            r"A later revision changes the document in a way that is not allowed\.",
            "后来的修订以不允许的方式改动了文件。",
        ),
        (
            r"A later revision (.*): a change that is not allowed after this signature\.",
            "后来的修订改动了签名后不允许改动的部分（技术细节：{0}）。",
        ),
        (
            r"Form field “(.*)” was filled in after signing and lies over (.*) \(a “shadow” attack can hide or "
            r"replace signed content this way\)\.",
            "表单域“{0}”在签名后被填写，且覆盖在已签署的内容之上（{1}）；“影子攻击”可借此隐藏或替换已签署的内容。",
        ),
        (
            r"Form field “(.*)” was filled in after signing; its value is not covered by this signature\.",
            "表单域“{0}”在签名后被填写；其内容不在该签名的保护范围内。",
        ),
        (
            r"Pages? (.*) looks? different now from when the document was signed: what is shown there was "
            r"changed after signing\.",
            "第 {0} 页与签署时的样子不同：签名后这些页面上显示的内容被改动过。",
        ),
        (
            r"The pages could not be compared with the signed revision: (.*)\.",
            "无法将页面与签署时的版本比较（技术细节：{0}）。",
        ),
        (
            r"Only (\d+) of (\d+) pages were compared with the signed revision \(the visual comparison is "
            r"limited in pages and time\)\.",
            "只将 {1} 页中的 {0} 页与签署时的版本进行了比较（页面比较在页数和时间上有限制）。",
        ),
        (
            r"(\d+) later revision\(s\) add signatures or fill in form fields; that is permitted, but those "
            r"later changes are not covered by this signature\.",
            "之后有 {0} 个修订版本追加了签名或填写了表单：这是允许的，但这些后来的改动不在该签名的保护范围内。",
        ),
        (r"Comments or other annotations were added after this signature\.", "签名后添加了注释或其他批注。"),
        (
            r"(\d+) bytes were appended after the last revision without a valid cross-reference section; some "
            r"viewers display them\.",
            "最后一个修订版本之后附加了 {0} 个字节，且没有有效的交叉引用表；某些阅读器会显示这些内容。",
        ),
        (
            r"Changes made after signing exceed what this signature permits \(DocMDP level (.*)\)\.",
            "签名后的改动超出了该签名允许的范围（DocMDP 级别 {0}）。",
        ),
        (r"Changes made after signing exceed what this signature permits\.", "签名后的改动超出了该签名允许的范围。"),
        (
            r"The signed byte range does not cover the file as one complete revision: bytes that were not "
            r"signed are part of what is shown \(signature wrapping or a damaged file\)\.",
            "签名的字节范围没有覆盖一个完整的修订版本：显示的内容中包含未签名的字节（签名包装攻击或文件损坏）。",
        ),
        (
            r"The SHA-1 digest inside the signature is not the digest of the signed bytes of this document\.",
            "签名中的 SHA-1 摘要与本文件被签署的字节不符。",
        ),
        (
            r"adbe\.pkcs7\.sha1 signature: the document is bound to it by a SHA-1 digest, which is no longer "
            r"collision-resistant; its certificate path was checked at the validation time only\.",
            "adbe.pkcs7.sha1 签名：文件通过 SHA-1 摘要与签名绑定，而 SHA-1 已不再抗碰撞；其证书路径只按验证时间检查。",
        ),
        (
            r"The signer's certificate names no revocation service \(OCSP/CRL\)\.",
            "签署人的证书没有指明吊销信息服务（OCSP/CRL）。",
        ),
        (
            r"The revocation status of the signer's certificate could not be checked: the soft-fail policy "
            r"accepts the signature without it\.",
            "无法检查签署人证书的吊销状态：宽松（soft-fail）策略在没有吊销信息时仍接受签名。",
        ),
        (
            r"No revocation data \(OCSP response or CRL\) could be had for the signer's certificate, which names "
            r"a revocation service: under the hard-fail policy the signature cannot be confirmed until that "
            r"data is available\. Validate again later\.",
            "签署人证书指明了吊销信息服务，但无法获得吊销信息（OCSP 响应或 CRL）：按严格（hard-fail）策略，"
            "在获得这些信息之前不能确认签名有效。请稍后重新验证。",
        ),
        (
            r"The signer's certificate names no revocation service \(OCSP/CRL\) and no revocation data about it "
            r"is known, but the policy requires its revocation status: the signature cannot be confirmed until "
            r"revocation data is available\.",
            "签署人的证书没有指明吊销信息服务（OCSP/CRL），也没有关于它的已知吊销信息，而当前策略要求确认吊销状态："
            "在获得吊销信息之前不能确认签名有效。",
        ),
        (
            r"The revocation status of the signer's certificate could not be checked\.",
            "无法检查签署人证书的吊销状态。",
        ),
        (
            r"The signing time is only claimed by the signer \(no trusted timestamp\)\.",
            "签署时间仅由签署人声称（没有可信时间戳）。",
        ),
        (r"The signature timestamp is not valid or not trusted\.", "签名时间戳无效或不受信任。"),
        (
            r"The document was changed after this timestamp in a way that is not allowed\.",
            "该时间戳之后文件被以不允许的方式改动。",
        ),
        (
            r"The timestamp authority's certificate is not trusted or could not be checked\.",
            "时间戳机构的证书不受信任或无法检查。",
        ),
        (
            r"The signer's certificate does not lead to a trusted root certificate\.",
            "签署人的证书无法追溯到受信任的根证书。",
        ),
        (r"Legacy PKCS#7 signature \((.*)\), not a PAdES signature\.", "旧式 PKCS#7 签名（{0}），不是 PAdES 签名。"),
        (r"The signature could not be validated: (.*)", "签名无法验证（技术细节：{0}）。"),
        (
            r"The signed attributes are not DER-encoded .*",
            "签名属性不是按 DER 编码的（其 SET OF 不是 DER 顺序），不符合 RFC 5652 5.4 的要求："
            "签名值只与存储的形式相符，而不与其 DER 编码相符，标准验证程序会拒绝它。",
        ),
        (
            r"This field holds a document timestamp \(SubFilter (.*), an RFC 3161 timestamp token\), but its "
            r"dictionary has (.*) instead of /Type /DocTimeStamp; it was validated as a document timestamp\.",
            "该域存放的是文档时间戳（SubFilter {0}，RFC 3161 时间戳令牌），但其字典为 {1} 而不是 "
            "/Type /DocTimeStamp；已按文档时间戳验证。",
        ),
        (
            r"The field's CMS is a timestamp token although its SubFilter is (.*); it was validated as a "
            r"document timestamp\.",
            "该域的 CMS 是时间戳令牌，但其 SubFilter 为 {0}；已按文档时间戳验证。",
        ),
    )
)
_PLAIN_ZH = {
    english: SUBINDICATION_ZH[code] for code, english in PLAIN_SUBINDICATION.items() if code in SUBINDICATION_ZH
}


def warning_zh(note: str) -> str:
    """The Chinese of a note written by the validator; a note it does not know is kept, marked
    as the original text."""
    if note in _PLAIN_ZH:
        return _PLAIN_ZH[note]
    for pattern, zh in _NOTE_ZH:
        found = pattern.match(note)
        if found:
            return zh.format(*found.groups())
    return f"（原文）{note}"
