#!/usr/bin/env bash
# Runs the benchmarks and prints their tables (docs/performance.md says what each measures).
#   scripts/bench.sh              all of them (takes a while: the search one indexes 10,000 contracts per engine)
#   scripts/bench.sh search --docs 100000 --engines tantivy
#   scripts/bench.sh extract | ocr | terms | search | phrase-rank | search-http | reindex | signing | pipeline | reliability | render | reports | money  [that benchmark's own options]
# Run on a quiet machine: the numbers are wall-clock times.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test >/dev/null
python=.venv/bin/python
run() {
  case "$1" in
    extract)  shift; "$python" -m bench.extract.run "$@" ;;
    ocr)      shift; "$python" -m bench.ocr.run "$@" ;;
    terms)    shift; "$python" -m bench.extract.cuad_terms "$@" ;;
    search)   shift; "$python" -m bench.search "$@" ;;
    phrase-rank) shift; "$python" -m bench.search.phrase_rank "$@" ;;
    search-http) shift; "$python" -m bench.search.http "$@" ;;
    reindex)  shift; "$python" -m bench.reindex.run "$@" ;;
    signing)  shift; "$python" -m bench.signing.run "$@" ;;
    pipeline) shift; "$python" -m bench.pipeline.run "$@" ;;
    reliability) shift; "$python" -m bench.reliability "$@" ;;
    render)   shift; "$python" -m bench.render "$@" ;;
    reports)  shift; "$python" -m bench.reports.run "$@" ;;
    money)    shift; "$python" -m bench.money "$@" ;;
    *) echo "unknown benchmark '$1': use extract, ocr, terms, search, phrase-rank, search-http, reindex, signing, pipeline, reliability, render, reports or money" >&2; exit 2 ;;
  esac
}
if [[ $# -eq 0 ]]; then
  for name in extract ocr terms search phrase-rank search-http reindex signing pipeline reliability render reports money; do
    echo "## $name"
    run "$name"
    echo
  done
else
  run "$@"
fi
