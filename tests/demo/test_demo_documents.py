"""Demo contracts: the documents, their text layer, their metadata, and the helpers behind them."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from demo import build as build_module
from demo.build import DemoContract, build_demo_contracts
from demo.catalog import DEMO_SPECS
from demo.compose import compose, contract_dates
from demo.formatting import (
    amount_in_chinese_capitals,
    capital_number,
    chinese_ordinal,
    format_date,
    format_figures,
    format_money_in_words_zh,
)
from demo.model import CONTRACT_TYPES, CURRENCIES
from demo.render_pdf import FONT_NAME, apply_line_break_rules, register_cjk_font, render_pdf
from signer.fonts import find_cjk_font
from tests.fonts import make_font

TODAY = date(2025, 6, 1)
METADATA_KEYS = {
    "title", "contract_number", "contract_type", "counterparties", "amount", "currency",
    "signed_date", "effective_date", "expiry_date", "department", "tags",
}  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")
PDF_INDEXES = [i for i, spec in enumerate(DEMO_SPECS) if spec.format == "pdf"]
DOCX_INDEXES = [i for i, spec in enumerate(DEMO_SPECS) if spec.format == "docx"]


def _ids(indexes: list[int]) -> list[str]:
    return [DEMO_SPECS[i].number_code for i in indexes]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install poppler-utils (scripts/bootstrap.sh does)")
    return path


def _squash(text: str) -> str:
    """Drop all whitespace: line wrapping may split a name or a date across lines."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def contracts() -> list[DemoContract]:
    return build_demo_contracts(TODAY)


