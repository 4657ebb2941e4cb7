"""Upload-to-searchable time on the embedded default.

Run from the repository root::

    .venv/bin/python -m bench.pipeline.run [--repeat 5]

A fresh data folder (SQLite, local blobs, Tantivy, SQLite job queue) and a real ``pactum worker``
process, as ``pactum serve`` runs it. Each round uploads a 10-page text PDF and a 3-page scan
(pages rendered to images, so Tesseract must read them) through the API, each carrying a word
no other upload has, and polls the search API every 20 ms until the contract is found. Prints
the median and the worst time per kind.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from repo_app import create_app
from repo_app.auth.services import create_token, create_user
from repo_app.core.extensions import db
from repo_app.migrations_runner import upgrade
from signer.fonts import find_cjk_font

MARKERS = (
    "harbourmaster",
    "lighthouse",
    "marmalade",
    "pemberton",
    "quicksilver",
    "sandalwood",
    "tangerine",
    "windjammer",
    "buttercup",
    "cormorant",
    "driftwood",
    "evergreen",
)
PARAGRAPH = (
    "The Supplier shall deliver the Goods in accordance with the Schedule. 甲方应按照本合同约定"
    "支付合同价款，乙方应保证货物质量符合国家标准。"
)


def text_pdf(marker: str, pages: int = 10) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        page.setFont("Helvetica", 11)
        for line in range(40):
            page.drawString(
                60, 780 - line * 18, f"Clause {number}.{line} {PARAGRAPH[:60]}".encode("latin-1", "ignore").decode()
            )
        if number == pages:
            page.drawString(60, 40, f"Reference word: {marker}")
        page.showPage()
    page.save()
    return buffer.getvalue()


def scanned_pdf(marker: str, pages: int = 3) -> bytes:
    """Pages drawn as 200-dpi greyscale images: no text layer at all."""
    choice = find_cjk_font()
    font = ImageFont.truetype(choice.path, 34, index=choice.index)
    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        for line in range(30):
            draw.text((120, 150 + line * 64), f"第{number}页 第{line + 1}条 {PARAGRAPH[:24]}", fill=0, font=font)
        if number == pages:
            draw.text((120, 2150), f"Reference word: {marker}", fill=0, font=font)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


@contextmanager
def embedded_pactum(data_dir: Path) -> Iterator[tuple[Flask, str]]:
    """An app on a fresh data folder, an admin token and a worker process beside it."""
    app = create_app({"data_dir": data_dir, "check_schema": False, "default_language": "en"})
    with app.app_context():
        upgrade()
        admin = create_user("bench@example.com", "Pipeline-Timing-2026!x", "admin")
        token = create_token(admin, "bench")[1]
        db.session.commit()
    environment = {**os.environ, "PACTUM_DATA_DIR": str(data_dir)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "repo_app.cli", "worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield app, token
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a long OCR job keeps it busy: the data folder goes anyway
            worker.kill()
            worker.wait(timeout=30)


def seconds_until_found(
    client: FlaskClient, token: str, name: str, data: bytes, marker: str, timeout: float = 120.0
) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    response = client.post("/api/v1/contracts", headers=headers, data={"file": (io.BytesIO(data), name)})
    if response.status_code != 201:
        raise RuntimeError(f"upload failed: {response.status_code} {response.get_json()}")
    while time.perf_counter() - started < timeout:
        found = client.get("/api/v1/search", headers=headers, query_string={"q": marker}).get_json()
        if found and found.get("total"):
            return time.perf_counter() - started
        time.sleep(0.02)
    raise RuntimeError(f"{name} was not searchable after {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.repeat * 2 > len(MARKERS):
        parser.error(f"--repeat can be at most {len(MARKERS) // 2}")
    timings: dict[str, list[float]] = {"10-page text PDF": [], "3-page scan (OCR)": []}
    with tempfile.TemporaryDirectory(prefix="pactum-bench-") as folder, embedded_pactum(Path(folder)) as (app, token):
        client = app.test_client()
        # Warm-up: the worker's first job loads the segmenter dictionary and Tesseract.
        seconds_until_found(client, token, "warm-up.pdf", text_pdf("warmupword", 1), "warmupword")
        for round_number in range(args.repeat):
            text_marker, scan_marker = MARKERS[2 * round_number], MARKERS[2 * round_number + 1]
            timings["10-page text PDF"].append(
                seconds_until_found(client, token, f"text-{round_number}.pdf", text_pdf(text_marker), text_marker)
            )
            timings["3-page scan (OCR)"].append(
                seconds_until_found(client, token, f"scan-{round_number}.pdf", scanned_pdf(scan_marker), scan_marker)
            )
    print(f"| upload → searchable (embedded default, {args.repeat} rounds) | median s | worst s |")
    print("|---|---:|---:|")
    for kind, values in timings.items():
        print(f"| {kind} | {statistics.median(values):.2f} | {max(values):.2f} |")


if __name__ == "__main__":
    main()
