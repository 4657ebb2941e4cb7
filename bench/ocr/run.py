"""OCR engine benchmark: CER, seconds per page and peak memory per engine and page set.

    scripts/bench.sh ocr [--engines tesseract,rapidocr,auto] [--sets zh-pages-scan,...] [--corpus PATH]

Every page is one single-page image-only PDF of the shared corpus (ocr_zh_pages and ocr_derived),
extracted through :func:`indexer.extract.extract` exactly as an upload is (rendered at the scan's
own resolution, one page at a time, ``ocr_threads`` onnxruntime threads). CER is scored after
NFKC and dropping whitespace and fill-in blanks (``_``/``＿``), punctuation kept, as the corpus
README describes; "CER with spaces" keeps single spaces, which shows an engine that runs English
words together. Each engine runs in its own process so that its peak RSS (``ru_maxrss``: the
Python process with any models it loaded; Tesseract children separately) is its own.
Prints Markdown tables: one row per engine and set (medians), then every page.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extract.metrics import character_error_rate, levenshtein  # noqa: E402
from indexer.extract import ExtractOptions, extract  # noqa: E402
from tests.paths import CORPUS  # noqa: E402

#: Page sets: name -> (folder under the corpus, file glob).
SETS = {
    "zh-pages-clean": ("ocr_zh_pages", "*.clean.pdf"),
    "zh-pages-scan": ("ocr_zh_pages", "*.scan.pdf"),
    "derived-zh-clean": ("ocr_derived/zh", "*.clean.pdf"),
    "derived-zh-scan": ("ocr_derived/zh", "*.scan.pdf"),
    "derived-en-scan": ("ocr_derived/en", "*.scan.pdf"),
}
ENGINES = ("tesseract", "rapidocr", "auto")
_SPACES = re.compile(r"\s+")
#: Table rules, box-drawing lines and dash rows: decoration on paper (zh_05), which no engine
#: should be expected to reproduce character for character.
_DECORATION = re.compile(r"[\u2500-\u257f\-－—–―|｜丨]")
_BLANKS = re.compile(r"[_＿]+")


def pages(corpus: Path, name: str) -> list[Path]:
    folder, pattern = SETS[name]
    return sorted((corpus / folder).glob(pattern))


def ground_truth(page: Path) -> str:
    stem = page.name.split(".")[0]
    return (page.parent / f"{stem}.gt.txt").read_text(encoding="utf-8")


def cer_with_spaces(reference: str, hypothesis: str) -> float:
    def norm(text: str) -> str:
        return _SPACES.sub(" ", _BLANKS.sub("", unicodedata.normalize("NFKC", text))).strip()

    ref, hyp = norm(reference), norm(hypothesis)
    return levenshtein(ref, hyp) / max(1, len(ref))


def cer_without_decoration(reference: str, hypothesis: str) -> float:
    return character_error_rate(_DECORATION.sub("", reference), _DECORATION.sub("", hypothesis))


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children (Tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_engine(engine: str, threads: int, corpus: Path, names: list[str]) -> dict[str, object]:
    """Inside the engine's own process: every page of every set, then the process's peak RSS."""
    options = ExtractOptions(ocr_engine=engine, ocr_threads=threads)
    rows = []
    for name in names:
        for page in pages(corpus, name):
            started, cpu = time.perf_counter(), cpu_seconds()
            result = extract(page, "application/pdf", options)
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            truth = ground_truth(page)
            rows.append(
                {
                    "set": name,
                    "page": page.name,
                    "seconds": seconds,
                    "cpu": cpu,
                    "cer": character_error_rate(truth, result.text),
                    "cer_spaces": cer_with_spaces(truth, result.text),
                    "cer_plain": cer_without_decoration(truth, result.text),
                    "extractor": result.extractor,
                    "warnings": list(result.warnings),
                }
            )
    return {
        "rows": rows,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def measure(engine: str, threads: int, corpus: Path, names: list[str]) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.ocr.run", "--worker", engine, "--threads", str(threads)]
    command += ["--corpus", str(corpus), "--sets", ",".join(names)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def label(engine: str, threads: int) -> str:
    return engine if threads == 1 else f"{engine} ({threads} threads)"


def print_tables(results: dict[str, dict[str, object]], names: list[str]) -> None:
    print(
        "| engine | page set | pages | median CER | CER range | CER range without rules/dashes "
        "| median CER with spaces | s/page (wall) | CPU s/page | peak RSS MB |"
    )
    print("|---|---|---:|---:|---|---|---:|---:|---:|---:|")
    for engine, result in results.items():
        rows: list[dict[str, object]] = result["rows"]  # type: ignore[assignment]
        rss = f"{result['rss_mb']:.0f} (+ tesseract {result['child_rss_mb']:.0f})"
        for name in names:
            mine = [row for row in rows if row["set"] == name]
            if not mine:
                continue
            cers = [float(row["cer"]) for row in mine]  # type: ignore[arg-type]
            plain = [float(row["cer_plain"]) for row in mine]  # type: ignore[arg-type]
            spaced = [float(row["cer_spaces"]) for row in mine]  # type: ignore[arg-type]
            seconds = statistics.mean(float(row["seconds"]) for row in mine)  # type: ignore[arg-type]
            cpu = statistics.mean(float(row["cpu"]) for row in mine)  # type: ignore[arg-type]
            print(
                f"| {engine} | {name} | {len(mine)} | {statistics.median(cers):.3f} | "
                f"{min(cers):.3f}–{max(cers):.3f} | {min(plain):.3f}–{max(plain):.3f} | "
                f"{statistics.median(spaced):.3f} | {seconds:.1f} | {cpu:.1f} | {rss} |"
            )
    print()
    print("| page | " + " | ".join(f"{engine} CER / CPU s" for engine in results) + " | auto's engine |")
    print("|---|" + "---:|" * len(results) + "---|")
    first: list[dict[str, object]] = next(iter(results.values()))["rows"]  # type: ignore[assignment]
    for index, row in enumerate(first):
        cells = []
        for result in results.values():
            other = result["rows"][index]  # type: ignore[index]
            cells.append(f"{other['cer']:.3f} / {other['cpu']:.1f}")
        chosen = results.get("auto", {}).get("rows")
        engine = chosen[index]["extractor"] if chosen else ""  # type: ignore[index]
        print(f"| {row['set']} {row['page']} | " + " | ".join(cells) + f" | {engine} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--engines", default=",".join(ENGINES), help="engine[:threads],… e.g. rapidocr:2")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--save", type=Path, help="also write each engine's raw results to DIR/<engine>.json")
    parser.add_argument("--load", type=Path, nargs="*", help="print the tables of saved results instead")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = [name for name in args.sets.split(",") if name]
    if args.worker:
        print(json.dumps(run_engine(args.worker, args.threads, args.corpus, names)))
        return
    results = {}
    for path in args.load or []:
        results[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    for spec in [] if args.load else args.engines.split(","):
        engine, _, threads = spec.partition(":")
        count = int(threads or 1)
        results[label(engine, count)] = measure(engine, count, args.corpus, names)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{label(engine, count)}.json").write_text(json.dumps(results[label(engine, count)]))
    print_tables(results, names)
    for engine, result in results.items():
        for row in result["rows"]:  # type: ignore[attr-defined]
            for warning in row["warnings"]:
                print(f"warning ({engine}, {row['page']}): {warning}")


if __name__ == "__main__":
    main()
