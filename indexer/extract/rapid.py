"""RapidOCR (PaddleOCR's PP-OCRv4 models run by onnxruntime) for Chinese page images.

The models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is downloaded at run time.
They are loaded once per process, on the first page that needs them (about 1 s), and shared by
the OCR worker threads: onnxruntime sessions may be run from several threads at once. Each page
runs with ``threads`` intra-op threads (default 1): the extraction already OCRs one page per core
(:data:`~indexer.extract.ocr.OCR_WORKERS`), as it does with single-threaded Tesseract.

A page is read in two steps so that English pages cost little here: the text lines are detected,
a sample of them is recognised, and only when the sample reads as Chinese are the other lines
recognised (:meth:`RapidOcrEngine.read_chinese`). The 180° line classifier is not run: pages
arrive upright (the 1–2° skew of a scan is handled by the rotated line boxes).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from typing import Any

from PIL import Image

from .common import Deadline

__all__ = ["OcrEngineError", "RapidOcrEngine", "looks_chinese"]

#: Text lines recognised to decide whether a page is Chinese.
SAMPLE_LINES = 12
#: Full-width and long dash rows (decoration on paper, e.g. ``————``) that the recogniser turns
#: into runs of CJK-looking strokes; a line made only of these is dropped.
_DASH_ROW = re.compile(r"^[\s\-_—–―─━一ー－=＝~～.·…]*$")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

_MODELS: dict[int, Any] = {}
_MODELS_LOCK = threading.Lock()


class OcrEngineError(Exception):
    """An OCR engine could not read a page (not installed, model error); the message says why."""


def looks_chinese(text: str) -> bool:
    """Chinese when Han characters make at least a third of the letters (two at least)."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return han >= 2 and han * 3 >= latin


def _model(threads: int) -> Any:
    """The process's RapidOCR instance for *threads* intra-op threads, loaded on first use."""
    with _MODELS_LOCK:
        if threads not in _MODELS:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as error:
                raise OcrEngineError(
                    f"RapidOCR is not installed ({error}): install rapidocr-onnxruntime"
                    " or set PACTUM_OCR_ENGINE=tesseract."
                ) from None
            try:
                _MODELS[threads] = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, use_cls=False)
            except Exception as error:
                raise OcrEngineError(f"RapidOCR could not load its models: {type(error).__name__}: {error}") from error
        return _MODELS[threads]


@dataclass(frozen=True)
class _Line:
    top: float
    bottom: float
    left: float
    text: str


class RapidOcrEngine:
    """One page image (any format Pillow reads, e.g. the PNM of :func:`encode_for_ocr`) to text."""

    name = "rapidocr"

    def __init__(self, threads: int = 1) -> None:
        self.threads = max(1, threads)

    def read(self, image: bytes, dpi: int, deadline: Deadline) -> str:
        text = self._read(image, deadline, only_chinese=False)
        return text or ""

    def read_chinese(self, image: bytes, deadline: Deadline) -> str | None:
        """The page's text when a sample of its lines reads as Chinese, else ``None`` (nothing
        found counts as not Chinese, so another engine gets its turn)."""
        return self._read(image, deadline, only_chinese=True)

    def _read(self, image: bytes, deadline: Deadline, only_chinese: bool) -> str | None:
        model = _model(self.threads)
        deadline.check("waiting to run OCR")
        try:
            return _recognise(model, _pixels(image), deadline, only_chinese)
        except OcrEngineError:
            raise
        except Exception as error:  # onnxruntime, OpenCV or shapely on an odd image
            raise OcrEngineError(f"RapidOCR failed: {type(error).__name__}: {error}") from error


def _pixels(image: bytes) -> Any:
    import numpy

    with Image.open(io.BytesIO(image)) as decoded:
        return numpy.asarray(decoded.convert("RGB"))[:, :, ::-1]  # RapidOCR expects BGR


def _recognise(model: Any, pixels: Any, deadline: Deadline, only_chinese: bool) -> str | None:
    scaled, _, _ = model.preprocess(pixels)
    boxes, _ = model.text_det(scaled)
    if boxes is None or len(boxes) == 0:
        return None if only_chinese else ""
    boxes = model.sorted_boxes(boxes)
    crops = model.get_crop_img_list(scaled, boxes)
    deadline.check("running OCR")
    sample = _sample_indexes(len(crops))
    texts: dict[int, str] = dict(zip(sample, _texts(model, [crops[i] for i in sample]), strict=True))
    if only_chinese and not looks_chinese("".join(texts.values())):
        return None
    rest = [index for index in range(len(crops)) if index not in texts]
    deadline.check("running OCR")
    texts.update(zip(rest, _texts(model, [crops[i] for i in rest]), strict=True))
    lines = [_line(boxes[index], texts[index]) for index in range(len(crops))]
    return _join(line for line in lines if line.text and not _DASH_ROW.match(line.text))


def _sample_indexes(count: int) -> list[int]:
    if count <= SAMPLE_LINES:
        return list(range(count))
    step = count / SAMPLE_LINES
    return sorted({int(step * n) for n in range(SAMPLE_LINES)})


def _texts(model: Any, crops: list[Any]) -> list[str]:
    if not crops:
        return []
    results, _ = model.text_rec(crops, False)
    return [str(result[0]) for result in results]


def _line(box: Any, text: str) -> _Line:
    ys = [float(point[1]) for point in box]
    return _Line(min(ys), max(ys), min(float(point[0]) for point in box), text.strip())


def _join(lines: Any) -> str:
    """Boxes on the same row (their vertical middles within half a box height) become one line,
    left to right; rows top to bottom."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda item: (item.top, item.left)):
        middle = (line.top + line.bottom) / 2
        if rows:
            last = rows[-1][0]
            if abs(middle - (last.top + last.bottom) / 2) <= (last.bottom - last.top) / 2:
                rows[-1].append(line)
                continue
        rows.append([line])
    return "\n".join(" ".join(part.text for part in sorted(row, key=lambda item: item.left)) for row in rows)
