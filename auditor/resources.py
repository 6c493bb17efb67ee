"""Locate the data that ships with auditor: the ``rules/`` packs and the ``models/`` directory.

In a source checkout they live at the repository root; in an installed wheel they are mapped into
``auditor/_data/`` at build time. Both are found the same way, so code never cares which.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory ``rules`` or ``models``: packaged copy first, then the source checkout (looked up
    once per process: readers ask for packs thousands of times per folder, each lookup a ``stat``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"auditor data directory '{name}' not found (broken installation)")


F = TypeVar("F", bound=Callable[..., Any])

#: User overrides from the configuration: pack name → {key: value}, and extra phrase packs.
_OVERRIDES: dict[str, dict[str, Any]] = {}
_EXTRA_PACKS: list[Path] = []
#: Caches derived from packs, cleared when the configuration changes.
_DERIVED: list[Any] = []


def pack_cache(function: F) -> F:
    """Like ``functools.cache`` for values derived from rule packs: reset by :func:`configure`."""
    cached = lru_cache(maxsize=200_000)(function)
    _DERIVED.append(cached)
    return cached  # type: ignore[return-value]


_K = TypeVar("_K")
_V = TypeVar("_V")


class PackMemo(dict[_K, _V]):
    """A memo dict of values derived from rule packs, by cell text or pair of texts.

    A plain dict read with ``memo.get(key)`` (the hot rules ask hundreds of thousands of times per run,
    where going through a cached accessor first cost as much as the look-up), bounded by :meth:`put`
    and emptied by :func:`configure` like every :func:`pack_cache`.
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: _K, value: _V) -> _V:
        """Remember ``value`` (forgetting everything first when the memo is full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value

    def cache_clear(self) -> None:
        self.clear()


def pack_memo(limit: int = 200_000) -> PackMemo[Any, Any]:
    """A module-level :class:`PackMemo` of at most ``limit`` entries, emptied when the configuration changes."""
    memo: PackMemo[Any, Any] = PackMemo(limit)
    _DERIVED.append(memo)
    return memo


def configure(overrides: dict[str, dict[str, Any]] | None = None, extra_packs: list[Path] | None = None) -> None:
    """Apply the user's rule options (and extra lexicon files) on top of the shipped packs."""
    _OVERRIDES.clear()
    _OVERRIDES.update(overrides or {})
    _EXTRA_PACKS[:] = list(extra_packs or [])
    _load_file.cache_clear()
    for derived in _DERIVED:
        derived.cache_clear()
    from auditor.text import nlp

    nlp.reset()


def extra_packs() -> list[Path]:
    return list(_EXTRA_PACKS)


def load_pack(name: str) -> dict[str, Any]:
    """A YAML pack from ``rules/`` by file stem (``load_pack("labels")``), with user overrides."""
    pack = _load_file(data_dir("rules") / f"{name}.yaml")
    overrides = _OVERRIDES.get(name)
    return {**pack, **overrides} if overrides else pack


def load_pack_file(path: Path) -> dict[str, Any]:
    return _load_file(path)


@cache
def _load_file(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: a rule pack must be a mapping")
    return loaded
