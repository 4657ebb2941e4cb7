"""Child process that runs the native Tika library (iscc-tika) on one file.

Run as a script (``python -I tika_worker.py``), never imported by the parent: the library is
GraalVM-compiled Java running inside the process, and a parser that loops, exhausts memory or
crashes on a hostile file must only take this child down. Input: one JSON object on stdin
(``path``, ``max_bytes``). Output: one JSON object on the original stdout; anything the native code
prints goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

#: Metadata keys passed back to the parent.
_KEEP = ("Content-Type", "xmpTPg:NPages", "X-TIKA:warning", "extended-properties:DocSecurityString")


def main() -> int:
    result_fd = os.dup(1)
    os.dup2(2, 1)  # native code writes diagnostics to stdout; keep our channel clean
    request = json.loads(sys.stdin.read())
    answer = _extract(str(request["path"]), int(request["max_bytes"]))
    with os.fdopen(result_fd, "w", encoding="utf-8") as out:
        json.dump(answer, out, ensure_ascii=False)
    return 0


def _extract(path: str, max_bytes: int) -> dict[str, Any]:
    try:
        import iscc_tika
    except ImportError as error:
        return {"ok": False, "kind": "unavailable", "message": str(error)}
    extractor = iscc_tika.Extractor()
    office = iscc_tika.OfficeParserConfig()
    office.set_include_headers_and_footers(True)
    extractor.set_office_config(office)
    try:
        stream, metadata = extractor.extract_file(path)
        data, truncated = _read(stream, max_bytes)
    except Exception as error:  # noqa: BLE001 -- iscc-tika raises TypeError("ParseError(...)") and more
        return {"ok": False, "kind": "parse", "message": str(error)}
    kept = {key: metadata[key] for key in _KEEP if key in metadata}
    return {"ok": True, "text": data.decode("utf-8", "replace"), "truncated": truncated, "metadata": kept}


def _read(stream: Any, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(1 << 16):
        chunks.append(bytes(chunk))  # the reader may reuse its buffer between reads
        total += len(chunk)
        if total > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


if __name__ == "__main__":
    sys.exit(main())
