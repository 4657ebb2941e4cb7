"""indexer.render with the real LibreOffice on real documents, plus the parts that need a
misbehaving converter (a hanging one, to prove the timeout kills its whole process group)."""

from __future__ import annotations

import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from indexer.extract import extract
from indexer.render import (
    ConverterMissing,
    RenderDisabled,
    RenderFailed,
    RenderOptions,
    RenderReason,
    pdf_page_texts,
    render_pdf,
    repaginate,
)
from indexer.render.pages import page_starts
from tests.paths import require_corpus
from tests.samples import doc_bytes, odt_bytes, rtf_bytes
from tests.word_contracts import MALFORMED_DOC, contract_docx, require_soffice

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def options(tmp_path: Path) -> RenderOptions:
    require_soffice()
    return RenderOptions(work_dir=tmp_path / "work")


def _compact(text: str) -> str:
    return "".join(text.split())


def test_a_chinese_word_contract_becomes_a_pdf_with_its_text(tmp_path: Path, options: RenderOptions) -> None:
    source = tmp_path / "借款 合同.docx"
    original = contract_docx(repeat=2, last_line="附加约定：乙方须遵守琥珀计划的保密要求。")
    source.write_bytes(original)
    pdf = render_pdf(source, tmp_path / "out", options)
    assert pdf.name == "借款 合同.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    pages = pdf_page_texts(pdf)
    assert len(pages) >= 2
    assert "城市土地开发和商品房借款合同" in _compact(pages[0])
    assert "琥珀计划" in _compact(pages[-1]) and "琥珀计划" not in _compact(pages[0])
    assert source.read_bytes() == original  # the source is only read


def _odt_made_by_libreoffice(tmp_path: Path, docx: Path) -> Path:
    """A real ODT: the DOCX saved as ODT by LibreOffice itself."""
    program = require_soffice()
    profile = (tmp_path / "odt-profile").as_uri()
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return tmp_path / f"{docx.stem}.odt"


@pytest.mark.parametrize("kind", ["odt", "rtf", "doc"])
def test_odt_rtf_and_doc_render(tmp_path: Path, options: RenderOptions, kind: str) -> None:
    if kind == "odt":
        docx = tmp_path / "contract.docx"
        docx.write_bytes(contract_docx())
        source, expected = _odt_made_by_libreoffice(tmp_path, docx), "城市土地开发和商品房借款合同"
    elif kind == "rtf":
        source, expected = tmp_path / "contract.rtf", "PactumRTFcontractclause"
        source.write_bytes(rtf_bytes("Pactum RTF contract clause"))
    else:
        source = tmp_path / "contract.doc"  # a real Word 97–2003 file of the corpus
        source.write_bytes(doc_bytes())
        expected = _compact(extract(source, "application/msword").text)[:8]
    pages = pdf_page_texts(render_pdf(source, tmp_path / "out", options))
    assert expected in _compact(pages[0])


def test_an_odt_without_its_manifest_fails_with_a_sentence(tmp_path: Path, options: RenderOptions) -> None:
    source = tmp_path / "bare.odt"
    source.write_bytes(odt_bytes())  # content.xml only: LibreOffice refuses it
    with pytest.raises(RenderFailed, match="LibreOffice could not read the document"):
        render_pdf(source, tmp_path / "out", options)


def test_a_malformed_word_file_fails_with_a_sentence(tmp_path: Path, options: RenderOptions) -> None:
    source = require_corpus(*MALFORMED_DOC)
    with pytest.raises(RenderFailed) as failure:
        render_pdf(source, tmp_path / "out", options)
    assert failure.value.reason is RenderReason.UNREADABLE
    assert "LibreOffice could not read the document" in str(failure.value)
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_missing_converter_and_switched_off(tmp_path: Path) -> None:
    source = tmp_path / "a.rtf"
    source.write_bytes(rtf_bytes())
    with pytest.raises(ConverterMissing, match=r"LibreOffice \(/nowhere/soffice\) is not installed"):
        render_pdf(source, tmp_path, RenderOptions(soffice="/nowhere/soffice"))
    with pytest.raises(RenderDisabled):
        render_pdf(source, tmp_path, RenderOptions(converter="off"))


