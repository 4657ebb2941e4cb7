"""Settings: embedded defaults, overridden by ``PACTUM_*`` environment variables, then by
explicit overrides (tests). Validated once at start so a bad value fails with a sentence."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any

from indexer.extract.engines import OCR_ENGINES
from indexer.render import CONVERTERS
from indexer.text.segment import DEFAULT_SEGMENTER, SEGMENTERS

ENV_PREFIX = "PACTUM_"


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("./var")
    #: SQLAlchemy URL; default: SQLite file in the data folder.
    database_url: str = ""
    #: ``file:///path`` or ``s3://bucket/prefix``; default: ``<data dir>/blobs``.
    storage_url: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_path_style: bool = False
    s3_sse: str = ""
    s3_sse_kms_key_id: str = ""
    #: Search engine: empty = embedded Tantivy index in the data folder; ``whoosh://`` for the
    #: pure-Python fallback; ``http(s)://host:9200`` for Elasticsearch.
    search_url: str = ""
    search_username: str = ""
    search_password: str = field(default="", repr=False)
    search_api_key: str = field(default="", repr=False)
    search_ca_certs: str = ""
    search_index_prefix: str = "pactum"
    #: Processes that segment text during ``pactum reindex``; 0 = one per CPU core.
    index_workers: int = 0
    #: Chinese word segmenter for indexing, queries and version comparison: ``rjieba`` (Rust,
    #: fast) or ``jieba`` (pure Python, the reference); run ``pactum reindex`` after changing it.
    segmenter: str = DEFAULT_SEGMENTER
    #: Apache Tika server (e.g. http://tika:9998): when set, Tika extracts every format.
    tika_url: str = ""
    #: Tesseract languages for scans (the pages Tesseract reads).
    ocr_languages: str = "chi_sim+eng"
    #: OCR engine: ``auto`` (Chinese pages through RapidOCR, the others through Tesseract),
    #: ``rapidocr`` or ``tesseract`` (every page through that engine).
    ocr_engine: str = "auto"
    #: onnxruntime threads per RapidOCR page (pages already run one per core).
    ocr_threads: int = 1
    #: OCR budget of one document: distinct scanned pages OCRed (0: no limit) and seconds after
    #: which no further page starts OCR (0: no limit; extraction as a whole stops after 600 s).
    #: Pages over budget keep their text layer and the version says OCR stopped early.
    ocr_max_pages: int = 300
    ocr_max_seconds: int = 240
    #: A PDF is OCRed in batches of this many distinct page images, each batch one job queued
    #: behind the jobs already waiting, so big scans take turns with other uploads (0: the
    #: whole document in one job).
    ocr_batch_pages: int = 2
    #: PDF renditions of Word, ODT, RTF and DOC versions for the preview: ``libreoffice`` (a
    #: local ``soffice --headless``) or ``off``.
    preview_converter: str = "libreoffice"
    #: The LibreOffice program (a name on PATH or a full path).
    soffice: str = "soffice"
    #: One conversion's time limit; the converter's process group is killed after it.
    preview_timeout_seconds: int = 120
    #: Conversions running at once on one machine (across worker processes).
    preview_concurrency: int = 1
    #: Font file (.ttf/.ttc with Chinese and Latin glyphs) embedded in every PDF Pactum makes;
    #: empty: the first installed of ``signer.fonts.CJK_FONT_CANDIDATES`` (fonts-wqy-zenhei).
    cjk_font: str = ""
    #: Job queue: empty means the embedded SQLite queue in the data folder; ``redis://…`` for
    #: Redis-backed workers (``pactum worker``).
    queue_url: str = ""
    #: Run background jobs synchronously inside the caller (tests and debugging only).
    queue_immediate: bool = False
    #: Worker threads of ``pactum worker`` (and of the embedded worker in ``pactum serve``).
    worker_threads: int = 2
    #: How much ``pactum worker`` lowers its CPU priority (``nice``; 0: not at all), so that
    #: extraction, OCR and indexing yield the cores to searches and page views of the same machine.
    worker_niceness: int = 10
    #: RFC 3161 timestamp authority for PAdES B-T and above.
    tsa_url: str = ""
    #: Organisation name in the internal CA's certificates.
    org_name: str = "Pactum"
    #: Passphrase of the internal CA's keys; empty: ``<data dir>/secrets/ca-passphrase``.
    ca_passphrase: str = field(default="", repr=False)
    ca_key_type: str = "rsa-3072"
    #: The organisation's signing key (signs auditor reports): a PKCS#12 file and a file holding
    #: its passphrase. Empty: a certificate issued by the internal CA.
    org_signing_p12: str = ""
    org_signing_passphrase_file: str = ""
    #: Folder of PEM root certificates trusted when validating signatures (besides the internal CA).
    trust_store_dir: str = ""
    #: Fetch OCSP/CRL data named in certificates while validating (off: the addresses come
    #: from uploaded files, so fetching would let anyone make the server call any URL).
    revocation_fetching: bool = False
    #: Hours a CRL of the internal CA is valid (its nextUpdate); a new one is published at
    #: every revocation and once half of this has passed. Certificates name
    #: ``<base_url>/pki/ca.crl`` as their CRL distribution point.
    crl_validity_hours: int = 168
    max_upload_mb: int = 200
    #: Time limit of one request, in seconds: long work (comparisons, reports) stops and the
    #: client gets a 503 with a message; ``pactum serve`` gives gunicorn a little longer as a
    #: backstop. 0: no limit.
    request_timeout_seconds: int = 30
    #: Time limit of one heavy background job (a large comparison, a report PDF); 0: no limit.
    job_timeout_seconds: int = 600
    #: Versions with more characters of text than this (either one) are not compared: 413.
    compare_max_chars: int = 5_000_000
    #: Comparisons of versions with more characters than this (both together) run as a
    #: background job whose result is kept; the page and the API answer 202 and are polled.
    compare_job_chars: int = 400_000
    #: Seconds a counted home dashboard is shown again to the same user while no audited
    #: change followed it (docs/performance.md); 0: count every view.
    dashboard_keep_seconds: int = 60
    default_language: str = "zh_CN"
    #: Lifecycle (docs/lifecycle.md). The organisation's time zone decides what "today" is.
    timezone: str = "Asia/Shanghai"
    #: Days before expiry that a contract in force becomes "expiring soon".
    expiring_soon_days: int = 30
    #: Expiry reminders, days before the expiry date; notice reminders, days before the last
    #: day to give notice of non-renewal.
    reminder_offsets: str = "90,30,7"
    notice_reminder_offsets: str = "30,7,1"
    #: Local hour at which a day's reminders go out.
    reminder_hour: int = 8
    #: Reminders also go to users of this role who may read the contract (empty: none).
    reminder_role: str = ""
    #: A new version uploaded during approval restarts the approval.
    approval_restart_on_new_version: bool = True
    #: Payment reminders, days relative to an instalment's due date (negative: before it).
    payment_reminder_days: str = "-7,0,1,7,30"
    #: Days overdue after which the department managers hear of an open instalment (once).
    payment_escalation_days: int = 14
    #: Exchange rates into CNY for amount routing rules, e.g. "USD=7.10,EUR=7.80".
    fx_rates: str = ""
    #: A payment against a payable instalment needs a received invoice covering it first.
    invoice_before_payment: bool = False
    #: Outgoing e-mail: smtp://user:pass@host:587?starttls=1 or smtps://…:465 (empty: no e-mail).
    smtp_url: str = field(default="", repr=False)
    mail_from: str = "Pactum <pactum@localhost>"
    #: The address users reach Pactum at, for links in e-mails and webhooks.
    base_url: str = "http://localhost:8000"
    webhook_timeout_seconds: int = 10
    #: Networks webhooks may reach although they are private, loopback or link-local
    #: (comma-separated CIDRs, e.g. "10.0.0.0/8,fd00::/8"); empty: public addresses only.
    webhook_allowed_networks: str = ""
    #: Strict-Transport-Security max-age, sent only on requests that came over TLS (0: none).
    hsts_max_age: int = 31_536_000
    #: Wrong passwords an account may have before it is locked for ``login_window_minutes``;
    #: each further failure after a lock doubles the wait (also the signing-password limit).
    login_max_failures: int = 5
    login_window_minutes: int = 15
    #: The longest an account stays locked, and how long its failures are remembered.
    login_lockout_max_minutes: int = 1440
    #: Failed log-ins (and password-reset requests) allowed per client address within the window,
    #: over all accounts: higher than the per-account limit, since offices share one address.
    login_max_failures_per_address: int = 50
    #: Reverse proxies in front of Pactum that set X-Forwarded-For/-Proto/-Host (0: none; the
    #: client address is the connection's, and forwarded headers are ignored).
    trusted_proxies: int = 0
    #: "Keep me signed in" lasts this many days; a log-in without it ends after ``session_hours``.
    remember_days: int = 14
    session_hours: int = 12
    #: Cookies only over HTTPS; also on when ``base_url`` starts with https://.
    session_cookie_secure: bool = False
    password_min_length: int = 10
    #: A password-reset link works once, within this many minutes.
    password_reset_minutes: int = 60
    secret_key: str = field(default="", repr=False)
    #: Tests and tools may skip the "schema is current" check at start-up.
    check_schema: bool = True
    testing: bool = False

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'pactum.sqlite3').resolve()}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or f"file://{(self.data_dir / 'blobs').resolve()}"

    @property
    def storage_options(self) -> dict[str, str]:
        options = {
            "endpoint_url": self.s3_endpoint_url,
            "region": self.s3_region,
            "access_key": self.s3_access_key_id,
            "secret_key": self.s3_secret_access_key,
            "path_style": "true" if self.s3_path_style else "",
            "sse": self.s3_sse,
            "sse_kms_key_id": self.s3_sse_kms_key_id,
        }
        return {key: value for key, value in options.items() if value}

    @property
    def search_options(self) -> dict[str, str]:
        options = {
            "username": self.search_username,
            "password": self.search_password,
            "api_key": self.search_api_key,
            "ca_certs": self.search_ca_certs,
            "index_prefix": self.search_index_prefix,
            "segmenter": self.segmenter,
        }
        return {key: value for key, value in options.items() if value}

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry the Secure flag when asked to, or when Pactum is reached over HTTPS."""
        return self.session_cookie_secure or self.base_url.lower().startswith("https://")

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def env_var_name(field_name: str) -> str:
    """The environment variable of a setting: ``data_dir`` → ``PACTUM_DATA_DIR``."""
    return ENV_PREFIX + field_name.upper()


