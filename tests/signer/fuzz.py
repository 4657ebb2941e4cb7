"""A seeded fuzzer for :func:`signer.validate_pdf`: signed PDFs, damaged on purpose.

The validator's promise: whatever the bytes, it returns a report or raises
:class:`signer.ValidationError` ("not a readable PDF at all"), and it does so in
reasonable time. The fuzzer checks that promise on mutated signed PDFs.

Every case is reproducible on its own: case ``i`` of a run with seed ``s``
applies its mutations with ``random.Random(f"{s}:{i}")`` to the seed document
``i`` picks, so a failing case is rebuilt with :func:`make_case` from its number.

Mutations (the first one names the case in the counts):

* ``flip_bytes`` — XOR 1-8 bytes, half of them inside PDF syntax (names,
  brackets, ``obj``/``R`` tokens), the others anywhere;
* ``truncate`` — cut the file anywhere, or just around a ``%%EOF``;
* ``cms_bytes`` — flip bytes in, or cut short, the DER of a signature's CMS and
  write it back over the same ``/Contents`` (the file around it stays intact);
* ``remove_object`` — blank an ``N G obj … endobj`` with spaces (offsets stay
  valid, the object is gone) or cut it out (every later offset is off);
* ``make_indirect`` — move a direct array or dictionary into an object of its
  own, leaving a reference (an incremental update, as in real files);
* ``array_to_dict`` — replace an array (the object itself when it is indirect)
  by a dictionary with the same elements under ``/0``, ``/1``, …;
* ``retype`` — replace a value by one of another type: a number, a name, a
  string, null, an empty array or dictionary, a reference to a missing object
  or to the container itself.

A fifth of the cases get a second mutation on top.
"""

from __future__ import annotations

import io
import json
import random
import re
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signer import SigningKey, SignOptions, TrustSettings, ValidationError, ValidationReport, sign_pdf, validate_pdf
from tests.signer.attacks import fill_text_field
from tests.signer.malformed import (
    make_entry_indirect,
    with_indirect_annots,
    with_indirect_fields,
    without_signer_certificate,
)
from tests.signer.support import make_contract_pdf, make_form_pdf

Mutation = Callable[[random.Random, bytes], bytes]
# A place in the object graph: a dictionary and one of its keys, or an array and an index.
Slot = tuple[generic.DictionaryObject | generic.ArrayObject, str | int]

# Keys whose values the validator's own code reads: mutations aim at them half of the time.
INTERESTING_KEYS = frozenset(
    {
        "/Annots", "/Fields", "/Kids", "/Rect", "/AP", "/N", "/V", "/T", "/FT", "/Reference",
        "/ByteRange", "/Contents", "/SubFilter", "/DSS", "/OCSPs", "/CRLs", "/Certs", "/Perms",
        "/DocMDP", "/TransformParams", "/Type", "/Pages", "/AcroForm", "/Reason", "/Location",
    }
)  # fmt: skip
_SYNTAX = re.compile(rb"/[A-Za-z]+|\[|\]|<<|>>|\d+ \d+ R|\d+ \d+ obj|endobj|startxref|xref|trailer")
_CONTENTS = re.compile(rb"/Contents\s*<([0-9a-fA-F]{200,})>")
_OBJECT = re.compile(rb"\d+ \d+ obj\b.*?endobj", re.S)
_MAX_SLOTS = 3000
_STOPPED = re.compile(r"could not be checked completely")


# ---------------------------------------------------------------------------
# byte-level mutations
# ---------------------------------------------------------------------------


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    syntax = [m.start() for m in _SYNTAX.finditer(data)]
    for _ in range(rng.randint(1, 8)):
        if syntax and rng.random() < 0.5:
            pos = min(rng.choice(syntax) + rng.randint(0, 6), len(out) - 1)
        else:
            pos = rng.randrange(len(out))
        out[pos] ^= rng.randint(1, 255)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    eofs = [m.end() for m in re.finditer(rb"%%EOF", data)]
    if eofs and rng.random() < 0.5:
        return data[: max(0, rng.choice(eofs) + rng.randint(-64, 8))]
    return data[: rng.randrange(len(data))]


