"""Typed registries held by the application: how one feature offers an extension point that
others fill, without a module-level list that outlives an app.

The feature that owns an extension point declares its key, with the type of what it holds::

    SIGNING_GUARDS: Key[SigningGuard] = Key("signing.guards")

others add to it from their ``init_app``::

    registry.add(app, SIGNING_GUARDS, require_approval)

and the owner reads what the current application holds with ``registry.items(SIGNING_GUARDS)``.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")

_EXTENSION = "pactum.registry"


class Key(Generic[T]):
    """The name of one extension point; its type parameter is what the point holds."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"


def add(app: Flask, key: Key[T], item: T) -> None:
    """Add ``item`` to ``key`` of ``app`` (once: adding the same item again changes nothing)."""
    held: list[T] = app.extensions.setdefault(_EXTENSION, {}).setdefault(key.name, [])
    if item not in held:
        held.append(item)


def items(key: Key[T]) -> list[T]:
    """What the current application holds under ``key``, in the order it was added."""
    return items_of(current_app, key)


def items_of(app: Flask, key: Key[T]) -> list[T]:
    """What ``app`` holds under ``key`` (for set-up code, before any app context)."""
    held: list[T] = app.extensions.get(_EXTENSION, {}).get(key.name, [])
    return list(held)
