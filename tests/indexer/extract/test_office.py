"""DOCX and ODT read natively, DOC and RTF through the native Tika worker, plain text decoding."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from indexer.extract import PAGE_SEPARATOR, ExtractionFailed, ExtractOptions, FailureReason, extract
from tests.indexer.extract.conftest import DATA, DOCX, ODT

BODY_LINES = (
    "合同编号：PCT-2025-0301",
    "出租方（甲方）：北京星河置业有限公司",
    "月租金为人民币壹拾万元整（¥100,000.00）。",
    "by and between Alpha Ltd. and Beta Inc.",
    "双方签字盖章后生效。",
)
TABLE_CELLS = ("押金 Deposit", "200,000元", "USD 1,000")


def test_docx_body_tables_headers_footers_and_pages() -> None:
    result = extract(DATA / "lease.docx", DOCX)
    assert result.extractor == "docx"
    for line in BODY_LINES + TABLE_CELLS:
        assert line in result.text
    assert "押金 Deposit\t200,000元" in result.text  # a table row stays on one line
    assert result.text.startswith("页眉 Pactum Header 测试")
    assert result.text.endswith("页脚 Confidential Footer")
    assert result.page_count == 2 == len(result.page_offsets)
    assert result.page_text(1).startswith("第二条")
    assert result.text[result.page_offsets[1] - len(PAGE_SEPARATOR) : result.page_offsets[1]] == PAGE_SEPARATOR
    assert result.language == "zh" and result.ocr_pages == 0 and result.warnings == ()


def test_odt_native_with_headers_and_forced_page_break() -> None:
    result = extract(DATA / "lease.odt", ODT)
    assert result.extractor == "odt"
    for line in BODY_LINES + TABLE_CELLS:
        assert line in result.text
    assert "页眉 Pactum Header 测试" in result.page_text(0)
    assert result.page_count == 2
    assert result.page_text(1).startswith("第二条")


@pytest.mark.parametrize("name, media_type", [("lease.doc", "application/msword"), ("lease.rtf", "text/rtf")])
def test_doc_and_rtf_through_native_tika(name: str, media_type: str) -> None:
    result = extract(DATA / name, media_type)
    assert result.extractor == "tika-native"
    for line in BODY_LINES + TABLE_CELLS:
        assert line in result.text
    assert result.language == "zh"


def _docx_with(tmp_path: Path, document_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    path = tmp_path / "built.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", b"<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>"
        )
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_external_entities_are_never_fetched(tmp_path: Path) -> None:
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY ext SYSTEM "file:///etc/passwd">]><w:document '
        + _W
        + b"><w:body><w:p><w:r><w:t>before &ext; after</w:t></w:r></w:p></w:body></w:document>"
    )
    result = extract(_docx_with(tmp_path, xml), DOCX)
    assert result.text == "before  after"
    assert any("DTD" in warning for warning in result.warnings)


def test_entity_expansion_bomb_fails_fast(tmp_path: Path) -> None:
    laughs = b"".join(
        b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">' % ((i,) + (i - 1,) * 10)
        for i in range(1, 10)
    )
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">'
        + laughs
        + b"]><w:document "
        + _W
        + b"><w:body><w:p><w:r><w:t>a &l9; b</w:t></w:r></w:p></w:body></w:document>"
    )
    # libxml2 refuses the declaration's amplification outright; nothing is ever expanded.
    with pytest.raises(ExtractionFailed) as caught:
        extract(_docx_with(tmp_path, xml), DOCX)
    assert caught.value.reason is FailureReason.MALFORMED
    assert "amplification" in str(caught.value)


def test_corpus_docx_with_external_entity_is_read_safely(corpus: Path) -> None:
    result = extract(corpus / "poi_docx_adversarial/document/ExternalEntityInText.docx", DOCX)
    assert "&testent;" not in result.text
    assert any("DTD" in warning for warning in result.warnings)


def test_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    body = (
        b"<w:document "
        + _W
        + b"><w:body><w:p><w:r><w:t>"
        + b"A" * (50 * 1024 * 1024)
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    path = _docx_with(tmp_path, body)
    assert path.stat().st_size < 200 * 1024  # 50 MB that compresses ~1000×
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, DOCX)
    assert caught.value.reason is FailureReason.TOO_LARGE
    assert "ZIP bomb" in str(caught.value)


def test_declared_size_over_the_cap_is_refused(tmp_path: Path) -> None:
    xml = (
        b"<w:document "
        + _W
        + b"><w:body><w:p><w:r><w:t>"
        + b"word " * 5000
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(ExtractionFailed) as caught:
        extract(_docx_with(tmp_path, xml), DOCX, ExtractOptions(max_uncompressed_bytes=10_000))
    assert caught.value.reason is FailureReason.TOO_LARGE


def test_lying_declared_size_is_caught_while_reading(tmp_path: Path) -> None:
    """A central directory that under-declares a member: the reader stops at the budget anyway."""
    path = _docx_with(tmp_path, b"<w:document " + _W + b"><w:body>" + b"<w:p/>" * 20000 + b"</w:body></w:document>")
    data = bytearray(path.read_bytes())
    # Patch the declared uncompressed size (central directory) of word/document.xml down to 100 bytes.
    name = b"word/document.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, DOCX, ExtractOptions(max_uncompressed_bytes=1000))
    assert caught.value.reason in (FailureReason.TOO_LARGE, FailureReason.MALFORMED)


def test_encrypted_docx_is_reported_as_encrypted(corpus: Path) -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract(corpus / "poi_docx_adversarial/document/bug53475-password-is-pass.docx", DOCX)
    assert caught.value.reason is FailureReason.ENCRYPTED


def test_encrypted_doc_is_reported_as_encrypted(corpus: Path) -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract(corpus / "poi_docx_adversarial/document/PasswordProtected.doc", "application/msword")
    assert caught.value.reason is FailureReason.ENCRYPTED


def test_truncated_docx_is_malformed(corpus: Path) -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract(
            corpus
            / "poi_docx_adversarial/document"
            / "clusterfuzz-testcase-minimized-POIXWPFFuzzer-5313273089884160.docx",
            DOCX,
        )
    assert caught.value.reason is FailureReason.MALFORMED


def test_odt_whose_zip_directory_other_tools_refuse(corpus: Path) -> None:
    result = extract(corpus / "ocr_ocrmypdf_resources/tagged.odt", ODT)
    assert "Document text." in result.text and "Cell 4" in result.text
    assert result.page_count == 2


@pytest.mark.parametrize(
    "encoded",
    [
        "合同 Contract 甲方".encode(),
        b"\xef\xbb\xbf" + "合同 Contract 甲方".encode(),
        "合同 Contract 甲方".encode("utf-16"),
        "合同 Contract 甲方".encode("gb18030"),
    ],
)
def test_text_encodings(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "contract.txt"
    path.write_bytes(encoded)
    result = extract(path, "text/plain; charset=whatever")
    assert result.text == "合同 Contract 甲方"
    assert result.extractor == "text" and result.warnings == ()


def test_text_form_feeds_are_pages_and_bad_bytes_warn(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_bytes(b"page one\r\n\x0cpage two \xff\xfe\xfd\x80 end")
    result = extract(path, "text/plain")
    assert result.page_count == 2
    assert result.page_text(0) == "page one"
    assert result.warnings and "replaced" in result.warnings[0]


def test_unsupported_type_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"data")
    with pytest.raises(ExtractionFailed) as caught:
        extract(path, "application/zip")
    assert caught.value.reason is FailureReason.UNSUPPORTED
    with pytest.raises(FileNotFoundError):
        extract(tmp_path / "missing.pdf", "application/pdf")


def test_extraction_never_modifies_the_input() -> None:
    import hashlib

    before = {name: hashlib.sha256((DATA / name).read_bytes()).hexdigest() for name in ("lease.docx", "lease.doc")}
    extract(DATA / "lease.docx", DOCX)
    extract(DATA / "lease.doc", "application/msword")
    after = {name: hashlib.sha256((DATA / name).read_bytes()).hexdigest() for name in before}
    assert before == after
