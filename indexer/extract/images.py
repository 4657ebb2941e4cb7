"""PNG, JPEG and TIFF (multi-page included): every frame through OCR, within the document's
OCR budget (frames after it stay empty and are counted as not OCRed)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from .common import Deadline, PageText
from .engines import OcrText, ocr_page
from .model import ExtractionFailed, ExtractOptions, FailureReason
from .ocr import OcrBudget, encode_for_ocr, ordered_map

__all__ = ["extract_image"]

#: Resolutions outside this range in a file's metadata are treated as missing.
_PLAUSIBLE_DPI = range(70, 2401)


#: A frame left out because the OCR budget was spent.
_SKIPPED = None


def extract_image(path: Path, options: ExtractOptions, deadline: Deadline) -> PageText:
    result = PageText()
    budget = OcrBudget(options.max_ocr_pages, options.max_ocr_seconds)
    with _open(path) as image:
        total = getattr(image, "n_frames", 1)
        count = min(total, options.max_pages)
        if total > count:
            result.warnings.append(f"The image has {total} pages; only the first {count} were extracted.")
        frames = enumerate(_frames(image, count, options, deadline, budget), start=1)
        for number, ocr in enumerate(ordered_map(lambda frame: _ocr(frame, options, deadline), frames), start=1):
            result.pages.append(ocr.text if ocr else "")
            if ocr is _SKIPPED:
                continue
            result.ocr_pages += 1
            result.ocr_engines.add(ocr.engine)
            result.warnings.extend(ocr.warnings)
            if not ocr.text.strip():
                result.warnings.append(
                    f"OCR found no text on page {number}." if count > 1 else "OCR found no text in the image."
                )
    budget.note(result)
    return result


def _ocr(frame: tuple[int, tuple[bytes, int] | None], options: ExtractOptions, deadline: Deadline) -> OcrText | None:
    number, image = frame
    if image is None:
        return _SKIPPED
    return ocr_page(image[0], image[1], options, deadline, number)


def _open(path: Path) -> Image.Image:
    """Open lazily; images over Pillow's decompression-bomb limit (89 megapixels) are refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ExtractionFailed(FailureReason.TOO_LARGE, f"The image is too large to OCR: {error}") from None
    except UnidentifiedImageError:
        raise ExtractionFailed(
            FailureReason.MALFORMED, "The image cannot be read: unknown or damaged format."
        ) from None


def _frames(
    image: Image.Image, count: int, options: ExtractOptions, deadline: Deadline, budget: OcrBudget
) -> Iterator[tuple[bytes, int] | None]:
    """Each frame encoded for Tesseract, with its resolution (``None`` once the budget is spent,
    without decoding it). Decoded one at a time."""
    for index in range(count):
        deadline.check(f"reading image page {index + 1}")
        if not budget.take():
            yield None
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.seek(index)
                frame = _flatten(ImageOps.exif_transpose(image) or image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ExtractionFailed(FailureReason.TOO_LARGE, f"The image is too large to OCR: {error}") from None
        except (OSError, ValueError, SyntaxError) as error:
            raise ExtractionFailed(
                FailureReason.MALFORMED, f"Image page {index + 1} cannot be decoded: {error}"
            ) from None
        yield encode_for_ocr(frame), _dpi(image, options.ocr_dpi)


def _flatten(frame: Image.Image) -> Image.Image:
    """Grey or RGB pixels; transparent areas become white (not black) so dark text stays readable."""
    if frame.mode in ("1", "L", "RGB"):
        frame.load()
        return frame
    if frame.mode == "P" and "transparency" not in frame.info:
        return frame.convert("RGB")
    if frame.mode in ("RGBA", "LA", "PA", "P"):
        rgba = frame.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if frame.mode.startswith("I"):  # 16/32-bit greyscale: scale down to 8 bits
        return ImageOps.autocontrast(frame.convert("I").point(lambda value: value / 256).convert("L"))
    return frame.convert("RGB")


def _dpi(image: Image.Image, default: int) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value in _PLAUSIBLE_DPI else default
