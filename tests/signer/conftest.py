"""Session fixtures for the signer tests: a live test PKI (TSA + OCSP + CRLs on
127.0.0.1), trust settings, sample documents and the outside checkers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from signer import FileSigningKey, SignOptions, TrustSettings, sign_pdf
from tests.signer.pki import TestPKI, dead_pki_key, start_test_pki
from tests.signer.support import (
    PdfsigSignature,
    make_contract_pdf,
    make_form_pdf,
    make_nss_db,
    pdfsig,
    qpdf_check,
    tools_available,
)

# No warning filters are needed: the suite passes under setup.cfg's "error".


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPKI]:
    p = start_test_pki(tmp_path_factory.mktemp("pki"))
    yield p
    p.stop()


@pytest.fixture(scope="session")
def trust(pki: TestPKI) -> TrustSettings:
    """Trust the test root; fetch revocation data from the local OCSP/CRL services."""
    return TrustSettings(trust_store=pki.root_pem.parent, allow_fetching=True, fetch_timeout_seconds=5)


@pytest.fixture(scope="session")
def offline_trust(pki: TestPKI) -> TrustSettings:
    """Trust the test root, use only what the document carries (hard-fail)."""
    return TrustSettings(trust_store=pki.root_pem.parent, allow_fetching=False)


@pytest.fixture(scope="session")
def alice(pki: TestPKI) -> FileSigningKey:
    return pki.key("alice")


@pytest.fixture(scope="session")
def bob(pki: TestPKI) -> FileSigningKey:
    return pki.key("bob")


@pytest.fixture(scope="session")
def dead_key(tmp_path_factory: pytest.TempPathFactory) -> FileSigningKey:
    """A signer whose OCSP responder and CRLs are unreachable."""
    return dead_pki_key(tmp_path_factory.mktemp("dead-pki"))


@pytest.fixture(scope="session")
def contract_pdf() -> bytes:
    return make_contract_pdf()


@pytest.fixture(scope="session")
def form_pdf() -> bytes:
    return make_form_pdf()


@pytest.fixture(scope="session")
def sign_with(pki: TestPKI) -> Callable[..., bytes]:
    """``sign_with(data, key, level="B-B", **options)`` with the test TSA preset."""

    def _sign(data: bytes, key: FileSigningKey, level: str = "B-B", **kw: object) -> bytes:
        return sign_pdf(data, key, SignOptions(level=level, tsa_url=pki.tsa_url, **kw))  # type: ignore[arg-type]

    return _sign


@pytest.fixture(scope="session")
def nssdir(pki: TestPKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not tools_available():
        pytest.skip("poppler-utils / libnss3-tools / qpdf not installed")
    return make_nss_db(tmp_path_factory.mktemp("nss"), pki.root_pem)


@pytest.fixture
def outside_check(nssdir: Path, tmp_path: Path) -> Callable[[bytes], list[PdfsigSignature]]:
    """Write the PDF, run qpdf --check (must pass) and return pdfsig's verdicts."""

    def _check(data: bytes) -> list[PdfsigSignature]:
        path = tmp_path / "checked.pdf"
        path.write_bytes(data)
        ok, out = qpdf_check(path)
        assert ok, out
        return pdfsig(path, nssdir)

    return _check