def cms_bytes(rng: random.Random, data: bytes) -> bytes:
    """Damage the DER of a signature's CMS (flip bytes, or cut it short) and write it back
    hex-encoded over the same ``/Contents``, so the file around it stays intact."""
    gaps = list(_CONTENTS.finditer(data))
    if not gaps:
        return flip_bytes(rng, data)
    gap = rng.choice(gaps)
    der = bytearray(bytes.fromhex(gap.group(1).decode()).rstrip(b"\0") or b"\0")
    if rng.random() < 0.25:
        der = der[: rng.randrange(len(der))]
    else:
        for _ in range(rng.randint(1, 4)):
            der[rng.randrange(len(der))] ^= rng.randint(1, 255)
    new_hex = der.hex().encode().ljust(len(gap.group(1)), b"0")
    return data[: gap.start(1)] + new_hex + data[gap.end(1) :]


def remove_object(rng: random.Random, data: bytes) -> bytes:
    objects = list(_OBJECT.finditer(data))
    if not objects:
        return truncate(rng, data)
    victim = rng.choice(objects)
    if rng.random() < 0.5:
        return data[: victim.start()] + b" " * (victim.end() - victim.start()) + data[victim.end() :]
    return data[: victim.start()] + data[victim.end() :]


# ---------------------------------------------------------------------------
# structural mutations (an incremental update written with pyHanko)
# ---------------------------------------------------------------------------


def _children(obj: generic.PdfObject) -> Iterator[tuple[str | int, generic.PdfObject]]:
    if isinstance(obj, generic.DictionaryObject):
        for key in list(obj.keys()):
            if key not in ("/Parent", "/P"):  # back links: the walk reaches their targets anyway
                yield key, obj.raw_get(key)
    elif isinstance(obj, generic.ArrayObject):
        yield from enumerate(list.__iter__(obj))


def _slots(w: IncrementalPdfFileWriter) -> list[Slot]:
    """Every (container, key) reachable from the catalog, in a fixed order."""
    slots: list[Slot] = []
    seen: set[int] = set()
    pending: list[generic.PdfObject] = [w.root]
    while pending and len(slots) < _MAX_SLOTS:
        obj = pending.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for key, raw in _children(obj):
            slots.append((obj, key))  # type: ignore[arg-type]
            child = raw.get_object() if isinstance(raw, generic.IndirectObject) else raw
            if isinstance(child, (generic.DictionaryObject, generic.ArrayObject)):
                pending.append(child)
    return slots


def _pick(rng: random.Random, slots: Sequence[Slot]) -> Slot:
    """A slot, under an interesting key half of the time."""
    interesting = [s for s in slots if s[1] in INTERESTING_KEYS]
    return rng.choice(interesting if interesting and rng.random() < 0.5 else slots)


def _raw(slot: Slot) -> generic.PdfObject:
    container, key = slot
    if isinstance(container, generic.ArrayObject):
        return list.__getitem__(container, key)  # type: ignore[call-overload,no-any-return]
    return container.raw_get(key)  # type: ignore[no-any-return]


def _store(w: IncrementalPdfFileWriter, slot: Slot, value: generic.PdfObject) -> None:
    container, key = slot
    if isinstance(container, generic.ArrayObject):
        container[key] = value  # type: ignore[index]
    else:
        container[generic.NameObject(key)] = value  # type: ignore[arg-type]
    w.update_container(container)


def _updated(change: Callable[[random.Random, IncrementalPdfFileWriter, list[Slot]], bool]) -> Mutation:
    """A mutation that changes the object graph in an incremental update. When pyHanko
    cannot write one (the file is already too damaged, e.g. by a first mutation) or
    ``change`` finds nothing to change, the file gets a byte flip instead."""

    def mutate(rng: random.Random, pdf: bytes) -> bytes:
        try:
            w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            if not change(rng, w, _slots(w)):
                return flip_bytes(rng, pdf)
            out = io.BytesIO()
            w.write(out)
            return out.getvalue()
        except Exception:  # noqa: BLE001 - pyHanko's writer refuses what its reader cannot read
            return flip_bytes(rng, pdf)

    return mutate


def _make_indirect(rng: random.Random, w: IncrementalPdfFileWriter, slots: list[Slot]) -> bool:
    direct = [s for s in slots if isinstance(_raw(s), (generic.ArrayObject, generic.DictionaryObject))]
    if not direct:
        return False
    container, key = _pick(rng, direct)
    if isinstance(container, generic.DictionaryObject):
        return make_entry_indirect(w, container, key)  # type: ignore[arg-type]
    _store(w, (container, key), w.add_object(_raw((container, key))))
    return True


