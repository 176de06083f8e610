"""Bin edits (merge, split, set edges) and JSON round-trip of a fitted binning.

Edits regroup the per-cell counts stored at fit (see ``_binning_cells``), so
they need no data and survive ``to_json``/``from_json``.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from creditkit.exceptions import ParameterError
from creditkit.scoring.binning._cells import format_interval, split_positions
from creditkit.scoring.binning.dp import TRENDS

__all__ = ["BinEditsMixin", "plain_json"]


def plain_json(obj: Any) -> Any:
    """``obj`` with numpy scalars and arrays turned into plain JSON values.

    Parameters
    ----------
    obj : object
        Nested dicts/lists holding numbers, text and numpy values.

    Returns
    -------
    object
        The same structure with plain Python values.

    Raises
    ------
    TypeError
        For a value JSON cannot hold.

    Examples
    --------
    >>> plain_json({"edges": np.array([1.5, 2.0]), "n": np.int64(3)})
    {'edges': [1.5, 2.0], 'n': 3}
    """
    def default(o: Any) -> Any:
        if hasattr(o, "tolist"):
            return o.tolist()
        raise TypeError(f"cannot store a {type(o).__name__} in JSON; got {o!r}")

    return json.loads(json.dumps(obj, default=default))


class BinEditsMixin:
    """Edits and JSON for :class:`~creditkit.scoring.binning.OptimalBinning`.

    Examples
    --------
    >>> from creditkit.scoring.binning import OptimalBinning
    >>> issubclass(OptimalBinning, BinEditsMixin)
    True
    """

    # --------------------------------------------------------------- edits
    def _check_trend(self) -> None:
        dirs = TRENDS.get(self.monotonic_trend_, (0,))
        if dirs != (1,) and dirs != (-1,):
            return
        nb = self.n_clean_bins_
        steps = np.diff(-self.woe_[:nb])
        if ((steps * dirs[0]) <= 0).any():
            warnings.warn(
                f"bad rate is no longer {self.monotonic_trend_} over the bins "
                f"(WoE {np.round(self.woe_[:nb], 3).tolist()}); check the edit",
                stacklevel=3)

    def merge_bins(self, i: int, j: int) -> Any:
        """Merge clean bins ``i`` and ``j`` (numerical: with every bin between them)."""
        self._check_fitted()
        nb = self.n_clean_bins_
        if not (0 <= i < nb and 0 <= j < nb) or i == j:
            raise ParameterError(
                f"merge_bins needs two different clean bin indices in [0, {nb - 1}]; "
                f"got ({i}, {j}); special and missing bins cannot be merged this way")
        lo, hi = sorted((int(i), int(j)))
        cb = self.cell_bin_.copy()
        if self.dtype == "numerical":
            cb[(cb > lo) & (cb <= hi)] = lo
        else:
            cb[cb == hi] = lo
        _, self.cell_bin_ = np.unique(cb, return_inverse=True)
        self._refresh()
        self._check_trend()
        return self

    def split_bin(self, value: Any) -> Any:
        """Add a split at ``value`` (numerical) or give category ``value`` its own bin."""
        self._check_fitted()
        if self.dtype == "numerical":
            return self.set_edges(np.concatenate([self.splits_, [float(value)]]))
        cats = [str(c) for c in self.cells_["categories"]]
        if str(value) not in cats:
            raise ParameterError(
                f"category {value!r} was not seen at fit; known: {cats[:10]}; "
                "pick one of the categories of the table")
        cb = self.cell_bin_.copy()
        cb[cats.index(str(value))] = cb.max() + 1
        _, self.cell_bin_ = np.unique(cb, return_inverse=True)
        self._refresh()
        return self

    def set_edges(self, edges: Any) -> Any:
        """Set the split values (numerical) or the groups of categories (categorical)."""
        self._check_fitted()
        self._set_user_splits(edges, warn=True)
        self._check_trend()
        return self

    def _set_user_splits(self, edges: Any, *, warn: bool) -> None:
        c = self.cells_
        if self.dtype == "numerical":
            arr = np.asarray(edges, dtype=float).ravel()
            if np.isnan(arr).any():
                raise ParameterError(f"edges must be numbers without NaN; got {arr.tolist()}")
            if len(c["goods"]) == 0 or len(arr) == 0:
                self.cell_bin_ = np.zeros(len(c["goods"]), dtype=np.int64)
                self._refresh()
                return
            pos, snapped, exact = split_positions(c, arr)
            if not exact and warn:
                warnings.warn(
                    f"splits {np.unique(arr).tolist()} moved to the nearest stored edges "
                    f"{snapped.tolist()}; refit with user_splits= for exact splits",
                    stacklevel=3)
            cb = np.zeros(len(c["goods"]) + 1, dtype=np.int64)
            np.add.at(cb, np.clip(pos, 0, len(c["goods"])), 1)
            self.cell_bin_ = np.cumsum(cb)[:-1]
            _, self.cell_bin_ = np.unique(self.cell_bin_, return_inverse=True)
            self._refresh()
            # remember the user's split values on exact grids (they may fall between values)
            if exact and len(self.splits_) == len(np.unique(arr)):
                self.splits_ = np.unique(arr)
                self.bin_labels_[: self.n_clean_bins_] = format_interval(self.splits_)
            return
        cats = [str(v) for v in c["categories"]]
        groups = [[str(v) for v in grp] for grp in edges]
        listed = [v for grp in groups for v in grp]
        unknown = sorted(set(listed) - set(cats))
        missing = sorted(set(cats) - set(listed))
        if unknown or missing or len(listed) != len(set(listed)):
            raise ParameterError(
                "categorical groups must list every category seen at fit exactly once; "
                f"unknown {unknown}, not listed {missing}; got {groups}")
        where = {v: gi for gi, grp in enumerate(groups) for v in grp}
        cb = np.array([where[v] for v in cats], dtype=np.int64)
        _, self.cell_bin_ = np.unique(cb, return_inverse=True)
        self._refresh()

    # ---------------------------------------------------------- JSON
    def to_dict(self) -> dict:
        """Parameters and fitted state as plain JSON-able values."""
        self._check_fitted()
        params = self.get_params()
        params["special_values"] = list(params["special_values"] or ())
        params = plain_json(params)
        cells = {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                 for k, v in self.cells_.items()}
        return {"params": params, "cells": cells, "cell_bin": self.cell_bin_.tolist(),
                "monotonic_trend_": self.monotonic_trend_,
                "splits": self.splits_.tolist() if self.dtype == "numerical" else None,
                "n_total": self.n_total_, "total_goods": self.total_goods_,
                "total_bads": self.total_bads_, "missing_counts": self.missing_counts_.tolist(),
                "special_counts": self.special_counts_.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> Any:
        """Rebuild a fitted binning from :meth:`to_dict`."""
        params = dict(d["params"])
        params["special_values"] = tuple(params["special_values"])
        ob = cls(**params)
        cells = dict(d["cells"])
        for k in ("edges", "goods", "bads", "small"):
            if k in cells:
                cells[k] = np.asarray(cells[k], dtype={"edges": float, "small": bool}.get(
                    k, np.int64))
        ob.cells_ = cells
        ob.cell_bin_ = np.asarray(d["cell_bin"], dtype=np.int64)
        ob.monotonic_trend_ = d["monotonic_trend_"]
        ob.n_total_, ob.total_goods_ = d["n_total"], d["total_goods"]
        ob.total_bads_ = d["total_bads"]
        ob.missing_counts_ = np.asarray(d["missing_counts"], dtype=np.int64)
        ob.special_counts_ = np.asarray(d["special_counts"], dtype=np.int64).reshape(-1, 2)
        ob._refresh()
        if d.get("splits") is not None and len(d["splits"]) == len(ob.splits_):
            ob.splits_ = np.asarray(d["splits"], dtype=float)
            ob.bin_labels_[: ob.n_clean_bins_] = format_interval(ob.splits_)
        return ob

    def to_json(self) -> str:
        """The fitted binning (with edits) as a JSON string."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, s: str) -> Any:
        """Rebuild from :meth:`to_json`."""
        return cls.from_dict(json.loads(s))
