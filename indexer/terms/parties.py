"""Contracting parties: ``甲方：…`` lines (and 出租方/承租方/委托方/受托方 …), ``X（以下简称“甲方”）``,
English ``by and between X and Y`` and ``X ("Company")`` preambles."""

from __future__ import annotations

import re

from .model import Candidate, Party
from .text import line_at

__all__ = ["find_parties"]

_ZH_ROLES = (
    "甲方",
    "乙方",
    "丙方",
    "丁方",
    "出租方",
    "出租人",
    "承租方",
    "承租人",
    "委托方",
    "委托人",
    "受托方",
    "受托人",
    "买方",
    "卖方",
    "买受人",
    "出卖人",
    "出卖方",
    "供方",
    "需方",
    "供货方",
    "采购方",
    "发包方",
    "发包人",
    "承包方",
    "承包人",
    "贷款人",
    "贷款方",
    "借款人",
    "借款方",
    "出借人",
    "出借方",
    "用人单位",
    "劳动者",
    "转让方",
    "受让方",
    "许可方",
    "被许可方",
    "服务方",
    "保证人",
    "抵押人",
    "抵押权人",
    "出质人",
    "质权人",
    "建设单位",
    "施工单位",
    "托运人",
    "承运人",
    "投资方",
    "合作方",
    "聘用方",
    "受聘方",
    "寄存人",
    "保管人",
    "赠与人",
    "受赠人",
    "居间人",
    "经纪方",
)
_ZH_ROLE = "|".join(sorted(_ZH_ROLES, key=len, reverse=True))
_ZH_LINE = re.compile(
    rf"^[ \t]*(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?P<role>{_ZH_ROLE})"
    rf"[ \t]*(?:[(（](?P<note>[^)）\n]{{1,16}})[)）])?[ \t]*[:：][ \t]*(?P<name>[^\n]{{0,80}})",
    re.MULTILINE,
)
_ZH_INLINE = re.compile(
    rf"[(（]\s*(?:以下|下文)?(?:简称|称)(?:为)?[:：]?\s*[“\"”'‘]?"
    rf"(?P<role>{_ZH_ROLE})[”\"“'’]?\s*[)）]"
)
_ZH_NAME_END = re.compile(
    r"\t| {2,}|[，,；;。]|[(（]\s*(?:签字|签章|盖章|公章|签名|以下|下文|简称)|法定代表人|"
    r"负责人|地址|住所|电话|身份证|联系|邮编|邮政编码|开户|账号|委托代理人|代表人|日期|签字|盖章"
)
_ZH_BLANK = re.compile(r"^[\s_＿—\-.…·:：()（）【】\[\]]*$")
_ZH_GENERIC = {
    "签字",
    "盖章",
    "签章",
    "签字盖章",
    "盖章签字",
    "公章",
    "签名",
    "代表",
    "授权代表",
    "姓名",
    "名称",
    "单位名称",
}
#: Words of form labels, never of a party's name.
_ZH_FIELD_WORDS = ("姓名", "性别", "年龄", "签名", "名称", "住址", "职务", "公民用", "法人用")
_ZH_LABEL_ENDS = ("编号", "性质", "地址", "电话", "办公", "账号", "号码", "日期")
#: The most common Chinese surnames (and four compound ones): a short name must start with one to
#: be taken for a person's name.
_ZH_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
) + ("欧阳", "司马", "诸葛", "上官")
_ZH_ORG_SUFFIX = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "总公司",
    "公司",
    "集团",
    "银行",
    "大学",
    "学院",
    "医院",
    "研究所",
    "研究院",
    "中心",
    "事务所",
    "厂",
    "合作社",
    "委员会",
    "政府",
    "协会",
    "商行",
    "分行",
    "支行",
    "学校",
    "幼儿园",
    "局",
    "店",
)
_ZH_BOUNDARY = "由与和及、，,：:\n。；; "

