"""Fixture documents for the search tests: hand-written contracts with known
answers, plus real texts from the shared corpus (Chinese model contracts and
English CUAD contracts) with metadata assigned deterministically, and an
oracle that answers queries by scanning the raw text."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from indexer.search import IndexDocument, SearchFilters
from indexer.search.schema import StoredDoc, scope_text
from indexer.text import contains_phrase, normalize_for_match, query_words
from tests.paths import CORPUS

ZH = CORPUS / "zh_contract_templates_yh"
CUAD = CORPUS / "cuad"
ME = ("all", "user:1", "dept:1")  # the default caller's principals
SECRET_ID = 5


def _pages(text: str, size: int = 1500) -> tuple[int, ...]:
    return tuple(range(0, max(len(text), 1), size))


def _d(id: int, title: str, text: str, **kw: object) -> IndexDocument:
    kw.setdefault("created", datetime(2024, 1, 1) + timedelta(hours=id))
    kw.setdefault("principals", ("all",))
    return IndexDocument(id=id, title=title, text=text, **kw)  # type: ignore[arg-type]


ZH_NDA = (
    "保密协议\n\n甲方：华为技术有限公司\n乙方：上海某某咨询有限公司\n\n"
    "第一条 保密信息\n甲方向乙方披露的技术资料、经营信息均属保密信息。乙方应当严格保密，"
    "未经甲方书面同意不得向任何第三方披露。\n"
    "第二条 违约责任\n乙方违反本协议约定的，应当向甲方支付违约金人民币伍拾万元，并赔偿甲方因此遭受的全部损失。\n"
)
ZH_NDA_PAGE2 = "第三条 其他\n本协议一式两份，双方各执一份，具有同等法律效力。本协议自双方签字盖章之日起生效。\n"

DOCS: list[IndexDocument] = [
    _d(
        1,
        "保密协议",
        ZH_NDA + ZH_NDA_PAGE2,
        page_offsets=(0, len(ZH_NDA)),
        contract_number="HT-2024-001",
        contract_type="保密协议",
        status="active",
        counterparties=("华为技术有限公司",),
        tags=("NDA", "保密"),
        department="法务部",
        owner="user:1",
        signed_date=date(2024, 1, 15),
        effective_date=date(2024, 1, 15),
        expiry_date=date(2026, 1, 14),
    ),
    _d(
        2,
        "Mutual Non-Disclosure Agreement",
        "MUTUAL NON-DISCLOSURE AGREEMENT\nThe parties wish to protect Confidential Information. "
        "Each party shall maintain the confidentiality of the other party's information and shall not "
        "disclose it. Payment terms: fees are due within 30 days. Notices may be sent by e-mail.",
        contract_number="NDA-7",
        contract_type="NDA",
        status="active",
        counterparties=("Acme Corporation",),
        tags=("NDA", "English"),
        department="Legal",
        owner="user:2",
        amount=Decimal("5000.00"),
        currency="USD",
        signed_date=date(2023, 6, 1),
        expiry_date=date(2025, 5, 31),
    ),
    _d(
        3,
        "设备采购合同",
        "设备采购合同\n买方：深圳星辰科技有限公司\n卖方应在交货后十日内开具增值税专用\n发票，税率为13%。"
        "货款在收到增值税专用发票后三十日内支付。逾期付款的，买方应承担违约责任。",
        contract_number="CG-2024-018",
        contract_type="采购合同",
        status="active",
        counterparties=("深圳星辰科技有限公司", "北京物流有限公司"),
        tags=("采购", "增值税"),
        department="采购部",
        owner="user:3",
        amount=Decimal("1000000.00"),
        currency="CNY",
        signed_date=date(2024, 3, 1),
        principals=("dept:1",),
    ),
    _d(
        4,
        "软件许可协议 Software License",
        "软件许可协议 SOFTWARE LICENSE AGREEMENT\n许可方授予被许可方非独占的软件使用许可。"
        "Licensee shall keep the Software confidential. 知识产权归许可方所有。",
        contract_number="LIC-2022-3",
        contract_type="许可协议",
        status="expired",
        counterparties=("微软（中国）有限公司",),
        tags=("软件", "IP"),
        department="信息部",
        owner="user:1",
        amount=Decimal("20000.50"),
        currency="CNY",
        signed_date=date(2022, 5, 10),
        expiry_date=date(2023, 5, 9),
    ),
    _d(
        SECRET_ID,
        "机密保密协议",
        "本机密保密协议涉及并购事项。甲方与乙方同意对并购信息严格保密。违约责任由乙方承担。",
        contract_number="SEC-1",
        contract_type="保密协议",
        status="active",
        counterparties=("秘密资本公司",),
        tags=("NDA", "机密"),
        department="董事会",
        owner="user:99",
        amount=Decimal("999999999.00"),
        signed_date=date(2024, 2, 2),
        expiry_date=date(2030, 1, 1),
        principals=("user:99",),
    ),
    _d(
        6,
        "劳动合同",
        "劳动合同\n甲方（用人单位）与乙方（劳动者）依法订立本合同。试用期为三个月。",
        contract_number="LD-0006",
        contract_type="劳动合同",
        status="draft",
        counterparties=("张三",),
        tags=("人事",),
        department="人事部",
        owner="user:4",
        expiry_date=date(2027, 12, 31),
        principals=("role:hr", "all"),
    ),
    _d(
        7,
        "房屋租赁合同",
        "房屋租赁合同\n本合同具有同等法律，效力由双方确认。租金须开具增值税，专用发票另行约定。"
        "<script>alert('x')</script> A&B 公司",
        contract_number="ZL-2024-07",
        contract_type="租赁合同",
        status="active",
        counterparties=("北京物流有限公司",),
        tags=("租赁",),
        department="行政部",
        owner="user:1",
        amount=Decimal("5000.00"),
        currency="CNY",
        signed_date=date(2024, 12, 31),
        expiry_date=date(2025, 12, 31),
    ),
    _d(
        8,
        "Services Agreement",
        "SERVICES AGREEMENT. The Provider shall deliver the services. PAYMENT TERMS are set out in Exhibit A. "
        "Any dispute shall be settled by arbitration.",
        contract_number="SA-8",
        contract_type="Services",
        status="terminated",
        counterparties=("Globex Inc.",),
        tags=("English", "services"),
        department="Legal",
        owner="user:2",
        amount=Decimal("5000.01"),
        currency="USD",
        signed_date=date(2025, 1, 1),
        expiry_date=None,
    ),
]


def _zh_docs(limit: int) -> list[IndexDocument]:
    if not ZH.is_dir():
        return []
    categories = dict(
        row
        for row in csv.reader((ZH / "categories.tsv").open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE)
    )
    rows = list(csv.DictReader((ZH / "index.tsv").open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    out: list[IndexDocument] = []
    for row in rows[::7]:
        path = ZH / "txt" / row["path"]
        if not path.is_file() or int(row["chars"]) > 6000:
            continue
        i = len(out)
        text = path.read_text(encoding="utf-8")
        category = categories.get(row["path"].split("/")[1], "其他")
        out.append(
            _d(
                1000 + i,
                row["title"],
                text,
                page_offsets=_pages(text),
                contract_number=f"ZH-{i:04d}",
                contract_type=category,
                status=("active", "draft", "expired")[i % 3],
                tags=(category, ("模板", "示范")[i % 2]),
                counterparties=(f"示范单位{i % 5}",),
                department=f"部门{i % 4}",
                amount=None if i % 5 == 0 else Decimal(i * 1000) + Decimal("0.25"),
                signed_date=None if i % 6 == 0 else date(2016 + i % 8, 1 + i % 12, 1 + i % 28),
                expiry_date=None if i % 4 == 0 else date(2026 + i % 5, 1 + i % 12, 1 + i % 28),
                principals=("dept:9",) if i % 9 == 4 else ("all",),
            )
        )
        if len(out) >= limit:
            break
    return out


def _cuad_manifest() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    with (CUAD / "manifest.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if (row.get("txt_path") or "").startswith("full_contract_txt/"):
                rows[row["txt_path"].split("/", 1)[1]] = row
    return rows


def _cuad_docs(limit: int) -> list[IndexDocument]:
    if not CUAD.is_dir():
        return []
    manifest = _cuad_manifest()
    out: list[IndexDocument] = []
    for path in sorted((CUAD / "full_contract_txt").glob("*.txt")):
        if not 3000 <= path.stat().st_size <= 20000:
            continue
        i = len(out)
        row = manifest.get(path.name, {})
        text = path.read_text(encoding="utf-8", errors="replace")
        parties = tuple(p.split("(")[0].strip() for p in (row.get("parties") or "").split(";") if p.strip())[:3]
        title = (row.get("document_name") or path.stem).title()
        out.append(
            _d(
                2000 + i,
                title,
                text,
                page_offsets=_pages(text),
                contract_number=f"CUAD-{i}",
                contract_type="CUAD",
                status=("active", "expired")[i % 2],
                counterparties=parties,
                tags=("English", "CUAD"),
                department="Legal",
                amount=Decimal(10 ** (i % 6)),
                signed_date=date(2000 + i, 6, 1),
                principals=("all",) if i % 5 else ("dept:9",),
            )
        )
        if len(out) >= limit:
            break
    return out


def all_docs(zh: int = 36, cuad: int = 8) -> list[IndexDocument]:
    return DOCS + _zh_docs(zh) + _cuad_docs(cuad)


# -- the oracle ------------------------------------------------------------------------------------


def visible(doc: IndexDocument, principals: Iterable[str] = ME) -> bool:
    return bool(set(doc.principals) & set(principals))


def scope(doc: IndexDocument) -> str:
    return normalize_for_match(scope_text(StoredDoc.of(doc), "all"))


def has_phrase(doc: IndexDocument, phrase: str) -> bool:
    return contains_phrase(scope(doc), normalize_for_match(phrase))


def has_all_words(doc: IndexDocument, text: str) -> bool:
    """Unquoted words: each analysed word occurs (Chinese as a substring)."""
    return all(contains_phrase(scope(doc), tok) for _, tok in query_words(text))


def ids(docs: Iterable[IndexDocument], principals: Iterable[str] = ME) -> set[int]:
    return {d.id for d in docs if visible(d, principals)}


def matches_filters(doc: IndexDocument, f: SearchFilters) -> bool:
    def any_of(values: tuple[str, ...], have: Iterable[str | None]) -> bool:
        return not values or bool(set(values) & {h for h in have if h})

    checks = [
        any_of(f.contract_type, [doc.contract_type]),
        any_of(f.status, [doc.status]),
        any_of(f.tag, doc.tags),
        any_of(f.counterparty, doc.counterparties),
        any_of(f.department, [doc.department]),
        any_of(f.owner, [doc.owner]),
    ]
    ranges = (
        (f.amount_min, f.amount_max, doc.amount),
        (f.signed_from, f.signed_to, doc.signed_date),
        (f.expiry_from, f.expiry_to, doc.expiry_date),
    )
    for lo, hi, value in ranges:
        if lo is not None or hi is not None:
            checks.append(value is not None and (lo is None or value >= lo) and (hi is None or value <= hi))
    return all(checks)


def facet_oracle(docs: Iterable[IndexDocument]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {
        k: Counter() for k in ("contract_type", "status", "tags", "department", "counterparty", "year")
    }
    for d in docs:
        if d.contract_type:
            out["contract_type"][d.contract_type] += 1
        out["status"][d.status] += 1
        out["tags"].update(set(d.tags))
        if d.department:
            out["department"][d.department] += 1
        out["counterparty"].update(set(d.counterparties))
        if d.signed_date:
            out["year"][str(d.signed_date.year)] += 1
    return out
