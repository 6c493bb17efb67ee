"""Locate the data that ships with auditor: the ``rules/`` packs and the ``models/`` directory.

In a source checkout they live at the repository root; in an installed wheel they are mapped into
``auditor/_data/`` at build time. Both are found the same way, so code never cares which.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory ``rules`` or ``models``: packaged copy first, then the source checkout."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"auditor data directory '{name}' not found (broken installation)")


@cache
def load_pack(name: str) -> dict[str, Any]:
    """A YAML pack from ``rules/`` by file stem, e.g. ``load_pack("labels")``."""
    path = data_dir("rules") / f"{name}.yaml"
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (safe loader)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: a rule pack must be a mapping")
    return loaded
