"""Deprecated spellings: old names and keywords that keep working, warning once.

When a public name, keyword or argument order changes, the old spelling stays
for one minor release. It works as before and warns once per process with a
``FutureWarning`` that names the new spelling (``FutureWarning`` rather than
``DeprecationWarning``, because it is meant for the analyst in a notebook, as
pandas does).

Examples
--------
>>> import warnings
>>> def new(x):
...     return x + 1
>>> old = deprecated_alias(new, "old", "new", module="example")
>>> with warnings.catch_warnings(record=True) as seen:
...     warnings.simplefilter("always")
...     old(1), old(2)
(2, 3)
>>> [str(w.message) for w in seen]
['example.old is deprecated and will be removed in creditkit 0.3; use example.new']
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["deprecated_alias", "renamed_keywords", "warn_deprecated"]

F = TypeVar("F", bound=Callable[..., Any])

#: The release in which deprecated spellings are removed.
REMOVED_IN = "0.3"

_warned: set[str] = set()


def warn_deprecated(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn once per process that ``old`` is deprecated in favour of ``new``.

    Parameters
    ----------
    old, new : str
        The old and the new spelling, as a user would write them.
    stacklevel : int, default 3
        Passed to :func:`warnings.warn` so the warning points at the caller.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warn_deprecated("g(n=)", "g(size=)")
    ...     warn_deprecated("g(n=)", "g(size=)")
    >>> len(seen)
    1
    """
    if old in _warned:
        return
    _warned.add(old)
    warnings.warn(
        f"{old} is deprecated and will be removed in creditkit {REMOVED_IN}; use {new}",
        FutureWarning,
        stacklevel=stacklevel,
    )


def deprecated_alias(func: F, old_name: str, new_name: str, *, module: str) -> F:
    """``func`` under its old name: same behaviour, one warning naming the new name.

    Parameters
    ----------
    func : callable
        The function under its new name.
    old_name, new_name : str
        The old and the new name.
    module : str
        The module a user imports both from, for the message.

    Returns
    -------
    callable

    Examples
    --------
    >>> alias = deprecated_alias(len, "length", "len", module="builtins")
    >>> alias([1, 2])
    2
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        warn_deprecated(f"{module}.{old_name}", f"{module}.{new_name}")
        return func(*args, **kwargs)

    wrapper.__name__ = old_name
    wrapper.__qualname__ = old_name
    wrapper.__doc__ = (f"Deprecated alias of :func:`{module}.{new_name}` "
                       f"(removed in creditkit {REMOVED_IN}).")
    return wrapper  # type: ignore[return-value]


def renamed_keywords(**renames: str) -> Callable[[F], F]:
    """Decorator: accept old keyword names, warning once with the new one.

    Parameters
    ----------
    **renames : str
        ``old_keyword="new_keyword"`` pairs.

    Returns
    -------
    callable
        The decorator.

    Raises
    ------
    TypeError
        When a call passes both the old and the new keyword.

    Examples
    --------
    >>> @renamed_keywords(bins="bands")
    ... def f(*, bands=10):
    ...     return bands
    >>> f(bins=5)
    5
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old}= (deprecated) and "
                                        f"{new}=; pass only {new}=")
                    warn_deprecated(f"{func.__name__}({old}=)", f"{func.__name__}({new}=)")
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
