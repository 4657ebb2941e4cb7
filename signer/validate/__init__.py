"""Validation of PDF signatures into an auditor's :class:`~signer.report.ValidationReport`.

Each ``/Sig`` signature goes through pyHanko's implementation of the ETSI EN
319 102-1 validation processes (``ades_lta_validation``: basic validation,
validation with time, past signature validation with the document timestamps
as proof of existence; the basic validation alone for B-B signatures, see
``ades.py``). Its result is in ETSI vocabulary
already; on top of it this package applies the PDF-specific checks that process
does not make (byte-range coverage, incremental updates, DocMDP, shadow
attacks). The complete mapping is in ``signer/README.md``; in short:

==========================================  ================  =======================
finding                                     indication        sub_indication
==========================================  ================  =======================
all checks pass                             TOTAL_PASSED      null
pyHanko AdESFailure.X (HASH_FAILURE,        TOTAL_FAILED      X
SIG_CRYPTO_FAILURE, REVOKED, FORMAT_...)
pyHanko AdESIndeterminate.X                 INDETERMINATE     X (NO_CERTIFICATE_CHAIN_
                                                              FOUND, TRY_LATER, ...)
signature dict / CMS unreadable, no         TOTAL_FAILED      FORMAT_FAILURE
SubFilter, /ByteRange not covering the
file as one revision (signature wrapping),
signed attributes not in DER order
a SubFilter we do not know                  INDETERMINATE     GENERIC
later revision changes what was signed      INDETERMINATE     SIG_CONSTRAINTS_FAILURE
(modification level OTHER, shadow attacks,
DocMDP/FieldMDP violation, form field
filled over signed content, a page that
looks different from the signed revision)
the CMS lacks the signer's certificate      INDETERMINATE     NO_SIGNING_CERTIFICATE_FOUND
any other error while checking it           INDETERMINATE     GENERIC (or pyHanko's)
==========================================  ================  =======================

A finding never makes a verdict better: TOTAL_FAILED stays TOTAL_FAILED.
``validate_pdf`` raises nothing but :class:`~signer.errors.ValidationError`
(the document as a whole cannot be read); PDF objects are read through
:mod:`signer._pdfobjects`, which follows indirect references and tolerates
values of the wrong type.

The package, in the order a signature goes through it:

* :mod:`.document` — :func:`validate_pdf`: open the PDF, find the signatures
  and document timestamps, assemble the document's report;
* :mod:`.classify` — what each filled field is (signature or document timestamp,
  from its SubFilter and CMS content type, not only its /Type), and a CMS with
  several SignerInfos reduced to its first;
* :mod:`.signature` — one signature: the checks below in their order,
  assembled into its report;
* :mod:`.ades` — the ETSI process run by pyHanko and its verdict;
* :mod:`.legacy` — ``adbe.pkcs7.sha1`` signatures (CMS checks, no ETSI process);
* :mod:`.encoding` — signed attributes that are not in DER order;
* :mod:`.coverage` — nonstandard byte-range coverage that is not wrapping;
* :mod:`.integrity` — digest, signature value, byte-range coverage;
* :mod:`.modifications` — changes after signing: difference analysis, DocMDP,
  the forensics of :mod:`signer._forensics`, the page comparison of
  :mod:`signer.visual_diff`;
* :mod:`.diff_policy` — the difference policy: pyHanko's, with what PAdES always
  allows (DSS/VRI updates), comments at the ANNOTATIONS level, and pyHanko's crashes
  turned into findings;
* :mod:`.trust` and :mod:`.certificates` — the certificate path and how
  certificates are named in the report;
* :mod:`.timestamps` — signature timestamps and document timestamps;
* :mod:`.revocation` — the DSS and the revocation status of the signer;
* :mod:`.pades` — the PAdES level in structure;
* :mod:`.verdict` — verdicts, and :class:`~.verdict.Findings`, which every check adds to;
* :mod:`.settings` — :class:`TrustSettings` and the pyHanko policy built from them;
* :mod:`.context` — the document under validation, shared by the checks.
"""

from .document import validate_pdf
from .settings import RevocationMode, TrustSettings, build_spec

__all__ = ["RevocationMode", "TrustSettings", "validate_pdf"]

# Not public: bench/signing/run.py builds pyHanko's policy exactly as validate_pdf does.
_build_spec = build_spec
