"""Aging buckets: presets, custom edges, and the dpd → bucket mapping.

A bucket is a half-open range of days past due. ``current`` holds every
amount with ``dpd <= 0`` (not yet due, or due today), so buckets always add up
to the outstanding amount. Edges ``[0, 30, 60]`` give ``current`` (≤ 0),
``1-30``, ``31-60`` and ``60+`` (> 60), the naming of the reference cases.

Examples
--------
>>> b = resolve_buckets("days")
>>> b.labels
('current', '1-30', '31-60', '61-90', '91-120', '120+')
>>> b.assign([0, 30, 31, 121]).tolist()
[0, 1, 2, 5]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creditkit.exceptions import ParameterError

__all__ = ["BUCKET_PRESETS", "FIVE_CLASS", "Buckets", "resolve_buckets"]

#: Preset names accepted by ``resolve_buckets``.
BUCKET_PRESETS = ("days", "m", "five_class")
#: Keys of the five-class loan classification (正常/关注/次级/可疑/损失), labelled in ``labels``.
FIVE_CLASS = ("normal", "special_mention", "substandard", "doubtful", "loss")

_DAYS_EDGES = (0, 30, 60, 90, 120)
_M_EDGES = (0, 30, 60, 90, 120, 150, 180)


@dataclass(frozen=True)
class Buckets:
    """Bucket edges in days past due and one label per bucket.

    ``edges[0]`` is the upper end of the first bucket (``dpd <= edges[0]``);
    bucket ``k`` holds ``edges[k-1] < dpd <= edges[k]``; the last holds
    ``dpd > edges[-1]``. So there are ``len(edges) + 1`` labels.
    """

    edges: tuple[int, ...]
    labels: tuple[str, ...]

    def assign(self, dpd: Sequence[int] | np.ndarray) -> np.ndarray:
        """Bucket code (0 … ``len(labels) - 1``) of each dpd.

        Examples
        --------
        >>> resolve_buckets("m").assign([-5, 1, 180, 181]).tolist()
        [0, 1, 6, 7]
        """
        return np.searchsorted(
            np.asarray(self.edges, dtype=np.int64), np.asarray(dpd, dtype=np.int64), side="left"
        ).astype(np.int8)


def _range_labels(edges: Sequence[int]) -> tuple[str, ...]:
    out = ["current"]
    for lo, hi in itertools.pairwise(edges):
        out.append(f"{lo + 1}-{hi}")
    out.append(f"{edges[-1]}+")
    return tuple(out)


def _check_edges(edges: Sequence[int], what: str) -> tuple[int, ...]:
    try:
        vals = tuple(int(e) for e in edges)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{what} must be a sequence of whole days, got {edges!r}; e.g. [0, 30, 60, 90]"
        ) from None
    if any(not float(e).is_integer() for e in edges):
        raise ParameterError(f"{what} must be whole days, got {list(edges)!r}")
    if not vals or vals[0] != 0 or any(b <= a for a, b in itertools.pairwise(vals)):
        raise ParameterError(
            f"{what} must start at 0 and increase strictly, got {list(vals)!r}; "
            "e.g. [0, 30, 60, 90] for current, 1-30, 31-60, 61-90, 90+"
        )
    return vals


def resolve_buckets(
    buckets: str | Sequence[int] | Buckets = "days", *, edges: Sequence[int] | None = None
) -> Buckets:
    """Turn a preset name or a list of edges into :class:`Buckets`.

    Parameters
    ----------
    buckets : {"days", "m", "five_class"}, sequence of int, or Buckets
        ``"days"``: current, 1-30, 31-60, 61-90, 91-120, 120+.
        ``"m"``: M0 (current), M1 (1-30) … M6 (151-180), M7 (180+).
        ``"five_class"``: 正常/关注/次级/可疑/损失 (keys ``FIVE_CLASS``) at the
        four ``edges`` the caller gives (e.g. ``[0, 90, 180, 360]``).
        A sequence of edges starting at 0 gives range labels (``[0, 15]`` →
        current, 1-15, 15+).
    edges : sequence of int, optional
        Only with ``"five_class"``: its four edges (empty means none).

    Returns
    -------
    Buckets

    Raises
    ------
    ParameterError
        Unknown preset, missing or malformed edges.

    Examples
    --------
    >>> resolve_buckets("five_class", edges=[0, 90, 180, 360]).assign([0, 90, 91, 361]).tolist()
    [0, 1, 2, 4]
    >>> resolve_buckets([0, 15]).labels
    ('current', '1-15', '15+')
    """
    if isinstance(buckets, Buckets):
        return buckets
    if edges is not None and not isinstance(edges, str) and len(edges) == 0:
        edges = None  # a notebook parameter left empty
    if isinstance(buckets, str):
        if buckets == "five_class":
            if edges is None:
                raise ParameterError(
                    "buckets='five_class' needs the caller's edges, got edges=None; "
                    "pass edges=[0, 90, 180, 360] "
                    "(正常 ≤0, 关注 1-90, 次级 91-180, 可疑 181-360, 损失 >360)"
                )
            vals = _check_edges(edges, "five_class edges")
            if len(vals) != 4:
                raise ParameterError(
                    f"five_class needs exactly 4 edges (5 classes), got {list(vals)!r}; "
                    "e.g. edges=[0, 90, 180, 360]"
                )
            return Buckets(vals, FIVE_CLASS)
        if edges is not None:
            raise ParameterError(
                f"edges= is only used with buckets='five_class', got buckets={buckets!r}; "
                "pass the edges as buckets=[0, 30, ...] instead"
            )
        if buckets == "days":
            return Buckets(_DAYS_EDGES, _range_labels(_DAYS_EDGES))
        if buckets == "m":
            return Buckets(_M_EDGES, tuple(f"M{i}" for i in range(len(_M_EDGES) + 1)))
        raise ParameterError(
            f"unknown bucket preset {buckets!r}; expected one of {BUCKET_PRESETS} "
            "or a list of edges"
        )
    vals = _check_edges(buckets, "bucket edges")
    return Buckets(vals, _range_labels(vals))
