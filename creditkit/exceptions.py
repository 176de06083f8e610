"""Errors raised by creditkit.

Every error says what is wrong, what was received, and how to fix it, so an
analyst in a notebook never has to read a traceback from deep inside pandas.
"""

from __future__ import annotations

__all__ = [
    "CleaningInvariantError",
    "CreditkitError",
    "DataReadError",
    "FXRateError",
    "MoneyParseError",
    "ParameterError",
    "ReportError",
    "SchemaError",
    "StoreLockedError",
]


class CreditkitError(Exception):
    """Base class of every error creditkit raises on purpose."""


class SchemaError(CreditkitError, ValueError):
    """A frame does not have the columns or dtypes a canonical table needs."""


class MoneyParseError(CreditkitError, ValueError):
    """An amount string could not be read as money."""


class FXRateError(CreditkitError, LookupError):
    """No exchange rate is known for a currency on or before a date."""


class DataReadError(CreditkitError, OSError):
    """A file, table or query could not be read as a table."""


class StoreLockedError(DataReadError):
    """The DuckDB store is held open for writing by another process (a kernel, a script)."""


class ParameterError(CreditkitError, ValueError):
    """A parameter value is outside what the function accepts."""


class ReportError(CreditkitError, RuntimeError):
    """A notebook failed while running as a report (names the notebook, cell and line)."""


class CleaningInvariantError(CreditkitError, AssertionError):
    """Rows or money in do not equal rows or money out of a cleaning call (a creditkit bug)."""
