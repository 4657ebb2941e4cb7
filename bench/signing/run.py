"""Signing/validation benchmark: Pactum's signer library vs pyHanko called directly.

Run from the repository root::

    .venv/bin/python -m bench.signing.run [--repeat 5]

It starts the offline test PKI (TSA + OCSP + CRLs on 127.0.0.1), generates a
10-page and a 200-page contract, and for each PAdES level times
``signer.sign_pdf`` against the equivalent pyHanko ``PdfSigner`` call with the
same key, TSA and settings; then ``signer.validate_pdf`` against pyHanko's
``ades_lta_validation`` / ``ades_basic_validation`` on the same signed file.
Medians of ``--repeat`` runs (default 7); overhead = ours / pyHanko - 1.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation.ades import ades_basic_validation, ades_lta_validation
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_timestamp
from pyhanko.sign.validation.policy_decl import bootstrap_validation_data_handlers
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signer import FileSigningKey, SignOptions, TrustSettings, sign_pdf, validate_pdf
from signer.keys import to_asn1_certificate
from signer.validate import _build_spec
from tests.signer.pki import start_test_pki
from tests.signer.support import make_contract_pdf

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


def _paired(ours: Callable[[], object], base: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Medians of alternating runs (A, B, A, B, ...) so machine noise hits both alike.

    Each run starts after a full garbage collection: a 200-page file leaves enough objects
    behind that a collection otherwise lands in some runs and not others (±50 % swings)."""
    ours()  # warm-up (font parsing, imports, connection setup)
    base()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        for fn, sink in ((ours, a), (base, b)):
            gc.collect()
            t0 = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - t0)
    return statistics.median(a), statistics.median(b)


def _pyhanko_signer(key: FileSigningKey) -> signers.SimpleSigner:
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization

    der = key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain = [to_asn1_certificate(c) for c in key.chain]
    return signers.SimpleSigner(
        signing_cert=to_asn1_certificate(key.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [to_asn1_certificate(key.certificate), *chain]
        ),
    )


def _pyhanko_sign(data: bytes, simple: signers.SimpleSigner, key: FileSigningKey, level: str, tsa: str) -> bytes:
    roots = [to_asn1_certificate(c) for c in key.chain if c.subject == c.issuer]
    others = [to_asn1_certificate(c) for c in key.chain if c.subject != c.issuer]
    lt = level in ("B-LT", "B-LTA")
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=lt,
        use_pades_lta=level == "B-LTA",
        validation_context=ValidationContext(
            trust_roots=roots,
            other_certs=others,
            allow_fetching=True,
            revocation_mode="hard-fail",
            fetcher_backend=RequestsFetcherBackend(per_request_timeout=10),
        )
        if lt
        else None,
    )
    stamper = RequestsHTTPTimeStamper(tsa, timeout=10) if level != "B-B" else None  # type: ignore[no-untyped-call]
    pdf_signer = signers.PdfSigner(meta, simple, timestamper=stamper, new_field_spec=SigFieldSpec("Signature1"))
    out = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), output=out)
    return out.getvalue()


def _pyhanko_validate(data: bytes, trust: TrustSettings) -> None:
    anchors = [to_asn1_certificate(c) for c in trust.anchors()]
    spec = _build_spec(trust, anchors)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    has_ts = bool(reader.embedded_timestamp_signatures)

    async def run() -> None:
        for esig in reader.embedded_regular_signatures:
            esig.compute_integrity_info(diff_policy=spec.diff_policy)
            unsigned = esig.signer_info["unsigned_attrs"]
            if has_ts or (unsigned and len(unsigned)):
                await ades_lta_validation(esig, spec)
            else:
                await ades_basic_validation(
                    esig.signed_data, spec.signature_validation_spec, raw_digest=esig.compute_digest()
                )
        for ts in reader.embedded_timestamp_signatures:  # the report covers these too
            vc = spec.signature_validation_spec.cert_validation_policy.build_validation_context(
                timing_info=ValidationTimingInfo.now(),
                handlers=bootstrap_validation_data_handlers(spec.signature_validation_spec),
            )
            await async_validate_pdf_timestamp(ts, validation_context=vc, diff_policy=spec.diff_policy)

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pki = start_test_pki(Path(tmp) / "pki")
        try:
            key = pki.key("alice")
            simple = _pyhanko_signer(key)
            trust = TrustSettings(trust_store=pki.root_pem.parent, allow_fetching=True)
            docs = {n: make_contract_pdf(pages=n) for n in (10, 200)}
            rows = []
            for pages, doc in docs.items():
                for level in LEVELS:
                    opts = SignOptions(level=level, tsa_url=pki.tsa_url, field_name="Signature1")  # type: ignore[arg-type]
                    ours, base = _paired(
                        lambda: sign_pdf(doc, key, opts),  # noqa: B023
                        lambda: _pyhanko_sign(doc, simple, key, level, pki.tsa_url),  # noqa: B023
                        args.repeat,
                    )
                    signed = sign_pdf(doc, key, opts)
                    v_ours, v_base = _paired(
                        lambda: validate_pdf(signed, trust),  # noqa: B023
                        lambda: _pyhanko_validate(signed, trust),  # noqa: B023
                        args.repeat,
                    )
                    rows.append((pages, level, len(doc), ours, base, v_ours, v_base))
        finally:
            pki.stop()
    header = (
        f"{'pages':>5} {'level':<6} {'size':>9} | {'sign ours':>9} {'pyHanko':>9} {'ovh':>7} |"
        f" {'valid ours':>10} {'pyHanko':>9} {'ovh':>7}"
    )
    print(header)
    print("-" * len(header))
    for pages, level, size, ours, base, v_ours, v_base in rows:
        print(
            f"{pages:>5} {level:<6} {size / 1024:>7.0f}kB | {ours * 1000:>7.1f}ms {base * 1000:>7.1f}ms"
            f" {100 * (ours / base - 1):>+6.1f}% | {v_ours * 1000:>8.1f}ms {v_base * 1000:>7.1f}ms"
            f" {100 * (v_ours / v_base - 1):>+6.1f}%"
        )
    total_s = sum(r[3] for r in rows) / sum(r[4] for r in rows) - 1
    total_v = sum(r[5] for r in rows) / sum(r[6] for r in rows) - 1
    print(f"\noverall overhead: signing {100 * total_s:+.1f}%, validation {100 * total_v:+.1f}% (target < 20%)")


if __name__ == "__main__":
    main()
