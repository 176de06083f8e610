"""Deprecated module: the intake tabulations live in :mod:`creditkit.cleaning.intake`.

Import them from :mod:`creditkit.cleaning` (``from creditkit.cleaning import
intake_summary``). ``creditkit.cleaning.review.<name>`` keeps working until
creditkit 0.3 and warns once per name.

Examples
--------
>>> import warnings
>>> from creditkit.cleaning import review
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", FutureWarning)
...     review.clean_sources.__module__
'creditkit.cleaning.intake'
"""

from __future__ import annotations

from typing import Any

from creditkit.cleaning import intake
from creditkit.deprecation import warn_deprecated

__all__: list[str] = []  # nothing new is defined here


def __getattr__(name: str) -> Any:
    if name in intake.__all__:
        warn_deprecated(f"creditkit.cleaning.review.{name}", f"creditkit.cleaning.{name}")
        return getattr(intake, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
