"""The argument order of the metrics and charts: ``(y_true, y_score)``, as in scikit-learn.

Until creditkit 0.2 some functions took ``(score, y)``. That order keeps working
for one release, by this rule: ``y_true`` must be a 0/1 target (as
:func:`creditkit.checks.check_target` accepts it); when the first argument is
not one and the second is, the two are swapped and a ``FutureWarning`` (once
per process) names the new order. When both are 0/1 the call is read in the
new order.
"""

from __future__ import annotations

from typing import Any

from creditkit.checks import check_target
from creditkit.deprecation import warn_deprecated
from creditkit.exceptions import ParameterError

__all__ = ["true_and_score"]


def _is_target(values: Any) -> bool:
    try:
        check_target(values)
    except (ParameterError, TypeError, ValueError):
        return False
    return True


def true_and_score(first: Any, second: Any, *, who: str) -> tuple[Any, Any]:
    """``(y_true, y_score)`` from the first two arguments of ``who``, old order swapped.

    Parameters
    ----------
    first, second : array-like
        The arguments as passed.
    who : str
        The public function, for the deprecation message.

    Returns
    -------
    (array-like, array-like)
        ``(y_true, y_score)``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     true_and_score([500, 600], [1, 0], who="example")
    ([1, 0], [500, 600])
    >>> true_and_score([1, 0], [500, 600], who="example")
    ([1, 0], [500, 600])
    """
    if _is_target(first) or not _is_target(second):
        return first, second
    warn_deprecated(f"{who}(y_score, y_true)", f"{who}(y_true, y_score)", stacklevel=5)
    return second, first
