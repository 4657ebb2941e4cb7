"""What the contract page shows of a version: the PDF itself, the PDF rendition of a Word, ODT,
RTF or DOC version, an image, or a sentence saying why there is no preview."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from .models import ContractVersion, VersionRendition, rendition_of
from .status import VersionStatus

PDF = "application/pdf"
IMAGES = ("image/png", "image/jpeg")


@dataclass(frozen=True)
class Preview:
    #: ``pdf``, ``image`` or ``none`` (then ``message`` says why).
    kind: str
    url: str = ""
    message: str = ""
    #: The PDF shown is a rendition made from the original (a Word file …).
    rendition: bool = False


def preview_of(version: ContractVersion | None) -> Preview:
    if version is None:
        return Preview("none", message=_("No preview for this file type. Download it to open it."))
    file_url = url_for("api.version_file", contract_id=version.contract_id, number=version.number, inline=1)
    if version.media_type == PDF:
        return Preview("pdf", url=file_url)
    if version.media_type in IMAGES:
        return Preview("image", url=file_url)
    rendition = rendition_of(version)
    if rendition is not None and rendition.ready:
        url = url_for("api.version_preview", contract_id=version.contract_id, number=version.number)
        return Preview("pdf", url=url, rendition=True)
    return Preview("none", message=_missing_message(version, rendition))


def _missing_message(version: ContractVersion, rendition: VersionRendition | None) -> str:
    if rendition is None:
        if version.status == VersionStatus.PROCESSING:
            return _("The preview is being prepared. Reload the page in a moment.")
        return _("No preview for this file type. Download it to open it.")
    if rendition.reason == "missing":
        return _(
            "No preview: LibreOffice, which converts this file to PDF, is not installed on the server. "
            "The file can still be searched and downloaded."
        )
    if rendition.reason == "timeout":
        return _("No preview: converting this file to PDF took too long. Download it to open it.")
    if rendition.reason == "busy":
        return _("No preview yet: the converter was busy. An administrator can run “pactum renditions”.")
    return _(
        "No preview: this file could not be converted to PDF (%(detail)s). Download it to open it.",
        detail=rendition.detail or "—",
    )
