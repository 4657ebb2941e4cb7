"""Where the tests and the benchmarks find the shared test corpus.

The corpus is not part of the repository: it lives in ``shared/`` beside the checkout, so
``<checkout>/../shared/corpus``, as on CI. ``PACTUM_SHARED_DIR`` names another ``shared/`` folder.

A test that needs the corpus calls :func:`require_corpus`: without the corpus the test is
skipped, with the reason, on a developer's machine, but fails when ``CI`` is set, so that a CI
run never passes without having run the corpus tests. This module imports neither Flask nor
pytest at import time: the benchmarks use it too.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CHECKOUT", "CORPUS", "SHARED_DIR", "corpus_problem", "on_ci", "require_corpus"]

CHECKOUT = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    override = os.environ.get("PACTUM_SHARED_DIR", "").strip()
    return Path(override).expanduser().resolve() if override else CHECKOUT.parent / "shared"


SHARED_DIR = _shared_dir()
CORPUS = SHARED_DIR / "corpus"


def on_ci() -> bool:
    """True when the ``CI`` environment variable is set (to anything but an empty or false value)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def corpus_problem(*parts: str) -> str | None:
    """Why ``CORPUS / parts`` cannot be used, or None when it is there."""
    path = CORPUS.joinpath(*parts)
    if path.exists():
        return None
    if os.environ.get("PACTUM_SHARED_DIR", "").strip():
        where = f"PACTUM_SHARED_DIR is {SHARED_DIR}"
    else:
        where = f"shared/ is expected beside the checkout, at {SHARED_DIR}; PACTUM_SHARED_DIR names another one"
    return f"shared test corpus not found: {path} does not exist ({where})"


def require_corpus(*parts: str) -> Path:
    """``CORPUS / parts`` for the calling test; skips the test when it is missing, fails it under CI."""
    __tracebackhide__ = True  # report the skip or failure at the calling test
    problem = corpus_problem(*parts)
    if problem is not None:
        import pytest

        if on_ci():
            pytest.fail(f"{problem}; CI must provide the shared corpus", pytrace=False)
        pytest.skip(problem)
    return CORPUS.joinpath(*parts)