_EN_ANCHOR = re.compile(
    r"\(\s*(?:hereinafter|herein|each|individually|collectively)?[^()\"“”]{0,40}?[\"“”]"
    r"(?P<term>[^\"“”()]{1,50})[\"“”][^()]{0,60}?\)"
)
_EN_START = re.compile(r"\b(?:by\s+and\s+(?:between|among)|between|among)\s+", re.IGNORECASE)
_EN_CUT = re.compile(
    r",?\s+(?:a|an)\s+(?:[A-Z][\w.-]*\s+){0,4}?(?:corporation|company|limited|partnership|"
    r"organization|entity|bank|association|trust|individual|society|LLC|corp\b)|"
    r",\s+(?:a|an|the)\s|,\s+(?:having|with|whose|located|organized|incorporated|its|acting|on\s+behalf)\b|"
    r"\s+\(|\s+(?:having|with\s+(?:its|a|offices)|whose|located|organized|incorporated|and/or)\b|"
    r"\s+(?:a|an)\s+(?:[A-Z][a-z]+\s+){0,3}(?:corporation|company|limited\s+liability)",
    re.IGNORECASE,
)
_EN_CONNECTOR = re.compile(r"^(?:[\s,;:]|and\b|&|between\b|among\b|by\b|whereas\b)+", re.IGNORECASE)
_EN_NOT_PARTY_TERMS = {
    "agreement",
    "effective date",
    "party",
    "parties",
    "territory",
    "products",
    "product",
    "services",
    "term",
    "contract",
    "plan",
    "amendment",
    "exhibit",
    "schedule",
    "affiliate",
    "affiliates",
    "commencement date",
    "execution date",
    "closing date",
    "confidential information",
    "intellectual property",
    "trademarks",
    "marks",
    "software",
    "license",
    "effective time",
}
_EN_ORG_SUFFIX = re.compile(
    r"\b(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|company|co|plc|lp|l\.p|"
    r"llp|gmbh|ag|s\.a|n\.v|b\.v|pty|trust|bank|university|holdings|group)\b\.?",
    re.IGNORECASE,
)
_EN_ROLE_WORDS = {
    "company",
    "licensor",
    "licensee",
    "distributor",
    "supplier",
    "customer",
    "buyer",
    "seller",
    "franchisor",
    "franchisee",
    "provider",
    "client",
    "consultant",
    "contractor",
    "lender",
    "borrower",
    "landlord",
    "tenant",
    "lessor",
    "lessee",
    "manufacturer",
    "reseller",
    "agent",
    "vendor",
    "purchaser",
    "owner",
    "developer",
    "publisher",
    "sponsor",
    "partner",
    "investor",
    "employer",
    "employee",
    "executive",
    "bank",
    "parent",
    "subsidiary",
    "grantor",
    "grantee",
}
#: Lower-case words a company or person name may contain.
_EN_NAME_CONNECTORS = {
    "of",
    "and",
    "&",
    "de",
    "du",
    "des",
    "la",
    "le",
    "der",
    "von",
    "van",
    "for",
    "the",
    "y",
    "e",
    "d/b/a",
    "dba",
    "do",
    "da",
    "di",
    "del",
    "und",
    "et",
    "en",
    "s.a.",
    "a/s",
    "f/s/o",
}
#: Last words of defined things that are not contracting parties.
_EN_NOT_PARTY_NAME_ENDS = {
    "commission",
    "court",
    "board",
    "committee",
    "authority",
    "act",
    "law",
    "exchange",
    "agreement",
    "plan",
    "schedule",
    "exhibit",
    "appendix",
    "section",
    "year",
    "date",
    "products",
    "mark",
    "marks",
    "system",
    "regulations",
    "rules",
    "code",
    "page",
    "site",
    "field",
    "volume",
    "china",
    "states",
    "islands",
    "directors",
    "trustees",
    "supervision",
    "bowl",
}
_EN_PRONOUNS = {"you", "we", "us", "it", "they", "he", "she", "i"}
_EN_LINE = re.compile(
    r"^[ \t]*(?P<role>Party\s+[A-D]|Licensor|Licensee|Buyer|Seller|Lessor|Lessee|Landlord|Tenant|"
    r"Supplier|Customer|Client|Contractor|Consultant|Distributor|Vendor|Purchaser)[ \t]*:[ \t]*"
    r"(?P<name>[^\n]{2,120})",
    re.MULTILINE,
)
_PREAMBLE = 6000
_SIGNATURE_TAIL = 4000


def find_parties(text: str) -> list[Candidate[Party]]:
    """Parties, one candidate per name (roles merged), best first."""
    found = _chinese_lines(text) + _chinese_inline(text) + _english(text)
    return _merge(found)


def _chinese_lines(text: str) -> list[Candidate[Party]]:
    found: list[Candidate[Party]] = []
    for match in _ZH_LINE.finditer(text):
        name = _clean_zh_name(match.group("name"))
        if name is None:
            continue
        role = match.group("role")
        note = match.group("note") or ""
        inner = re.search(_ZH_ROLE, note)
        roles = role if inner is None else f"{role}/{inner.group(0)}"
        found.append(
            Candidate(
                Party(name, roles),
                _zh_confidence(name, 0.5),
                line_at(text, match.start(), match.end()),
                match.start("name"),
            )
        )
    return found


