"""What happened after signing: pyHanko's difference analysis, DocMDP, and the
PDF-specific forensics of :mod:`signer._forensics` (shadow attacks the diff
policy lets through, bytes appended without a cross-reference section)."""

from __future__ import annotations

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult, SuspiciousModification
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel

from .. import _forensics
from .._pdfobjects import array_entry, text_entry
from ..report import CertificationName, ChangeKind, Coverage
from ..visual_diff import VisualComparison, compare_pages
from .context import DocumentContext
from .integrity import IntegrityFacts
from .verdict import NOT_ALLOWED_CHANGE, Findings

__all__ = ["certification_of", "changes_of", "check_modifications"]

_CERTIFICATION: dict[MDPPerm, CertificationName] = {
    MDPPerm.NO_CHANGES: "no_changes",
    MDPPerm.FILL_FORMS: "form_filling",
    MDPPerm.ANNOTATE: "annotations",
}


def changes_of(level: ModificationLevel | None) -> ChangeKind:
    """The report's name for a pyHanko modification level."""
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return "none"
    if level == ModificationLevel.FORM_FILLING:
        return "form_filling"
    if level == ModificationLevel.ANNOTATIONS:
        return "annotations"
    return "other"


def _is_certification(esig: EmbeddedPdfSignature) -> bool:
    """Whether the signature dictionary carries a DocMDP transform (``/Reference`` may be
    an indirect array, and each element an indirect dictionary)."""
    references = array_entry(esig.sig_object, "/Reference")
    return any(text_entry(ref, "/TransformMethod") == "/DocMDP" for ref in references)


def _docmdp_level(esig: EmbeddedPdfSignature) -> MDPPerm | None:
    """pyHanko's DocMDP level of the signature; None when it has none or it cannot be read."""
    try:
        return esig.docmdp_level
    except (SignatureValidationError, PdfError, TypeError, ValueError, KeyError):
        return None


def certification_of(esig: EmbeddedPdfSignature, findings: Findings) -> CertificationName | None:
    """The later changes a certification (DocMDP) signature allows; None for other signatures,
    and, with a warning, for a certification whose permissions cannot be read."""
    if not _is_certification(esig):
        return None
    level = _docmdp_level(esig)
    if level is None:
        findings.warn("The permissions of this certification signature (DocMDP) cannot be read.")
        return None
    return _CERTIFICATION.get(level)


def check_modifications(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, facts: IntegrityFacts, findings: Findings
) -> Coverage:
    """Classify the changes made after signing; changes that are not allowed make the
    verdict INDETERMINATE/SIG_CONSTRAINTS_FAILURE."""
    later = ctx.revisions_after(esig.signed_revision)
    changes = changes_of(facts.modification_level) if facts.covers_one_revision else "other"
    _warn_about_disallowed_diff(ctx, esig, facts, changes, findings)
    # -- extra forensics (shadow attacks the diff policy lets through) -------
    if later and isinstance(facts.diff, DiffResult) and changes in ("form_filling", "annotations"):
        changes = _check_overlays(ctx, esig, changes, findings)
    if later and facts.covers_one_revision:
        changes = _check_pages(ctx, esig, changes, findings)
    _note_permitted_changes(changes, later, findings)
    whole = facts.covers_whole_file
    if _check_trailing_bytes(ctx.data, findings):
        changes, whole = "other", False
    if changes == "other":
        findings.downgrade(NOT_ALLOWED_CHANGE)
    _check_docmdp(esig, facts, changes, findings)
    return Coverage(whole_document=whole, later_revisions=later, changes=changes)


def _warn_about_disallowed_diff(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, facts: IntegrityFacts, changes: ChangeKind, findings: Findings
) -> None:
    later = ctx.revisions_after(esig.signed_revision)
    if isinstance(facts.diff, SuspiciousModification):
        findings.warn(_forensics.describe_disallowed_change(ctx.reader, esig.signed_revision, str(facts.diff)))
    elif changes == "other" and later and facts.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        findings.warn("A later revision changes the document in a way that is not allowed.")


def _check_overlays(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, changes: ChangeKind, findings: Findings
) -> ChangeKind:
    """Form fields filled after signing over signed content turn the changes into ``other``."""
    finding = _forensics.overlay_findings(ctx.data, ctx.reader, esig)
    for warning in finding.warnings:
        findings.warn(warning)
    return "other" if finding.suspicious else changes


def _check_pages(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, changes: ChangeKind, findings: Findings
) -> ChangeKind:
    """Pages that look different from the signed revision turn the changes into ``other``,
    whatever the object-level analysis concluded (see :mod:`signer.visual_diff`)."""
    result = compare_pages(_forensics.signed_revision_bytes(ctx.data, esig), ctx.data, ctx.renders)
    _warn_about_incomplete_comparison(result, findings)
    if not result.differing_pages:
        return changes
    verb = "looks" if len(result.differing_pages) == 1 else "look"
    findings.warn(
        f"{_page_list(result.differing_pages)} {verb} different now from when the document was signed: "
        "what is shown there was changed after signing."
    )
    return "other"


def _warn_about_incomplete_comparison(result: VisualComparison, findings: Findings) -> None:
    if result.error is not None:
        findings.warn(f"The pages could not be compared with the signed revision: {result.error}.")
    elif not result.complete:
        total = max(result.signed_pages, result.final_pages)
        findings.warn(
            f"Only {result.compared} of {total} pages were compared with the signed revision "
            "(the visual comparison is limited in pages and time)."
        )


def _page_list(pages: tuple[int, ...]) -> str:
    """ "Page 3" or "Pages 1, 2 and 5" (at most ten named)."""
    named = [str(p) for p in pages[:10]]
    if len(pages) > 10:
        named.append(f"{len(pages) - 10} more")
    if len(named) == 1:
        return f"Page {named[0]}"
    return f"Pages {', '.join(named[:-1])} and {named[-1]}"


def _note_permitted_changes(changes: ChangeKind, later: int, findings: Findings) -> None:
    """Permitted later changes are still not covered by the signature: say so."""
    if later and changes == "form_filling" and not any("form field" in w.lower() for w in findings.warnings):
        findings.warn(
            f"{later} later revision(s) add signatures or fill in form fields; "
            "that is permitted, but those later changes are not covered by this signature."
        )
    if changes == "annotations":
        findings.warn("Comments or other annotations were added after this signature.")


def _check_trailing_bytes(data: bytes, findings: Findings) -> bool:
    """Bytes after the last ``%%EOF`` (an incremental saving attack without xref)."""
    trailing = _forensics.trailing_garbage(data)
    if not trailing:
        return False
    findings.downgrade(NOT_ALLOWED_CHANGE)
    findings.warn(
        f"{trailing} bytes were appended after the last revision without a valid "
        "cross-reference section; some viewers display them."
    )
    return True


def _check_docmdp(esig: EmbeddedPdfSignature, facts: IntegrityFacts, changes: ChangeKind, findings: Findings) -> None:
    """Changes beyond what a certification or field lock permits (pyHanko's ``docmdp_ok``)."""
    if facts.docmdp_ok is not False:
        return
    findings.downgrade(NOT_ALLOWED_CHANGE)
    level = _docmdp_level(esig)
    if level is not None:
        findings.warn(f"Changes made after signing exceed what this signature permits (DocMDP level {level.value}).")
    elif changes != "other":
        findings.warn("Changes made after signing exceed what this signature permits.")