def _as_dictionary(array: generic.ArrayObject) -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {generic.NameObject(f"/{i}"): value for i, value in enumerate(list.__iter__(array))}
    )


def _array_to_dict(rng: random.Random, w: IncrementalPdfFileWriter, slots: list[Slot]) -> bool:
    arrays = [s for s in slots if isinstance(_raw(s).get_object(), generic.ArrayObject)]  # type: ignore[no-untyped-call]
    if not arrays:
        return False
    slot = _pick(rng, arrays)
    raw = _raw(slot)
    replacement = _as_dictionary(raw.get_object())  # type: ignore[no-untyped-call]
    if isinstance(raw, generic.IndirectObject):
        w.objects[(raw.generation, raw.idnum)] = replacement  # every user of the array sees a dictionary
    else:
        _store(w, slot, replacement)
    return True


def _retype(rng: random.Random, w: IncrementalPdfFileWriter, slots: list[Slot]) -> bool:
    if not slots:
        return False
    slot = _pick(rng, slots)
    container = slot[0]
    own_ref = container.container_ref
    options: list[generic.PdfObject] = [
        generic.NumberObject(rng.randint(-5, 10**6)),
        generic.NameObject("/Pactum"),
        generic.TextStringObject("pactum"),
        generic.NullObject(),
        generic.ArrayObject(),
        generic.DictionaryObject(),
        generic.IndirectObject(999_999, 0, w),  # points at nothing
    ]
    if isinstance(own_ref, generic.Reference):
        options.append(generic.IndirectObject(own_ref.idnum, own_ref.generation, w))  # a loop
    _store(w, slot, rng.choice(options))
    return True


MUTATIONS: dict[str, Mutation] = {
    "flip_bytes": flip_bytes,
    "truncate": truncate,
    "remove_object": remove_object,
    "cms_bytes": cms_bytes,
    "make_indirect": _updated(_make_indirect),
    "array_to_dict": _updated(_array_to_dict),
    "retype": _updated(_retype),
}


# ---------------------------------------------------------------------------
# cases and runs
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    number: int
    seed_document: str
    mutations: tuple[str, ...]
    data: bytes


@dataclass(frozen=True)
class Escape:
    """An exception other than ValidationError that left validate_pdf."""

    case: int
    mutations: tuple[str, ...]
    seed_document: str
    error: str
    where: str

    def describe(self) -> str:
        return f"#{self.case} {'+'.join(self.mutations)} on {self.seed_document}: {self.error} at {self.where}"


@dataclass
class FuzzResult:
    cases: int = 0
    reports: int = 0
    refused: int = 0  # ValidationError: "not a readable PDF"
    stopped: Counter[str] = field(default_factory=Counter)  # reasons of checks stopped by an error
    escaped: list[Escape] = field(default_factory=list)
    per_mutation: Counter[str] = field(default_factory=Counter)
    escaped_per_mutation: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # in validate_pdf
    mutation_seconds: float = 0.0  # making the cases
    slowest: tuple[float, int] = (0.0, -1)  # (seconds, case number)

    @property
    def seconds_per_case(self) -> float:
        return self.seconds / self.cases if self.cases else 0.0

    def table(self) -> str:
        lines = [
            f"{'mutation':<16} {'cases':>6} {'escaped':>8}",
            *(f"{name:<16} {self.per_mutation[name]:>6} {self.escaped_per_mutation[name]:>8}" for name in MUTATIONS),
            f"{'total':<16} {self.cases:>6} {len(self.escaped):>8}",
            f"reports: {self.reports}, refused as unreadable (ValidationError): {self.refused}",
            f"validation: {self.seconds:.1f} s, {1000 * self.seconds_per_case:.0f} ms per case, "
            f"slowest case: #{self.slowest[1]} {self.slowest[0]:.2f} s; "
            f"making the cases: {self.mutation_seconds:.1f} s",
        ]
        lines.append(f"signatures or timestamps whose checks an error stopped: {sum(self.stopped.values())}")
        lines += [f"  {n} × {reason}" for reason, n in self.stopped.most_common(10)]
        lines += [f"  escaped {e.describe()}" for e in self.escaped]
        return "\n".join(lines)

    def merge(self, other: FuzzResult) -> None:
        self.cases += other.cases
        self.reports += other.reports
        self.refused += other.refused
        self.stopped.update(other.stopped)
        self.escaped += other.escaped
        self.per_mutation.update(other.per_mutation)
        self.escaped_per_mutation.update(other.escaped_per_mutation)
        self.seconds += other.seconds
        self.mutation_seconds += other.mutation_seconds
        self.slowest = max(self.slowest, other.slowest)