@pytest.fixture(scope="module")
def pdf_dir(contracts: list[DemoContract], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-pdf")
    for index in PDF_INDEXES:
        (folder / f"{index}.pdf").write_bytes(contracts[index].content)
    return folder


def _pdftotext(pdf: Path) -> str:
    result = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _docx_text(content: bytes) -> str:
    word = Document(BytesIO(content))
    parts = [paragraph.text for paragraph in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    parts += [paragraph.text for section in word.sections for paragraph in section.header.paragraphs]
    return "\n".join(parts)


def _expected_snippets(index: int, contract: DemoContract) -> list[str]:
    """What every document must say: parties, number, amount and dates from its metadata."""
    meta = contract.metadata
    language = DEMO_SPECS[index].language
    amount = Decimal(str(meta["amount"]))
    counterparties = meta["counterparties"]
    assert isinstance(counterparties, list)
    snippets = [*map(str, counterparties), str(meta["contract_number"]), format_figures(amount)]
    snippets += [
        format_date(date.fromisoformat(str(meta[key])), language)
        for key in ("signed_date", "effective_date", "expiry_date")
    ]
    if language == "zh":
        snippets.append(format_money_in_words_zh(amount, str(meta["currency"])))
    return snippets


# ---------------------------------------------------------------------- the set


def test_twelve_contracts_in_the_intended_mix(contracts: list[DemoContract]) -> None:
    assert len(contracts) == 12
    formats = [c.filename.rsplit(".", 1)[1] for c in contracts]
    assert formats.count("pdf") == 8 and formats.count("docx") == 4
    languages = [spec.language for spec in DEMO_SPECS]
    assert languages.count("zh") == 8 and languages.count("en") == 4
    for contract, language in zip(contracts, languages, strict=True):
        assert bool(CJK.search(contract.filename)) == (language == "zh"), contract.filename
    assert len({c.filename for c in contracts}) == 12
    assert len({c.metadata["contract_number"] for c in contracts}) == 12
    assert {c.metadata["contract_type"] for c in contracts} == set(CONTRACT_TYPES)


def test_file_names_match_content(contracts: list[DemoContract]) -> None:
    for contract in contracts:
        magic = b"%PDF-" if contract.filename.endswith(".pdf") else b"PK\x03\x04"
        assert contract.content.startswith(magic), contract.filename


def test_metadata_is_valid(contracts: list[DemoContract]) -> None:
    for contract in contracts:
        meta = contract.metadata
        assert set(meta) == METADATA_KEYS
        assert json.loads(json.dumps(meta, ensure_ascii=False)) == meta
        assert meta["contract_type"] in CONTRACT_TYPES
        assert meta["currency"] in CURRENCIES
        amount = Decimal(str(meta["amount"]))
        assert amount > 0 and amount.as_tuple().exponent == -2
        signed, effective, expiry = (
            date.fromisoformat(str(meta[key])) for key in ("signed_date", "effective_date", "expiry_date")
        )
        assert signed <= effective < expiry
        for key in ("title", "contract_number", "department"):
            assert isinstance(meta[key], str) and meta[key]
        for key in ("counterparties", "tags"):
            values = meta[key]
            assert isinstance(values, list) and values and all(isinstance(v, str) and v for v in values)


def test_same_day_gives_same_contracts(contracts: list[DemoContract]) -> None:
    assert build_demo_contracts(TODAY) == contracts


def test_default_day_is_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "render_pdf", lambda document, font_path: b"")
    monkeypatch.setattr(build_module, "render_docx", lambda document: b"")
    expected = build_module.build_demo_contracts(date.today())
    assert build_module.build_demo_contracts() == expected


@pytest.mark.parametrize("today", [TODAY, date(2024, 2, 29), date(2031, 12, 31)])
def test_dates_spread_around_today(today: date) -> None:
    days_left = [(contract_dates(spec, today).expiry - today).days for spec in DEMO_SPECS]
    assert sum(d < 0 for d in days_left) >= 3  # expired
    assert sum(0 <= d <= 30 for d in days_left) >= 2  # expiring within 30 days
    assert sum(30 < d <= 90 for d in days_left) >= 2  # within 90 days
    assert sum(d > 365 for d in days_left) >= 4  # in force for years


# ----------------------------------------------------------------------- PDFs


@pytest.mark.parametrize("index", PDF_INDEXES, ids=_ids(PDF_INDEXES))
def test_pdf_text_layer_has_the_metadata(index: int, contracts: list[DemoContract], pdf_dir: Path) -> None:
    contract = contracts[index]
    text = _pdftotext(pdf_dir / f"{index}.pdf")
    squashed = _squash(text)
    for snippet in _expected_snippets(index, contract):
        assert _squash(snippet) in squashed, snippet
    assert _squash(str(contract.metadata["title"])) in squashed
    assert "\ufffd" not in text
    if DEMO_SPECS[index].language == "zh":
        assert "第一条" in text and "甲方" in text and "（以下无正文）" in text


@pytest.mark.parametrize("index", PDF_INDEXES, ids=_ids(PDF_INDEXES))
def test_pdf_has_2_to_4_pages_and_only_embedded_fonts(index: int, pdf_dir: Path) -> None:
    pdf = pdf_dir / f"{index}.pdf"
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 2 <= pages <= 4
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        embedded = re.search(r"\s(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+\s*$", row)
        assert embedded and embedded.group(1) == "yes", row


def test_every_placeholder_is_filled() -> None:
    for spec in DEMO_SPECS:
        document = compose(spec, contract_dates(spec, TODAY))
        # the footer's {page}/{total} are filled in by the renderers
        text = document.plain_text().replace(document.footer_template, "")
        assert "{" not in text and "}" not in text, spec.title


def test_chinese_line_break_rules() -> None:
    register_cjk_font()
    lines = [(0.0, ["仲裁裁决是终局的（"]), (5.0, ["）。对双方均有约束力"]), (30.0, ["，完"])]
    fixed = apply_line_break_rules(lines, FONT_NAME, 10)
    assert [text for _, [text] in fixed] == ["仲裁裁决是终局的", "（）。对双方均有约束力，", "完"]
    assert fixed[0][0] == pytest.approx(10.0)  # "（" moved down: 10pt more spare room
    assert fixed[2][0] == pytest.approx(40.0)  # "，" moved up


def test_pdf_refuses_characters_missing_from_the_font() -> None:
    spec = DEMO_SPECS[PDF_INDEXES[0]]
    document = compose(spec, contract_dates(spec, TODAY))
    with pytest.raises(ValueError, match="no glyph"):
        render_pdf(replace(document, title=document.title + "\U0001f4dc"))


# ----------------------------------------------------------------------- DOCX


@pytest.mark.parametrize("index", DOCX_INDEXES, ids=_ids(DOCX_INDEXES))
def test_docx_opens_and_has_the_metadata(index: int, contracts: list[DemoContract]) -> None:
    contract = contracts[index]
    squashed = _squash(_docx_text(contract.content))
    for snippet in _expected_snippets(index, contract):
        assert _squash(snippet) in squashed, snippet


@pytest.mark.parametrize("index", DOCX_INDEXES, ids=_ids(DOCX_INDEXES))
def test_docx_structure_and_east_asian_fonts(index: int, contracts: list[DemoContract]) -> None:
    word = Document(BytesIO(contracts[index].content))
    headings = [p for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert len(headings) >= 5
    assert word.tables and len(word.tables[0].rows) >= 3  # price schedule
    assert word.core_properties.title == contracts[index].metadata["title"]
    if DEMO_SPECS[index].language == "zh":
        chinese_runs = [run for p in word.paragraphs for run in p.runs if CJK.search(run.text)]
        assert chinese_runs
        for run in chinese_runs:
            fonts = run._r.rPr.rFonts  # type: ignore[union-attr]
            assert fonts is not None and fonts.get(qn("w:eastAsia")) in {"宋体", "黑体"}, run.text


# -------------------------------------------------------------------- amounts


@pytest.mark.parametrize(("amount", "capitals"), [
    ("0", "零元整"),
    ("0.5", "伍角整"),
    ("0.05", "伍分"),
    ("1.05", "壹元零伍分"),
    ("10", "壹拾元整"),
    ("10.20", "壹拾元贰角整"),
    ("100.05", "壹佰元零伍分"),
    ("1010", "壹仟零壹拾元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10050.25", "壹万零伍拾元贰角伍分"),
    ("100000", "壹拾万元整"),
    ("984600.00", "玖拾捌万肆仟陆佰元整"),
    ("1280000", "壹佰贰拾捌万元整"),
    ("10000010", "壹仟万零壹拾元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("3000000000000", "叁万亿元整"),
])  # fmt: skip
def test_amount_in_chinese_capitals(amount: str, capitals: str) -> None:
    assert amount_in_chinese_capitals(Decimal(amount)) == capitals


@pytest.mark.parametrize("amount", ["-1", "0.001", "NaN", "1E16"])
def test_amount_in_chinese_capitals_rejects(amount: str) -> None:
    with pytest.raises(ValueError):
        amount_in_chinese_capitals(Decimal(amount))


def test_amount_words_carry_the_currency() -> None:
    assert format_money_in_words_zh(Decimal("1280000.00"), "CNY") == "人民币壹佰贰拾捌万元整"
    assert format_figures(Decimal(1280000)) == "1,280,000.00"


def test_numbers_and_dates_in_words() -> None:
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    assert [capital_number(n) for n in (0, 4, 6, 10)] == ["零", "肆", "陆", "壹拾"]
    with pytest.raises(ValueError):
        chinese_ordinal(0)
    assert format_date(date(2025, 3, 1), "zh") == "2025年3月1日"
    assert format_date(date(2025, 3, 1), "en") == "1 March 2025"


# ------------------------------------------------------------------ boundaries


def _imports(source: Path) -> list[tuple[int, str]]:
    """(relative level, module) for every import statement in *source*."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
        elif isinstance(node, ast.Import):
            found += [(0, alias.name) for alias in node.names]
    return found


def test_generator_stays_out_of_the_web_app() -> None:
    """The generator (build.py and what it imports) produces bytes + metadata only:
    no Flask, no database, nothing from repo_app (only loader.py and cli.py use the app)."""
    package = Path(build_module.__file__).parent
    pending, seen = ["build"], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for level, module in _imports(package / f"{name}.py"):
            assert level <= 1, f"{name}.py imports from outside the demo package"
            if level == 1:
                pending.append(module.split(".")[0])
            else:
                assert module.split(".")[0] not in {"flask", "flask_login", "sqlalchemy", "repo_app"}, name
    assert {"catalog", "compose", "render_pdf", "render_docx"} <= seen


# ---------------------------------------------------------------------- fonts


def test_pdfs_embed_the_font_signer_fonts_finds() -> None:
    font = register_cjk_font()
    assert font.face.filename == find_cjk_font(truetype_only=True).path
    assert all(ord(char) in font.face.charToGlyph for char in "合同甲乙方壹贰元整¥（）：Aa1,.")


def test_pdfs_embed_the_font_they_are_given(tmp_path: Path) -> None:
    """In a process of its own: reportlab's font registry is global, and this font is not the default."""
    font = make_font(tmp_path / "too-small.ttf", name="PactumTooSmall")
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from demo.build import build_demo_contracts\n"
        "build_demo_contracts(date(2025, 6, 1), font_path=sys.argv[1])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(font)], capture_output=True, text=True)
    assert done.returncode != 0
    assert "PactumTooSmall" in done.stderr and "has no glyph for" in done.stderr


def test_expiry_offsets_are_relative_to_today() -> None:
    spec = DEMO_SPECS[0]
    later = TODAY + timedelta(days=100)
    assert contract_dates(spec, later).expiry - contract_dates(spec, TODAY).expiry == timedelta(days=100)
