"""Benchmarks and quality measurements for indexer.extract and indexer.terms."""
