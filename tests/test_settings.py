"""Settings: the only reader of the environment, every one documented in docs/configuration.md (and
nothing documented there that is not one), and the font and segmenter settings checked at start
and handed to the libraries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from indexer.text.segment import segmenter_name, use_segmenter
from repo_app import create_app
from repo_app.core.settings import ConfigError, Settings, env_var_name, load_settings

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION_DOC = ROOT / "docs" / "configuration.md"
#: Code that may read the environment besides Settings, and why.
OTHER_ENVIRONMENT_READERS = {
    "repo_app/__init__.py": "the terminal's language (LANG, LC_*) for command-line messages",
    "indexer/extract/ocr.py": "a copy of the environment for the Tesseract child process",
    "indexer/render/libreoffice.py": "a copy of the environment for the LibreOffice child process",
}


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    documented = set(re.findall(r"\bPACTUM_[A-Z0-9_]+", CONFIGURATION_DOC.read_text(encoding="utf-8")))
    settings = {env_var_name(item.name) for item in fields(Settings)}
    assert sorted(settings - documented) == [], "undocumented settings: add them to docs/configuration.md"
    assert sorted(documented - settings) == [], "documented in docs/configuration.md, but no such setting"


def test_only_settings_read_the_environment() -> None:
    readers = set()
    for package in ("repo_app", "indexer", "signer", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            if re.search(r"\bos\.environ\b|\bgetenv\b|from os import .*\benviron\b", path.read_text(encoding="utf-8")):
                readers.add(path.relative_to(ROOT).as_posix())
    assert readers == {"repo_app/core/settings.py", *OTHER_ENVIRONMENT_READERS}


def test_the_segmenter_setting_is_checked_and_goes_to_the_search_options() -> None:
    assert load_settings(environ={}).search_options["segmenter"] == "rjieba"
    assert load_settings(environ={"PACTUM_SEGMENTER": "jieba"}).search_options["segmenter"] == "jieba"
    with pytest.raises(ConfigError, match="PACTUM_SEGMENTER must be one of rjieba, jieba, not 'thulac'"):
        load_settings(environ={"PACTUM_SEGMENTER": "thulac"})


def test_the_font_setting_must_name_a_file(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"checked when a PDF is made")
    assert load_settings(environ={"PACTUM_CJK_FONT": str(font)}).cjk_font == str(font)
    assert load_settings(environ={}).cjk_font == ""
    with pytest.raises(ConfigError, match="PACTUM_CJK_FONT names no font file"):
        load_settings(environ={"PACTUM_CJK_FONT": str(tmp_path / "missing.ttf")})


@pytest.fixture
def keep_the_process_segmenter() -> Iterator[None]:
    chosen = segmenter_name()
    yield
    use_segmenter(chosen)


def test_the_app_segments_with_the_configured_segmenter(
    keep_the_process_segmenter: None, app_config: dict[str, Any]
) -> None:
    create_app({**app_config, "segmenter": "jieba"})
    assert segmenter_name() == "jieba"
    create_app(app_config)
    assert segmenter_name() == "rjieba"


def test_the_ocr_engine_setting_is_checked_and_goes_to_the_extraction(app_config: dict[str, Any]) -> None:
    from repo_app.search.pipeline import extract_options

    assert load_settings(environ={}).ocr_engine == "auto"
    with pytest.raises(ConfigError, match="PACTUM_OCR_ENGINE must be one of auto, rapidocr, tesseract, not 'paddle'"):
        load_settings(environ={"PACTUM_OCR_ENGINE": "paddle"})
    with pytest.raises(ConfigError, match="PACTUM_OCR_THREADS must be positive"):
        load_settings(environ={"PACTUM_OCR_THREADS": "0"})
    app = create_app({**app_config, "ocr_engine": "tesseract", "ocr_threads": 2})
    with app.app_context():
        options = extract_options()
    assert options.ocr_engine == "tesseract" and options.ocr_threads == 2
