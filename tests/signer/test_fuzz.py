"""Seeded fuzzing of validate_pdf: nothing but ValidationError may escape, no case may hang.

The suite runs the first :data:`SUITE_CASES` cases of the seeded run (about 50 ms
each, mutation included); the full run of 2,100 cases is
``python -m bench.signing.fuzz`` (see :mod:`tests.signer.fuzz` for the mutations).
"""

from __future__ import annotations

import pytest

from signer import FileSigningKey, TrustSettings
from tests.signer import fuzz
from tests.signer.pki import TestPKI

SEED = 20261123
SUITE_CASES = 300
CHUNKS = 2  # so that pytest-xdist runs them side by side
MAX_SECONDS_PER_CASE = 30.0


@pytest.fixture(scope="module")
def documents(pki: TestPKI, alice: FileSigningKey, bob: FileSigningKey) -> dict[str, bytes]:
    return fuzz.seed_documents(alice, bob, pki.tsa_url)


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_only_validation_error_escapes(chunk: int, documents: dict[str, bytes], offline_trust: TrustSettings) -> None:
    cases = range(chunk, SUITE_CASES, CHUNKS)
    result = fuzz.run(documents, offline_trust, seed=SEED, cases=cases)
    print("\n" + result.table())
    assert result.cases == len(cases)
    assert not result.escaped, "\n".join(e.describe() for e in result.escaped)
    assert result.slowest[0] < MAX_SECONDS_PER_CASE, result.slowest
    assert all(result.per_mutation[name] for name in fuzz.MUTATIONS), result.per_mutation
    assert result.reports and result.refused  # both outcomes occur: the mutations reach the validator
