"""Offline test PKI for the signer tests, built with certomancer.

Keys are EC P-256 derived from fixed seeds, so certificates are identical from
run to run except for the URLs, which carry the port the services got.
A werkzeug server on 127.0.0.1 serves certomancer's WSGI app: the timestamp
authority, the OCSP responder, CRLs and CA certificates.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from signer.keys import FileSigningKey

ARCH = "pactum-test"
KEY_LABELS = ("root", "interm", "tsa", "ocsp", "alice", "bob", "revoked", "expired")

ENTITIES = {
    "root": {"common-name": "Pactum Test Root CA"},
    "interm": {"common-name": "Pactum Test Issuing CA"},
    "tsa": {"common-name": "Pactum Test TSA"},
    "ocsp": {"common-name": "Pactum Test OCSP Responder"},
    "alice": {"common-name": "张三 Zhang San", "email-address": "zhang.san@example.com"},
    "bob": {"common-name": "Bob Li 李波", "email-address": "bob.li@example.com"},
    "revoked": {"common-name": "Revoked Signer", "email-address": "revoked@example.com"},
    "expired": {"common-name": "Expired Signer", "email-address": "expired@example.com"},
}


def _seeded_key(label: str) -> ec.EllipticCurvePrivateKey:
    seed = int.from_bytes(hashlib.sha256(f"pactum-test-pki/{label}".encode()).digest(), "big")
    return ec.derive_private_key(seed % (2**255 - 19) + 1, ec.SECP256R1())


def _signer_cert(subject: str, valid_from: str, valid_to: str, **extra: Any) -> dict[str, Any]:
    email = ENTITIES[subject]["email-address"]
    spec: dict[str, Any] = {
        "subject": subject,
        "subject-key": subject,
        "issuer": "interm",
        "validity": {"valid-from": valid_from, "valid-to": valid_to},
        "profiles": ["digsig-commitment"],
        "extensions": [
            {
                "id": "subject_alt_name",
                "smart-value": {"schema": "general-names", "params": [{"type": "email", "value": email}]},
            },
            {"id": "extended_key_usage", "value": ["email_protection"]},
        ],
    }
    spec.update(extra)
    return spec


def certomancer_config(key_dir: Path, url_prefix: str) -> dict[str, Any]:
    return {
        "external-url-prefix": url_prefix,
        "keysets": {
            "k": {
                "path-prefix": str(key_dir),
                "keys": {label: {"path": f"{label}.key.pem"} for label in KEY_LABELS},
            }
        },
        "pki-architectures": {
            ARCH: {
                "keyset": "k",
                "entity-defaults": {"country-name": "CN", "organization-name": "Pactum Test"},
                "entities": ENTITIES,
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "authority-key": "root",
                        "validity": {
                            "valid-from": "2020-01-01T00:00:00+0000",
                            "valid-to": "2100-01-01T00:00:00+0000",
                        },
                        "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}],
                    },
                    "interm": {
                        "issuer": "root",
                        "validity": {
                            "valid-from": "2020-01-01T00:00:00+0000",
                            "valid-to": "2099-01-01T00:00:00+0000",
                        },
                        "profiles": [
                            {
                                "id": "simple-ca",
                                "params": {"max-path-len": 0, "crl-repo": "interm", "ocsp-service": "interm"},
                            }
                        ],
                    },
                    "ocsp": {
                        "issuer": "interm",
                        "validity": {
                            "valid-from": "2020-01-01T00:00:00+0000",
                            "valid-to": "2099-01-01T00:00:00+0000",
                        },
                        "profiles": ["ocsp-responder"],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": {
                            "valid-from": "2020-01-01T00:00:00+0000",
                            "valid-to": "2099-01-01T00:00:00+0000",
                        },
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                            },
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                        ],
                    },
                    "alice": _signer_cert("alice", "2024-01-01T00:00:00+0000", "2090-01-01T00:00:00+0000"),
                    "bob": _signer_cert("bob", "2024-01-01T00:00:00+0000", "2090-01-01T00:00:00+0000"),
                    "revoked": _signer_cert(
                        "revoked",
                        "2024-01-01T00:00:00+0000",
                        "2090-01-01T00:00:00+0000",
                        revocation={"revoked-since": "2024-06-01T00:00:00+0000", "reason": "key_compromise"},
                    ),
                    "expired": _signer_cert("expired", "2020-01-01T00:00:00+0000", "2021-01-01T00:00:00+0000"),
                },
                "services": {
                    "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                    "crl-repo": {
                        "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "cert-repo": {
                        "root": {"for-issuer": "root", "publish-issued-certs": True},
                        "interm": {"for-issuer": "interm", "publish-issued-certs": True},
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class _LateApp:
    """WSGI app set after the server is bound (the URLs in the certs need the port)."""

    app: Callable[..., Iterable[bytes]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        assert self.app is not None
        return self.app(environ, start_response)


@dataclass
class TestPKI:
    folder: Path
    base_url: str
    config: CertomancerConfig
    server: BaseWSGIServer
    thread: threading.Thread

    __test__ = False  # not a pytest test class

    @property
    def arch(self) -> Any:
        return self.config.get_pki_arch(ArchLabel(ARCH))

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/{ARCH}/tsa/tsa"

    def cert(self, label: str) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.arch.get_cert(CertLabel(label)).dump())

    def key(self, label: str) -> FileSigningKey:
        priv = serialization.load_pem_private_key((self.folder / "keys" / f"{label}.key.pem").read_bytes(), None)
        assert isinstance(priv, ec.EllipticCurvePrivateKey)
        return FileSigningKey(priv, self.cert(label), (self.cert("interm"), self.cert("root")))

    def pkcs12(self, label: str, password: bytes) -> bytes:
        data: bytes = self.arch.package_pkcs12(CertLabel(label), password=password)
        return data

    @property
    def root_pem(self) -> Path:
        return self.folder / "trust" / "root.pem"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_test_pki(folder: Path) -> TestPKI:
    key_dir = folder / "keys"
    key_dir.mkdir(parents=True, exist_ok=True)
    for label in KEY_LABELS:
        pem = _seeded_key(label).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (key_dir / f"{label}.key.pem").write_bytes(pem)
    late = _LateApp()
    server = make_server("127.0.0.1", 0, late, threaded=True, request_handler=_QuietHandler)
    base_url = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(certomancer_config(key_dir, base_url), key_search_dir=str(key_dir))
    late.app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    thread = threading.Thread(target=server.serve_forever, name="test-pki", daemon=True)
    thread.start()
    pki = TestPKI(folder, base_url, config, server, thread)
    trust = folder / "trust"
    trust.mkdir(exist_ok=True)
    pki.root_pem.write_bytes(pki.cert("root").public_bytes(serialization.Encoding.PEM))
    return pki


def dead_pki_key(folder: Path) -> FileSigningKey:
    """Alice's key from the same PKI, but with revocation URLs where nothing listens."""
    key_dir = folder / "keys"
    key_dir.mkdir(parents=True, exist_ok=True)
    for label in KEY_LABELS:
        pem = _seeded_key(label).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (key_dir / f"{label}.key.pem").write_bytes(pem)
    config = CertomancerConfig(certomancer_config(key_dir, "http://127.0.0.1:9"), key_search_dir=str(key_dir))
    arch = config.get_pki_arch(ArchLabel(ARCH))

    def cert(label: str) -> x509.Certificate:
        return x509.load_der_x509_certificate(arch.get_cert(CertLabel(label)).dump())

    priv = _seeded_key("alice")
    return FileSigningKey(priv, cert("alice"), (cert("interm"), cert("root")))
