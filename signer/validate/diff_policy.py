"""The difference analysis used by the validator: pyHanko's standard policy with the
changes PAdES (ETSI EN 319 142-1) always allows, and pyHanko's crashes turned into findings.

pyHanko's :data:`~pyhanko.sign.diff_analysis.DEFAULT_DIFF_POLICY` judges every
revision appended after a signature. Held against the EU reference validator it
is stricter than PAdES in three places, and fragile in one:

* **VRI updates.** A later long-term-validation update that rewrites the VRI
  entry of a signature (more certificates, fresh OCSP responses: what Adobe and
  the DSS library do when they extend a document again) is "VRI key modified"
  to pyHanko. EN 319 142-1 (5.4) lets the DSS and its VRI entries be added to and
  updated in any later revision; :class:`ValidationDataRule` checks their
  structure (arrays of streams, no stream overridden) but lets entries change.
* **Annotations.** pyHanko has no rule for annotations (its docs: "not designed
  to support DocMDP level 3"), so a comment added later is "unexplained xrefs".
  :class:`AnnotationRule` clears new markup annotations (comments, highlights,
  stamps, …) at the ANNOTATIONS level; whether that level is permitted is then
  decided by the signature's DocMDP permission, as before.
* **Undefined references.** A reference to an object that no cross-reference
  section defines is, by ISO 32000-1 7.3.10, a reference to ``null``. pyHanko's
  dependency walk raises ``KeyError(Reference(...))`` on it
  (``XRefCache.get_introducing_revision``), and the whole signature used to end
  as FORMAT_FAILURE. :class:`_NullTolerantResolver` skips such references.
* **Any other error** inside the analysis of one revision (a damaged object, an
  assertion in pyHanko) makes that revision's changes unexplained — a
  :class:`~pyhanko.sign.diff_analysis.policy_api.SuspiciousModification` that says
  so — instead of an exception that ends the validation of the signature.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import Any, TypeAlias

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DocInfoRule,
    FieldComparisonContext,
    FieldComparisonSpec,
    FormUpdate,
    FormUpdatingRule,
    GenericFieldModificationRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)
from pyhanko.sign.diff_analysis.commons import compare_dicts, compare_key_refs, safe_whitelist
from pyhanko.sign.diff_analysis.constants import VRI_KEY_PATTERN
from pyhanko.sign.diff_analysis.policy_api import DiffResult, SuspiciousModification
from pyhanko.sign.diff_analysis.rules_api import (
    Context,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    RelativeContext,
    WhitelistRule,
)
from pyhanko.sign.fields import FieldMDPSpec, MDPPerm

from .._pdfobjects import entry, raw_array_items, resolved, text_entry

__all__ = ["PADES_DIFF_POLICY", "AnnotationRule", "FieldValueRule", "PadesDiffPolicy", "ValidationDataRule"]

_Versions: TypeAlias = tuple[generic.PdfObject | None, generic.PdfObject | None]

_DSS_STREAM_ARRAYS = ("/Certs", "/CRLs", "/OCSPs")
_VRI_STREAM_ARRAYS = ("/Cert", "/CRL", "/OCSP")
_DSS_KEYS = frozenset({"/Type", "/VRI", *_DSS_STREAM_ARRAYS})
_VRI_ENTRY_KEYS = frozenset({"/Type", "/TU", "/TS", *_VRI_STREAM_ARRAYS})

# Annotations that only comment on the page (ISO 32000-1 12.5.6 markup annotations and
# their pop-ups). Links, media, widgets and the like are not cleared by AnnotationRule.
COMMENT_SUBTYPES = frozenset(
    {
        "/Text",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Caret",
        "/Ink",
        "/Stamp",
        "/Popup",
    }
)


def _is_defined(resolver: HistoricalResolver, ref: generic.Reference) -> bool:
    """Whether any cross-reference section defines ``ref`` (in use, not freed)."""
    try:
        resolver.reader.xrefs.get_introducing_revision(ref)
    except KeyError:
        return False
    return True


class _NullTolerantResolver(HistoricalResolver):
    """A revision view whose dependency walk treats undefined references as ``null``
    (ISO 32000-1 7.3.10) instead of raising ``KeyError``."""

    def _collect_indirect_references(self, obj: Any, seen: Any, since_revision: Any = None) -> None:
        if isinstance(obj, generic.IndirectObject) and not _is_defined(self, obj.reference):
            return
        super()._collect_indirect_references(obj, seen, since_revision)  # type: ignore[no-untyped-call]


# ---------------------------------------------------------------------------
# validation data: DSS and VRI
# ---------------------------------------------------------------------------


def _stream_refs(value: generic.PdfObject) -> list[generic.Reference]:
    """The references of an array of indirect streams; anything else is not validation data."""
    array = resolved(value)
    if not isinstance(array, generic.ArrayObject):
        raise SuspiciousModification("Validation data in the DSS is not an array.")
    refs: list[generic.Reference] = []
    for item in list.__iter__(array):
        if not isinstance(item, generic.IndirectObject) or not isinstance(resolved(item), generic.StreamObject):
            raise SuspiciousModification("Validation data in the DSS is not a list of streams.")
        refs.append(item.reference)
    return refs


def _clear_stream_array(
    old: HistoricalResolver, new: HistoricalResolver, old_value: Any, value: generic.PdfObject, context: Context
) -> Iterator[ReferenceUpdate]:
    """Clear one array of validation data (certificates, CRLs or OCSP responses): the
    array object itself when it is indirect, and every stream added since ``old``."""
    _stream_refs(value)
    if isinstance(value, generic.IndirectObject):
        old_ref = old_value.reference if isinstance(old_value, generic.IndirectObject) else None
        for ref in safe_whitelist(old, old_ref, value.reference):
            yield ReferenceUpdate(ref, context_checked=context)
    for ref in new.collect_dependencies(value, since_revision=old.revision + 1):
        yield ReferenceUpdate(ref, context_checked=context)


def _clear_stream_arrays(
    old: HistoricalResolver,
    new: HistoricalResolver,
    old_dict: generic.DictionaryObject | None,
    new_dict: generic.DictionaryObject,
    keys: Iterable[str],
    context: Context,
) -> Iterator[ReferenceUpdate]:
    for key in keys:
        if key in new_dict:
            old_value = old_dict.raw_get(key) if old_dict is not None and key in old_dict else None
            yield from _clear_stream_array(old, new, old_value, new_dict.raw_get(key), context.descend(key))


class ValidationDataRule(WhitelistRule):
    """Additions to and updates of the document security store (DSS) and its VRI entries.

    PAdES allows validation data to be added in any later revision, and a VRI entry
    to be rewritten or dropped (EN 319 142-1, 5.4; the reference validator treats
    such revisions as "DSS updates"). What is checked is structure, not content:
    the DSS and each VRI entry hold only their defined keys, validation data are
    arrays of streams, and no object that existed before is overridden unless it
    was that same DSS object (``safe_whitelist``: streams are never overridden).
    """

    def apply(self, old: HistoricalResolver, new: HistoricalResolver) -> Iterator[ReferenceUpdate]:
        dss_context = Context.from_absolute(old, RawPdfPath("/Root", "/DSS"))
        old_dss, new_dss = yield from _cleared(compare_key_refs("/DSS", old, old.root, new.root), dss_context)
        if new_dss is None:
            return
        if not isinstance(new_dss, generic.DictionaryObject):
            raise SuspiciousModification("The DSS is not a dictionary.")
        old_dss = old_dss if isinstance(old_dss, generic.DictionaryObject) else None
        unexpected = set(new_dss.keys()) - _DSS_KEYS
        if unexpected:
            raise SuspiciousModification(f"The DSS holds entries that are not validation data: {sorted(unexpected)}.")
        yield from _clear_stream_arrays(old, new, old_dss, new_dss, _DSS_STREAM_ARRAYS, dss_context)
        vri_context = dss_context.descend("/VRI")
        old_vri, new_vri = yield from _cleared(_key_refs("/VRI", old, old_dss, new_dss), vri_context)
        if new_vri is None:
            return
        if not isinstance(new_vri, generic.DictionaryObject):
            raise SuspiciousModification("The VRI of the DSS is not a dictionary.")
        old_vri = old_vri if isinstance(old_vri, generic.DictionaryObject) else None
        for key in new_vri:
            if old_vri is not None and key in old_vri and old_vri.raw_get(key) == new_vri.raw_get(key):
                continue  # unchanged entry
            yield from self._vri_entry(old, new, key, new_vri.raw_get(key), vri_context.descend(key))

    @staticmethod
    def _vri_entry(
        old: HistoricalResolver, new: HistoricalResolver, key: str, value: generic.PdfObject, context: Context
    ) -> Iterator[ReferenceUpdate]:
        """A VRI entry that is new or rewritten: a dictionary of validation data for one signature."""
        if not VRI_KEY_PATTERN.match(key):
            raise SuspiciousModification(f"The VRI key {key} is not the hash of a signature.")
        if isinstance(value, generic.IndirectObject):
            yield from (ReferenceUpdate(ref, context_checked=context) for ref in _new_or_same(old, value.reference))
        vri_entry = resolved(value)
        if not isinstance(vri_entry, generic.DictionaryObject) or isinstance(vri_entry, generic.StreamObject):
            raise SuspiciousModification(f"The VRI entry {key} is not a dictionary.")
        unexpected = set(vri_entry.keys()) - _VRI_ENTRY_KEYS
        if unexpected:
            raise SuspiciousModification(f"The VRI entry {key} holds unexpected entries: {sorted(unexpected)}.")
        yield from _clear_stream_arrays(old, new, None, vri_entry, _VRI_STREAM_ARRAYS, context)
        if "/TS" in vri_entry:
            ts = vri_entry.raw_get("/TS")
            if not isinstance(ts, generic.IndirectObject) or not isinstance(resolved(ts), generic.StreamObject):
                raise SuspiciousModification(f"The timestamp of VRI entry {key} is not a stream.")
            if old.is_ref_unassignable(ts.reference):
                yield ReferenceUpdate(ts.reference, context_checked=context.descend("/TS"))


def _new_or_same(old: HistoricalResolver, ref: generic.Reference) -> Iterator[generic.Reference]:
    """``ref`` when it is a new object or an existing non-stream one (overrides are then
    cleared per path by the policy: an object also used elsewhere stays unexplained)."""
    if old.is_ref_unassignable(ref):
        yield ref
        return
    if isinstance(old(ref), generic.StreamObject):
        raise SuspiciousModification(f"A DSS update overrides the stream {ref}.")
    yield ref


def _key_refs(
    key: str, old: HistoricalResolver, old_dict: generic.DictionaryObject | None, new_dict: generic.DictionaryObject
) -> Generator[generic.Reference, None, _Versions]:
    """``compare_key_refs`` for a dictionary that may not have existed in the old revision."""
    if old_dict is not None:
        return (yield from compare_key_refs(key, old, old_dict, new_dict))
    value = new_dict.raw_get(key) if key in new_dict else None
    if isinstance(value, generic.IndirectObject):
        yield from _new_or_same(old, value.reference)
    return None, resolved(value)


def _cleared(
    refs: Generator[generic.Reference, None, _Versions], context: Context
) -> Generator[ReferenceUpdate, None, _Versions]:
    """``compare_key_refs``' references as updates checked at ``context``, passing on its
    return value (the old and new values of the key)."""
    versions: _Versions = yield from misc.map_with_return(refs, ReferenceUpdate.curry_ref(context_checked=context))
    return versions


# ---------------------------------------------------------------------------
# annotations
# ---------------------------------------------------------------------------


def _page_refs(pdf: HistoricalResolver) -> list[generic.Reference]:
    """The page objects of one revision in document order (cycles and direct nodes skipped)."""
    pages: list[generic.Reference] = []
    seen: set[generic.Reference] = set()
    root = pdf.root
    pending: list[generic.PdfObject] = [root.raw_get("/Pages")] if "/Pages" in root else []
    while pending:
        node_ref = pending.pop()
        if not isinstance(node_ref, generic.IndirectObject) or node_ref.reference in seen:
            continue
        seen.add(node_ref.reference)
        node = resolved(node_ref)
        if not isinstance(node, generic.DictionaryObject):
            continue
        if "/Kids" in node:
            pending.extend(reversed(raw_array_items(entry(node, "/Kids"))))
        else:
            pages.append(node_ref.reference)
    return pages


def _annotation_refs(page: generic.DictionaryObject) -> list[generic.PdfObject]:
    return raw_array_items(entry(page, "/Annots"))


def _is_new_comment(old: HistoricalResolver, annot: generic.PdfObject) -> bool:
    return (
        isinstance(annot, generic.IndirectObject)
        and old.is_ref_unassignable(annot.reference)
        and text_entry(annot, "/Subtype") in COMMENT_SUBTYPES
    )


class AnnotationRule(QualifiedWhitelistRule):
    """Comments added to a page (ISO 32000-1 markup annotations), cleared at the
    ANNOTATIONS level: DocMDP P=3 permits them, P=1 and P=2 do not (pyHanko's
    ``docmdp_ok`` compares the level with the permission).

    A page is cleared only when nothing but its ``/Annots`` changed, every
    annotation it had is still there, and every added one is a new object whose
    subtype is a comment (:data:`COMMENT_SUBTYPES`); the annotations' own new
    objects (appearance streams, pop-ups) come with them. Anything else on the page
    stays unexplained.
    """

    def apply_qualified(
        self, old: HistoricalResolver, new: HistoricalResolver
    ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        old_pages = _page_refs(old)
        if old_pages != _page_refs(new):
            return  # the page tree changed: not an annotation
        changed: set[generic.Reference] = new.explicit_refs_in_revision()  # type: ignore[no-untyped-call]
        for page_ref in old_pages:
            if page_ref in changed:
                for update in self._page(old, new, page_ref):
                    yield ModificationLevel.ANNOTATIONS, update

    @staticmethod
    def _page(old: HistoricalResolver, new: HistoricalResolver, page_ref: generic.Reference) -> list[ReferenceUpdate]:
        old_page, new_page = old(page_ref), new(page_ref)
        if not isinstance(old_page, generic.DictionaryObject) or not isinstance(new_page, generic.DictionaryObject):
            return []
        if not compare_dicts(old_page, new_page, frozenset({"/Annots"}), raise_exc=False):
            return []
        before = _annotation_refs(old_page)
        added = [a for a in _annotation_refs(new_page) if a not in before]
        if not added or any(a not in _annotation_refs(new_page) for a in before):
            return []
        if not all(_is_new_comment(old, a) for a in added):
            return []
        updates = [ReferenceUpdate(page_ref, context_checked=None)]  # only /Annots differs (checked above)
        annots = new_page.raw_get("/Annots")
        if isinstance(annots, generic.IndirectObject):
            updates.append(
                ReferenceUpdate(annots.reference, context_checked=RelativeContext(page_ref, RawPdfPath("/Annots")))
            )
        for annot in added:
            updates.extend(
                ReferenceUpdate(ref) for ref in new.collect_dependencies(annot, since_revision=old.revision + 1)
            )
        return updates


# ---------------------------------------------------------------------------
# form fields: appearance streams rewritten in place
# ---------------------------------------------------------------------------


def _rewritten_after(old: HistoricalResolver, new: HistoricalResolver, ref: generic.Reference) -> bool:
    """Whether a revision after ``old``, up to and including ``new``, writes object ``ref``."""
    xrefs = new.reader.xrefs
    return any(ref in xrefs.explicit_refs_in_revision(r) for r in range(old.revision + 1, new.revision + 1))


class FieldValueRule(GenericFieldModificationRule):
    """pyHanko's rule for filling in non-signature fields, with a correct test of whether
    an appearance stream was rewritten in place.

    pyHanko (``_allow_in_place_appearance_update``) takes a stream as rewritten unless
    the *last* revision of the whole file that writes it is the signed one. A field
    made before the signed revision (the usual case: the form exists, then it is
    signed) thus counts as rewritten in every later revision, and when a signature
    locks that field (FieldMDP), any later revision (a second signature, filling in
    another field) is rejected as "the form field … is locked". Here a stream counts
    as rewritten only when a revision between the signed one and the one under review
    writes it.
    """

    def __init__(self) -> None:
        super().__init__(allow_in_place_appearance_stream_changes=False)

    def check_form_field(
        self, fq_name: str, spec: FieldComparisonSpec, context: FieldComparisonContext
    ) -> Iterator[tuple[ModificationLevel, FormUpdate]]:
        yield from super().check_form_field(fq_name, spec, context)
        if spec.field_type == "/Sig" or not spec.new_field_ref or not spec.old_field_ref:
            return
        old_field, new_field = resolved(spec.old_field_ref), resolved(spec.new_field_ref)
        if isinstance(old_field, generic.DictionaryObject) and isinstance(new_field, generic.DictionaryObject):
            for update in _rewritten_appearances(context.old, context.new, old_field, new_field, fq_name):
                yield ModificationLevel.FORM_FILLING, update


def _rewritten_appearances(
    old: HistoricalResolver,
    new: HistoricalResolver,
    old_field: generic.DictionaryObject,
    new_field: generic.DictionaryObject,
    fq_name: str,
) -> Iterator[FormUpdate]:
    """The appearance streams (/N, /R, /D) of a field that keep their object number but
    were rewritten after ``old``, with the new objects they use. Each is cleared only
    through this field's appearance dictionary (a relative context), so a stream also
    used elsewhere stays unexplained. Fields with states (/AS) change state, not streams."""
    if "/AS" in old_field or "/AP" not in old_field or "/AP" not in new_field:
        return
    old_ap_raw = old_field.raw_get("/AP")
    old_ap, new_ap = resolved(old_ap_raw), resolved(new_field.raw_get("/AP"))
    if not isinstance(old_ap, generic.DictionaryObject) or not isinstance(new_ap, generic.DictionaryObject):
        return
    for key in ("/N", "/R", "/D"):
        stream = old_ap.raw_get(key) if key in old_ap else None
        if not isinstance(stream, generic.IndirectObject) or key not in new_ap or new_ap.raw_get(key) != stream:
            continue
        if not _rewritten_after(old, new, stream.reference):
            continue
        holder = old_ap_raw if isinstance(old_ap_raw, generic.IndirectObject) else old_field.container_ref
        if holder is None:
            continue  # an appearance dictionary nobody holds: stays unexplained
        path = RawPdfPath(key) if isinstance(old_ap_raw, generic.IndirectObject) else RawPdfPath("/AP", key)
        yield FormUpdate(stream.reference, context_checked=RelativeContext(holder, path), field_name=fq_name)
        for ref in new.collect_dependencies(stream, since_revision=old.revision + 1):
            yield FormUpdate(ref, field_name=fq_name)


# ---------------------------------------------------------------------------
# the policy
# ---------------------------------------------------------------------------


class PadesDiffPolicy(StandardDiffPolicy):
    """pyHanko's standard policy, reviewing each later revision on revision views that
    tolerate undefined references, and reporting a revision whose analysis fails as
    unexplained changes rather than raising."""

    def review_file(
        self,
        reader: PdfFileReader,
        base_revision: int | HistoricalResolver,
        field_mdp_spec: FieldMDPSpec | None = None,
        doc_mdp: MDPPerm | None = None,
    ) -> DiffResult | SuspiciousModification:
        base = (
            base_revision
            if isinstance(base_revision, HistoricalResolver)
            else _NullTolerantResolver(reader, base_revision)
        )
        level = ModificationLevel.NONE
        changed_fields: set[str] = set()
        for revision in range(base.revision + 1, reader.xrefs.total_revisions):
            result = self._review_revision(base, _NullTolerantResolver(reader, revision), field_mdp_spec, doc_mdp)
            if isinstance(result, SuspiciousModification):
                return result
            level = max(level, result.modification_level)
            changed_fields |= result.changed_form_fields
        return DiffResult(level, changed_fields)

    def _review_revision(
        self,
        old: HistoricalResolver,
        new: HistoricalResolver,
        field_mdp_spec: FieldMDPSpec | None,
        doc_mdp: MDPPerm | None,
    ) -> DiffResult | SuspiciousModification:
        try:
            return self.apply(old, new, field_mdp_spec, doc_mdp)
        except SuspiciousModification as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - a damaged object must not end the validation
            return SuspiciousModification(
                f"The changes made in revision {new.revision} could not be analysed "
                f"({type(exc).__name__}: {exc or 'no detail'})."
            )


PADES_DIFF_POLICY = PadesDiffPolicy(
    global_rules=[
        CatalogModificationRule(),  # type: ignore[no-untyped-call]
        DocInfoRule().as_qualified(ModificationLevel.LTA_UPDATES),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ValidationDataRule().as_qualified(ModificationLevel.LTA_UPDATES),
        MetadataUpdateRule().as_qualified(  # type: ignore[no-untyped-call]
            ModificationLevel.LTA_UPDATES
        ),
        AnnotationRule(),
    ],
    form_rule=FormUpdatingRule(
        field_rules=[
            SigFieldCreationRule(),  # type: ignore[no-untyped-call]
            SigFieldModificationRule(),
            FieldValueRule(),
        ],
    ),
)
"""The validator's difference policy: pyHanko's default rules, with
:class:`ValidationDataRule` instead of ``DSSCompareRule``, :class:`FieldValueRule` instead of
``GenericFieldModificationRule``, and :class:`AnnotationRule` added."""
