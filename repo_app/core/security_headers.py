"""Security headers on every answer, and the per-request nonce of the Content-Security-Policy.

Scripts run only from our own origin or when they carry this request's nonce (templates write
``<script nonce="{{ csp_nonce() }}">``); inline event handlers and ``javascript:`` URLs never
run. ``'wasm-unsafe-eval'`` lets pdf.js compile its WebAssembly image decoders; it does not
allow ``eval`` of JavaScript. Styles may be inline (Bootstrap, htmx and pdf.js set them);
a style cannot run a script. No page may be framed, not even by ourselves, so the signing,
sharing and delete pages cannot be overlaid by another site (click-jacking).

HSTS is only sent when the request came over TLS (``request.is_secure``, which honours the
proxy's ``X-Forwarded-Proto`` when the proxy is trusted): a browser ignores it on plain HTTP,
and sending it from a test server on http://localhost would pin that host to HTTPS.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

from .extensions import settings

_NONCE_BYTES = 16

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def csp_nonce() -> str:
    """This request's nonce (made on first use), for ``<script nonce="…">``."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = secrets.token_urlsafe(_NONCE_BYTES)
        g.csp_nonce = nonce
    return nonce


def content_security_policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}' 'wasm-unsafe-eval'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    """Set the headers a view has not set itself."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    max_age = settings().hsts_max_age
    if request.is_secure and max_age:
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_security_headers)