def _chinese_inline(text: str) -> list[Candidate[Party]]:
    """``北京某某有限公司（以下简称“甲方”）``: the name runs back to the previous separator."""
    found: list[Candidate[Party]] = []
    for match in _ZH_INLINE.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        cut = max(before.rfind(char) for char in _ZH_BOUNDARY)
        name = _clean_zh_name(before[cut + 1 :])
        if name is None:
            continue
        found.append(
            Candidate(
                Party(name, match.group("role")),
                _zh_confidence(name, 0.45),
                line_at(text, match.start(), match.end()),
                match.start() - len(name),
            )
        )
    return found


def _clean_zh_name(raw: str) -> str | None:
    end = _ZH_NAME_END.search(raw)
    name = (raw[: end.start()] if end else raw).strip(" \t_＿—-:：·.")
    name = re.sub(r"[_＿]{2,}.*$", "", name).strip()
    if len(name) < 2 or _ZH_BLANK.match(name) or name in _ZH_GENERIC or name.startswith(("（", "(")):
        return None
    if name in _ZH_ROLES or "、" in name or any(word in name for word in _ZH_FIELD_WORDS):
        return None  # a template's label ("委托人", "姓名、性别、年龄") rather than a filled-in name
    if name.endswith(("单位", "方", "人", "所")) and len(name) <= 6 and not name.endswith(_ZH_ORG_SUFFIX):
        return None  # "借款单位", "立合同单位", "营业所": placeholders in model contracts
    if "×" in name or "：" in name or ":" in name or name.endswith(_ZH_LABEL_ENDS):
        return None
    name = name.rstrip("（(·")
    suffix = next((suffix for suffix in _ZH_ORG_SUFFIX if name.endswith(suffix)), None)
    if suffix is not None:
        base = name[: -len(suffix)]
        if len(base) < 2 or base.startswith(("关于", "本", "该", "贵", "我", "你", "其")):
            return None  # "公司", "有限公司", "关于贵公司": a word, not a company's name
    elif "的" in name or name.endswith(("为", "于", "在", "和", "与")):
        return None  # a sentence fragment
    if len(name) <= 4 and not name.endswith(_ZH_ORG_SUFFIX) and not name.startswith(_ZH_SURNAMES):
        return None  # short and neither a company nor a person ("现金", "聘请")
    return name


def _zh_confidence(name: str, base: float) -> float:
    if name.endswith(_ZH_ORG_SUFFIX):
        return base + 0.3
    if 2 <= len(name) <= 4 and all("\u4e00" <= char <= "\u9fff" for char in name):
        return base + 0.1  # a person's name
    return base


def _english(text: str) -> list[Candidate[Party]]:
    preamble = text[:_PREAMBLE]
    found = _english_lines(preamble) + _english_anchored(preamble)
    if not found:
        found = _english_between(preamble)
    return found


def _english_lines(preamble: str) -> list[Candidate[Party]]:
    """``Party A: Beike Internet Security Technology Co., Ltd.`` (translated Chinese contracts)."""
    found: list[Candidate[Party]] = []
    for match in _EN_LINE.finditer(preamble):
        name = re.split(r"\s{2,}|\b(?:Address|Attention|Tel|Legal Representative)\b", match.group("name"))[0]
        name = name.strip(" ,;.")
        if _looks_like_name(name):
            confidence = 0.6 + (0.2 if _EN_ORG_SUFFIX.search(name) else 0.0)
            found.append(
                Candidate(
                    Party(name, " ".join(match.group("role").split())),
                    confidence,
                    line_at(preamble, match.start(), match.end()),
                    match.start("name"),
                )
            )
    return found


def _english_anchored(preamble: str) -> list[Candidate[Party]]:
    """``Name, a Delaware corporation ("Company")``: each defined term anchors the name before it."""
    found: list[Candidate[Party]] = []
    previous_end = 0
    for anchor in _EN_ANCHOR.finditer(preamble):
        term = " ".join(anchor.group("term").split()).strip(" ,.")
        region_start = max(previous_end, anchor.start() - 300)
        previous_end = anchor.end()
        if term.lower() in _EN_NOT_PARTY_TERMS or not term:
            continue
        region = preamble[region_start : anchor.start()]
        starts = list(_EN_START.finditer(region))
        if starts:
            region = region[starts[-1].end() :]
        name = _english_name(region)
        if name is None or not _is_party(name, term):
            continue
        confidence = (
            0.55 + (0.2 if _EN_ORG_SUFFIX.search(name) else 0.0) + (0.1 if term.lower() in _EN_ROLE_WORDS else 0.0)
        )
        found.append(
            Candidate(
                Party(name, term),
                round(confidence, 3),
                line_at(preamble, anchor.start(), anchor.end()),
                anchor.start() - len(name),
            )
        )
    return found