def _hanging_soffice(tmp_path: Path, pid_file: Path) -> Path:
    """A converter that starts a grandchild (as soffice starts soffice.bin) and never finishes."""
    script = tmp_path / "hanging-soffice"
    script.write_text(f'#!/bin/sh\nsleep 300 &\necho $! > "{pid_file}"\nsleep 300\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_conversion_past_its_timeout_is_killed_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    source = tmp_path / "a.rtf"
    source.write_bytes(rtf_bytes())
    options = RenderOptions(soffice=str(_hanging_soffice(tmp_path, pid_file)), timeout_seconds=1, work_dir=tmp_path)
    started = time.monotonic()
    with pytest.raises(RenderFailed) as failure:
        render_pdf(source, tmp_path / "out", options)
    assert failure.value.reason is RenderReason.TIMEOUT
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the converter's child process outlived the timeout"


def _recording_soffice(tmp_path: Path, log: Path) -> Path:
    """A converter that notes when it starts and ends and writes a small PDF."""
    script = tmp_path / "recording-soffice"
    body = (
        "#!/bin/sh\n"
        f'echo "start $(date +%s.%N)" >> "{log}"\n'
        "sleep 0.5\n"
        'for last; do :; done\nout=""\nprev=""\n'
        'for arg; do [ "$prev" = "--outdir" ] && out="$arg"; prev="$arg"; done\n'
        'mkdir -p "$out"\nname=$(basename "$last")\n'
        'printf "%%PDF-1.4\\n%0150d\\n" 0 > "$out/${name%.*}.pdf"\n'
        f'echo "end $(date +%s.%N)" >> "{log}"\n'
    )
    script.write_text(body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_at_most_the_configured_number_of_conversions_run_at_once(tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    source = tmp_path / "a.rtf"
    source.write_bytes(rtf_bytes())
    options = RenderOptions(soffice=str(_recording_soffice(tmp_path, log)), max_concurrent=1, work_dir=tmp_path)
    errors: list[RenderFailed] = []

    def convert(number: int) -> None:
        try:
            render_pdf(source, tmp_path / f"out{number}", options)
        except RenderFailed as error:
            errors.append(error)

    threads = [threading.Thread(target=convert, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = [line.split() for line in log.read_text().splitlines()]
    assert [kind for kind, _ in events] == ["start", "end"] * 3, events  # never two at once


def test_repaginate_moves_the_page_starts_to_the_renditions_pages(tmp_path: Path, options: RenderOptions) -> None:
    source = tmp_path / "contract.docx"
    source.write_bytes(contract_docx(repeat=3, last_line="附加约定：乙方须遵守琥珀计划的保密要求。"))
    native = extract(source, DOCX)
    page_texts = pdf_page_texts(render_pdf(source, tmp_path / "out", options))
    assert native.page_count == 1 < len(page_texts)
    paged = repaginate(native, page_texts)
    assert paged.page_count == len(page_texts)
    assert _compact(paged.text.replace("\f", "")) == _compact(native.text)  # the same text, cut elsewhere
    for index, rendered in enumerate(page_texts):
        # each page begins with what the rendered page begins with
        assert _compact(rendered)[:12] in _compact(paged.page_text(index))[:40]
    last = paged.page_count - 1
    assert "琥珀计划" in paged.page_text(last)


def test_pages_that_cannot_be_matched_keep_the_extractors_pages() -> None:
    assert page_starts("甲方乙方合同条款一二三四五六七八九十", ["甲方乙方", "完全不同的另一份文件内容在这里"]) is None
    assert page_starts(
        "第一页的内容很长很长。第二页从这里开始，继续写下去。",
        ["第一页的内容很长很长。", "第二页从这里开始，继续写下去。"],
    ) == [0, 11]


def test_a_short_last_page_is_found_whole() -> None:
    text = "第一条 借款金额。\\n签约地点：上海。\\n附件：担保书。\\n签约地点："
    assert page_starts(text.replace("\\n", "\n"), ["第一条借款金额。签约地点：上海。附件：担保书。", "签约地点："]) == [
        0,
        27,
    ]
