"""The values that cross the rendering API: options, the failure family, what is rendered."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CONVERTERS",
    "RENDERABLE_MEDIA_TYPES",
    "ConverterMissing",
    "RenderDisabled",
    "RenderFailed",
    "RenderOptions",
    "RenderReason",
    "needs_rendition",
]

#: ``off``: nothing is rendered; ``libreoffice``: a local ``soffice --headless`` process.
CONVERTERS = ("off", "libreoffice")

#: Formats that get a PDF rendition for the preview (PDFs and images are shown as they are).
RENDERABLE_MEDIA_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/msword",
        "application/vnd.oasis.opendocument.text",
        "application/rtf",
    }
)


def needs_rendition(media_type: str) -> bool:
    return media_type in RENDERABLE_MEDIA_TYPES


@dataclass(frozen=True)
class RenderOptions:
    #: One of :data:`CONVERTERS`.
    converter: str = "libreoffice"
    #: The LibreOffice program: a name looked up on ``PATH`` or a full path.
    soffice: str = "soffice"
    #: Wall-clock limit of one conversion; the whole process group is killed after it.
    timeout_seconds: float = 120
    #: Conversions running at once on this machine (across processes); further ones wait.
    max_concurrent: int = 1
    #: Where the per-slot LibreOffice user profiles and slot locks live (default: the system's
    #: temp folder). Each slot has its own profile, so two conversions never share one.
    work_dir: Path | None = None


class RenderReason(enum.StrEnum):
    #: Rendering is switched off by configuration.
    DISABLED = "disabled"
    #: The converter (``soffice``) is not installed.
    MISSING = "missing"
    #: The converter could not read the document (damaged, encrypted, not what it claims).
    UNREADABLE = "unreadable"
    TIMEOUT = "timeout"
    #: No conversion slot became free in time.
    BUSY = "busy"


class RenderFailed(Exception):
    """The document could not be rendered. ``reason`` is the code, ``str(error)`` an English sentence."""

    def __init__(self, reason: RenderReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple[type[RenderFailed], tuple[RenderReason, str]]:
        return (RenderFailed, (self.reason, self.message))


class ConverterMissing(RenderFailed):
    """``soffice`` is not installed (or not where the options say)."""

    def __init__(self, program: str) -> None:
        super().__init__(
            RenderReason.MISSING,
            f"LibreOffice ({program}) is not installed on the server that processes documents.",
        )
        self.program = program


class RenderDisabled(RenderFailed):
    def __init__(self) -> None:
        super().__init__(RenderReason.DISABLED, "Rendering office documents as PDF is switched off.")
