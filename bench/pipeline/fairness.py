"""Small-upload latency while two huge scans are being OCRed, with and without OCR batches.

Run from the repository root::

    .venv/bin/python -m bench.pipeline.fairness [--pages 24] [--batches 0 2 8]

For each ``PACTUM_OCR_BATCH_PAGES`` value: a fresh embedded data folder and a real
``pactum worker`` (two threads, as ``pactum serve`` runs it, real Tesseract); two scans of
``--pages`` distinct 200-dpi pages each (over 2 MB, so queued as big uploads) are uploaded; once
the worker is OCRing both, a 10-page text PDF is uploaded and the time until the search API finds
it is measured. ``0`` is the old behaviour (a whole document per job): the small upload waits
until a worker thread finishes a scan. Prints one row per value.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from signer.fonts import find_cjk_font

from .run import PARAGRAPH, embedded_pactum, seconds_until_found, text_pdf


def big_scan(label: str, pages: int) -> bytes:
    """Distinct 200-dpi greyscale pages, each with a band of grain so the file is big."""
    choice = find_cjk_font()
    font = ImageFont.truetype(choice.path, 34, index=choice.index)
    grain = random.Random(label)
    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        for line in range(12):
            draw.text(
                (120, 150 + line * 64), f"{label} 第{number}页 第{line + 1}条 {PARAGRAPH[:24]}", fill=0, font=font
            )
        band = bytes(grain.randrange(200, 256) for _ in range(1654 * 120))
        image.paste(Image.frombytes("L", (1654, 120), band), (0, 2200))
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def run_once(batch_pages: int, scans: list[bytes]) -> float:
    os.environ["PACTUM_OCR_BATCH_PAGES"] = str(batch_pages)
    with tempfile.TemporaryDirectory(prefix="pactum-fair-") as folder, embedded_pactum(Path(folder)) as (app, token):
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        seconds_until_found(client, token, "warm-up.pdf", text_pdf("warmupword", 1), "warmupword")
        for number, scan in enumerate(scans):
            answer = client.post(
                "/api/v1/contracts", headers=headers, data={"file": (io.BytesIO(scan), f"s{number}.pdf")}
            )
            assert answer.status_code == 201, answer.get_json()
        time.sleep(5)  # both worker threads have taken a scan and are OCRing
        return seconds_until_found(client, token, "small.pdf", text_pdf("quicksilver"), "quicksilver", timeout=900)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--batches", type=int, nargs="+", default=[0, 2, 8])
    args = parser.parse_args()
    scans = [big_scan(label, args.pages) for label in ("ALPHA", "BETA")]
    sizes = ", ".join(f"{len(scan) / 1e6:.1f} MB" for scan in scans)
    print(f"| PACTUM_OCR_BATCH_PAGES | small upload → searchable, two {args.pages}-page scans ({sizes}) OCRing |")
    print("|---:|---:|", flush=True)
    for value in args.batches:
        print(f"| {value} | {run_once(value, scans):.1f} s |", flush=True)


if __name__ == "__main__":
    main()
