"""Errors raised by creditkit.

Every error says what is wrong, what was received, and how to fix it, so an
analyst in a notebook never has to read a traceback from deep inside pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CleaningInvariantError",
    "CreditkitError",
    "DataReadError",
    "FXRateError",
    "MoneyParseError",
    "NotFittedError",  # noqa: F822 (built on first use by __getattr__)
    "ParameterError",
    "ReportError",
    "SchemaError",
    "StoreLockedError",
    "StoreVersionError",
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


class StoreVersionError(DataReadError):
    """A store written by a newer creditkit (a schema this release cannot read), or to migrate."""


class ParameterError(CreditkitError, ValueError):
    """A parameter value is outside what the function accepts."""


class ReportError(CreditkitError, RuntimeError):
    """A notebook failed while running as a report (names the notebook, cell and line)."""


class CleaningInvariantError(CreditkitError, AssertionError):
    """Rows or money in do not equal rows or money out of a cleaning call (a creditkit bug)."""


def _not_fitted_error() -> type:
    """Build ``NotFittedError`` on first use, so ``import creditkit`` never loads scikit-learn."""
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    class NotFittedError(CreditkitError, SklearnNotFittedError):
        """An estimator was used before ``fit`` (call ``fit(X, y)`` first).

        It is both a :class:`CreditkitError` and scikit-learn's
        ``NotFittedError`` (itself a ``ValueError`` and ``AttributeError``), so
        ``except CreditkitError`` and scikit-learn's own checks both catch it.

        Examples
        --------
        >>> from creditkit.exceptions import CreditkitError, NotFittedError
        >>> issubclass(NotFittedError, CreditkitError)
        True
        """

    NotFittedError.__module__ = __name__
    NotFittedError.__qualname__ = "NotFittedError"
    return NotFittedError


def __getattr__(name: str) -> Any:
    if name == "NotFittedError":
        cls = _not_fitted_error()
        globals()["NotFittedError"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def not_fitted(who: str, fit_call: str = "fit(X, y)") -> Exception:
    """The error of an estimator used before it was fitted, naming the fix.

    Parameters
    ----------
    who : str
        The estimator's class name, as the user wrote it.
    fit_call : str, default "fit(X, y)"
        The call that fits it, shown as the fix.

    Returns
    -------
    NotFittedError
        To be raised by the caller.

    Examples
    --------
    >>> print(not_fitted("Scorecard"))
    This Scorecard is not fitted yet: call fit(X, y) first, then predict.
    """
    cls = globals().get("NotFittedError") or __getattr__("NotFittedError")
    return cls(f"This {who} is not fitted yet: call {fit_call} first, then predict.")
