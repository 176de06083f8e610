"""Every public name of creditkit 0.1.0 is still importable.

``tests/data/public_api_0.1.0.txt`` lists ``module:name`` for every name in the
``__all__`` of a public module of release 0.1.0. A name may have moved inside
its concept: then it must still be importable from the concept's package
(``creditkit.cleaning``, ``creditkit.scoring``, …), which is where users are
told to import from.
"""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pytest

LISTED = Path(__file__).parent / "data" / "public_api_0.1.0.txt"
NAMES = [tuple(line.split(":")) for line in LISTED.read_text().split()]


def _resolve(module: str, name: str) -> object:
    candidates = [module]
    parts = module.split(".")
    if len(parts) > 2:  # creditkit.concept.module -> creditkit.concept
        candidates.append(".".join(parts[:2]))
    for candidate in candidates:
        try:
            mod = importlib.import_module(candidate)
        except ModuleNotFoundError:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            if hasattr(mod, name):
                return getattr(mod, name)
    raise AssertionError(f"{module}:{name} is no longer importable from {candidates}")


def test_the_list_is_the_release_surface() -> None:
    assert len(NAMES) > 400
    assert ("creditkit", "Scorecard") in NAMES


@pytest.mark.parametrize(("module", "name"), NAMES, ids=[f"{m}:{n}" for m, n in NAMES])
def test_public_name_still_importable(module: str, name: str) -> None:
    assert _resolve(module, name) is not None
