"""Search benchmark: ``python -m bench.search --docs 10000 --engines whoosh,tantivy``."""
