"""Exception family of :mod:`signer`.

Every error the library raises on purpose derives from :class:`SignerError`, so
callers (the Flask layer) can catch one type and show ``str(exc)`` to a person:
the messages are written for people, not for developers.
"""

from __future__ import annotations

__all__ = ["KeyUnavailable", "SignerError", "SigningRefused", "ValidationError"]


class SignerError(Exception):
    """Base class of all errors raised by :mod:`signer`."""


class SigningRefused(SignerError):
    """Signing was refused because a prerequisite of the requested result is missing.

    The library never silently produces a weaker signature than was asked for
    (e.g. B-B when B-T was requested); it raises this instead, with the reason.
    """


class KeyUnavailable(SignerError, KeyError):
    """A signing key or certificate could not be loaded or used.

    Also a :class:`KeyError`, so ``except KeyError`` in generic code still works.
    Raised for a wrong passphrase, a missing or unreadable file, a PKCS#12 file
    without a key, or an unsupported key type.
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "signing key unavailable"


class ValidationError(SignerError):
    """The input could not be validated at all (e.g. it is not a PDF).

    Problems *with signatures* are never raised: they are reported in the
    :class:`~signer.report.ValidationReport`.
    """