def make_case(seed: int, number: int, documents: dict[str, bytes]) -> Case:
    """Case ``number`` of the run with ``seed`` (independent of every other case)."""
    rng = random.Random(f"{seed}:{number}")
    names = sorted(documents)
    seed_document = names[number % len(names)]
    first = list(MUTATIONS)[(number // len(names)) % len(MUTATIONS)]
    mutations = (first, rng.choice(list(MUTATIONS))) if rng.random() < 0.2 else (first,)
    data = documents[seed_document]
    for name in mutations:
        data = MUTATIONS[name](rng, data)
    return Case(number, seed_document, mutations, data)


def _where(exc: BaseException) -> str:
    """The innermost frame of the signer package the exception passed (else the innermost)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/signer/" in f.filename] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{'/'.join(frame.filename.split('/')[-2:])}:{frame.lineno} {frame.name}"


def _stopped_checks(report: ValidationReport) -> Iterator[str]:
    """The reasons of the signatures and timestamps whose checks an error stopped (not a
    crash, but worth knowing: each is an INDETERMINATE the file may not deserve)."""
    for item in (*report.signatures, *report.document_timestamps):
        yield from (w for w in item.warnings if _STOPPED.search(w))


def run_case(case: Case, trust: TrustSettings, result: FuzzResult) -> None:
    """Validate one case and count what came out."""
    result.cases += 1
    result.per_mutation[case.mutations[0]] += 1
    started = time.perf_counter()
    try:
        report = validate_pdf(case.data, trust)
        json.dumps(report.to_dict())  # what the app sends
        result.reports += 1
        result.stopped.update(_stopped_checks(report))
    except ValidationError:
        result.refused += 1
    except Exception as exc:  # noqa: BLE001 - that is what we are looking for
        result.escaped.append(
            Escape(case.number, case.mutations, case.seed_document, f"{type(exc).__name__}: {exc}"[:300], _where(exc))
        )
        result.escaped_per_mutation[case.mutations[0]] += 1
    elapsed = time.perf_counter() - started
    result.seconds += elapsed
    result.slowest = max(result.slowest, (elapsed, case.number))


def run(documents: dict[str, bytes], trust: TrustSettings, *, seed: int, cases: range) -> FuzzResult:
    """Run the cases numbered in ``cases`` (a range, so a run can be split between processes)."""
    result = FuzzResult()
    for number in cases:
        started = time.perf_counter()
        case = make_case(seed, number, documents)
        result.mutation_seconds += time.perf_counter() - started
        run_case(case, trust, result)
    return result


def seed_documents(alice: SigningKey, bob: SigningKey, tsa_url: str) -> dict[str, bytes]:
    """Signed PDFs that reach every part of the validator: one and two signatures, form
    filling after signing, a certification, a timestamp, the DSS and a document
    timestamp (B-LTA), indirect /Annots and /Fields, a CMS without the signer's certificate."""
    contract, form = make_contract_pdf(pages=1), make_form_pdf()
    indirect_form = with_indirect_fields(with_indirect_annots(form))

    def sign(data: bytes, key: SigningKey, level: str = "B-B", **options: Any) -> bytes:
        return sign_pdf(data, key, SignOptions(level=level, tsa_url=tsa_url, **options))  # type: ignore[arg-type]

    certified = sign(form, alice, certify="form_filling")
    return {
        "b-b": sign(contract, alice),
        "b-t": sign(contract, alice, "B-T"),
        "b-lta": sign(contract, alice, "B-LTA"),
        "certified+filled": fill_text_field(certified, "remarks", "OK", opaque=False),
        "two-signers": sign(sign(form, alice), bob),
        "indirect-arrays+overlay": fill_text_field(sign(indirect_form, alice), "amount_overlay", "999", opaque=True),
        "no-signer-certificate": without_signer_certificate(sign(contract, alice)),
    }
