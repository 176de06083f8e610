"""creditkit: a credit-control toolkit for analysts in Jupyter.

All the logic (cleaning, scoring, segmentation, aging, collections, alerts)
lives in this package; notebooks call it and export review reports as HTML.
See ``DESIGN.md`` in the shared folder for the data model and semantics.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from creditkit.exceptions import (
    CreditkitError,
    DataReadError,
    FXRateError,
    MoneyParseError,
    ParameterError,
    SchemaError,
)
from creditkit.labels import label, relabel
from creditkit.schema import TABLES, validate

try:
    __version__ = version("creditkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "TABLES",
    "CreditkitError",
    "DataReadError",
    "FXRateError",
    "MoneyParseError",
    "ParameterError",
    "SchemaError",
    "__version__",
    "label",
    "relabel",
    "validate",
]