def _coerce(name: str, raw: Any, target: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    if target is bool or target == "bool":
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{env_var_name(name)} must be true or false, not {raw!r}.")
    if target is int or target == "int":
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{env_var_name(name)} must be a whole number, not {raw!r}.") from None
    if target is Path or target == "Path":
        return Path(raw)
    return raw


def load_settings(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from the environment, then ``overrides`` (keys are field names)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for item in fields(Settings):
        env_name = env_var_name(item.name)
        if env_name in environ:
            values[item.name] = _coerce(item.name, environ[env_name], item.type)
    for key, value in (overrides or {}).items():
        known = {item.name: item.type for item in fields(Settings)}
        if key not in known:
            raise ConfigError(f"Unknown setting {key!r}.")
        values[key] = _coerce(key, value, known[key])
    settings = replace(Settings(), **values)
    _validate(settings)
    return settings


#: Settings that must be above zero.
_POSITIVE = (
    "max_upload_mb",
    "ocr_threads",
    "crl_validity_hours",
    "login_max_failures",
    "login_window_minutes",
    "login_lockout_max_minutes",
    "login_max_failures_per_address",
    "remember_days",
    "session_hours",
    "password_min_length",
    "password_reset_minutes",
    "preview_timeout_seconds",
    "preview_concurrency",
)
#: Settings that may be zero (meaning "no limit" or "none") but not negative.
_NOT_NEGATIVE = (
    "ocr_max_pages",
    "ocr_max_seconds",
    "ocr_batch_pages",
    "request_timeout_seconds",
    "job_timeout_seconds",
    "compare_max_chars",
    "compare_job_chars",
    "dashboard_keep_seconds",
    "trusted_proxies",
    "hsts_max_age",
)


def _validate(settings: Settings) -> None:
    _require_positive(settings, _POSITIVE)
    for name in _NOT_NEGATIVE:
        if getattr(settings, name) < 0:
            raise ConfigError(f"{env_var_name(name)} must be 0 or more.")
    if settings.default_language not in SUPPORTED_LANGUAGES:
        raise ConfigError(f"PACTUM_DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED_LANGUAGES)}.")
    if settings.ocr_engine not in OCR_ENGINES:
        raise ConfigError(f"PACTUM_OCR_ENGINE must be one of {', '.join(OCR_ENGINES)}, not {settings.ocr_engine!r}.")
    if settings.segmenter not in SEGMENTERS:
        raise ConfigError(f"PACTUM_SEGMENTER must be one of {', '.join(SEGMENTERS)}, not {settings.segmenter!r}.")
    if settings.preview_converter not in CONVERTERS:
        raise ConfigError(f"PACTUM_PREVIEW_CONVERTER must be one of {', '.join(CONVERTERS)}.")
    _validate_networks(settings.webhook_allowed_networks)
    if settings.cjk_font and not Path(settings.cjk_font).is_file():
        raise ConfigError(f"PACTUM_CJK_FONT names no font file: {settings.cjk_font!r}.")


def _require_positive(settings: Settings, names: tuple[str, ...]) -> None:
    for name in names:
        if getattr(settings, name) <= 0:
            raise ConfigError(f"{env_var_name(name)} must be positive.")


SUPPORTED_LANGUAGES = ("zh_CN", "en")


def parse_networks(value: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """``"10.0.0.0/8, fd00::/8"`` → the networks (host bits must be zero)."""
    return tuple(ip_network(part.strip()) for part in value.split(",") if part.strip())


def _validate_networks(value: str) -> None:
    try:
        parse_networks(value)
    except ValueError as error:
        raise ConfigError(f"PACTUM_WEBHOOK_ALLOWED_NETWORKS must list networks like 10.0.0.0/8: {error}.") from None


def ensure_secret_key(settings: Settings) -> str:
    """The configured key, or one generated on first start and kept in the data folder."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