def _english_between(preamble: str) -> list[Candidate[Party]]:
    """``by and between X and Y.`` without defined terms: split on a top-level "and"."""
    match = _EN_START.search(preamble)
    while match is not None and not match.group(0).lower().strip().endswith(("between", "among")):
        match = _EN_START.search(preamble, match.end())
    if match is None:
        return []
    segment = re.split(
        r"\n\s*\n|\bWHEREAS\b|\bRECITALS\b|\.\s+(?=[A-Z][a-z])", preamble[match.end() : match.end() + 400]
    )[0]
    found: list[Candidate[Party]] = []
    for piece in re.split(r",?\s+and\s+", segment)[:3]:
        name = _english_name(piece)
        if name is not None and _EN_ORG_SUFFIX.search(name):
            found.append(Candidate(Party(name, None), 0.45, line_at(preamble, match.start(), match.end()), match.end()))
    return found


def _english_name(region: str) -> str | None:
    """The party name in the words before a defined term (or between "between" and "and").

    The region is cut at descriptions (", a Delaware corporation", "having its office at"); the
    first piece that looks like a name wins. A last piece that is not a name as a whole may end in
    one ("Ladies and Gentlemen: Blue Hills Bancorp, Inc."): its trailing run of capitalised words is
    used.
    """
    region = " ".join(region.split())
    pieces = [piece for piece in _EN_CUT.split(_EN_CONNECTOR.sub("", region)) if piece and piece.strip(" ,;:")]
    for index, piece in enumerate(pieces):
        name = _EN_CONNECTOR.sub("", piece).strip(" ,;:")
        if _looks_like_name(name):
            return name
        if index == len(pieces) - 1:
            tail = _trailing_name(name)
            if tail is not None:
                return tail
    return None


def _is_party(name: str, term: str) -> bool:
    """A defined term names a party when the name is a company's, or when the term is a party role
    ("Licensor") or a short form of the name ("Heritage" for Stremick's Heritage Foods, "KBW")."""
    words = [word.strip(",.") for word in name.split()]
    if words and words[-1].lower() in _EN_NOT_PARTY_NAME_ENDS:
        return False
    if _EN_ORG_SUFFIX.search(name):
        return True
    lowered = term.lower().removeprefix("the ")
    if lowered in _EN_ROLE_WORDS or re.fullmatch(r"party\s+[a-d]", lowered):
        return True
    name_words = {word.lower() for word in words}
    if any(len(word) >= 3 and word.lower() in name_words for word in re.findall(r"[\w'’]+", term)):
        return True
    initials = "".join(word[0] for word in words if word[0].isupper())
    compact = re.sub(r"[^A-Za-z]", "", term)
    return len(compact) >= 2 and compact.upper() == compact and compact in initials


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 12 or ":" in name or not words[0][0].isupper():
        return False
    if words[-1].lower() in _EN_NAME_CONNECTORS - {"&"}:
        return False
    if name.lower() in _EN_PRONOUNS or name.lower().startswith(("this ", "the agreement", "agreement")):
        return False
    # "June and November of the applicable Contract Year" is a phrase, not a name.
    return not any(word[0].islower() and word.lower() not in _EN_NAME_CONNECTORS for word in words)


def _trailing_name(text: str) -> str | None:
    words = text.split()
    run: list[str] = []
    for word in reversed(words):
        if ":" in word or word.isdigit() or (word[0].islower() and word.lower() not in _EN_NAME_CONNECTORS):
            break
        run.insert(0, word)
    while run and run[0].lower() in _EN_NAME_CONNECTORS:
        run.pop(0)
    name = " ".join(run).strip(" ,;")
    return name if name and len(run) <= 12 and _looks_like_name(name) else None


def _merge(found: list[Candidate[Party]]) -> list[Candidate[Party]]:
    by_name: dict[str, Candidate[Party]] = {}
    roles: dict[str, list[str]] = {}
    for candidate in found:
        key = _key(candidate.value.name)
        if candidate.value.role:
            roles.setdefault(key, [])
            for role in candidate.value.role.split("/"):
                if role not in roles[key]:
                    roles[key].append(role)
        current = by_name.get(key)
        if current is None or candidate.confidence > current.confidence:
            by_name[key] = candidate
    merged = [
        Candidate(Party(c.value.name, "/".join(roles.get(key, [])) or None), c.confidence, c.evidence, c.start)
        for key, c in by_name.items()
    ]
    return sorted(merged, key=lambda c: (-c.confidence, c.start))


def _key(name: str) -> str:
    return re.sub(r"[\s,.;:'\"“”()（）]+", "", name).casefold()
