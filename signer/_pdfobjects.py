"""Reading PDF objects of an untrusted file without trusting their shape.

Any value in a PDF may be an indirect reference (``12 0 R``) instead of the
object itself: a page's ``/Annots``, the AcroForm's ``/Fields``, a field's
``/Kids`` or ``/Rect``. pyHanko dereferences on ``dictionary[key]`` and
``array[index]``, but ``dictionary.get(key)``, iterating an array and
``dictionary.items()`` hand out the raw :class:`~generic.IndirectObject`, and
iterating one of those raises ``TypeError``. A hostile or merely unusual file
may also put a dictionary where an array belongs, point at an object that does
not exist, or build a chain of references that never ends.

The forensic code therefore reads PDF structures only through these helpers:
each returns the object behind any references, or an empty/``None`` answer when
the value is missing, unreadable or of another type; none of them raises.
"""

from __future__ import annotations

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.rw_common import PdfHandler

__all__ = [
    "array_entry",
    "array_items",
    "catalog",
    "dict_entry",
    "entry",
    "raw_array_items",
    "resolved",
    "text_entry",
]

# What reading a damaged object may raise in pyHanko (which also asserts on structure).
_READ_ERRORS = (PdfError, KeyError, ValueError, TypeError, AttributeError, IndexError, AssertionError, RecursionError)


def resolved(value: object) -> generic.PdfObject | None:
    """The object behind ``value`` (references followed); None for null, missing or unreadable."""
    try:
        obj = value.get_object() if isinstance(value, generic.IndirectObject) else value  # type: ignore[no-untyped-call]
    except _READ_ERRORS:
        return None
    if not isinstance(obj, generic.PdfObject) or isinstance(obj, generic.NullObject):
        return None
    return obj


def catalog(pdf: PdfHandler) -> generic.DictionaryObject | None:
    """The document catalog (``/Root``) of a reader or historical revision; None if unreadable."""
    try:
        root = pdf.root
    except _READ_ERRORS:
        return None
    return root if isinstance(root, generic.DictionaryObject) else None


def entry(container: object, key: str) -> generic.PdfObject | None:
    """The value of ``key`` in a dictionary, dereferenced; None if ``container`` is no dictionary."""
    dictionary = resolved(container)
    if not isinstance(dictionary, generic.DictionaryObject):
        return None
    try:
        raw = dictionary.raw_get(key)
    except _READ_ERRORS:
        return None
    return resolved(raw)


def dict_entry(container: object, key: str) -> generic.DictionaryObject | None:
    """The dictionary under ``key`` (None when absent or not a dictionary)."""
    value = entry(container, key)
    return value if isinstance(value, generic.DictionaryObject) else None


def text_entry(container: object, key: str) -> str | None:
    """The name or string under ``key`` as text (a name keeps its slash: ``"/Sig"``);
    None when absent or of another type."""
    value = entry(container, key)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return None


def raw_array_items(value: object) -> list[generic.PdfObject]:
    """The elements of the array behind ``value`` as written (references kept, for callers
    that need an element's object number); ``[]`` when ``value`` is no array."""
    array = resolved(value)
    if not isinstance(array, generic.ArrayObject):
        return []
    return list(list.__iter__(array))


def array_items(value: object) -> list[generic.PdfObject]:
    """The elements of an array, each dereferenced; ``[]`` when ``value`` is no array.

    Elements that are null or cannot be read are left out.
    """
    items = (resolved(raw) for raw in raw_array_items(value))
    return [item for item in items if item is not None]


def array_entry(container: object, key: str) -> list[generic.PdfObject]:
    """The dereferenced elements of the array under ``key``; ``[]`` when absent or not an array."""
    return array_items(entry(container, key))
