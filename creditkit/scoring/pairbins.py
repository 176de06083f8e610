"""Two-variable (2D) bins: the interaction of a pair of card variables as one more card variable.

A card adds up one term per variable, so it cannot say "a young applicant
with a high utilisation is riskier than youth and utilisation add up to".
A pair variable can: its bins are the cells of a small grid over the pair's
own 1D bins, and each cell has its own WoE:

1. each variable's regular bins are joined, in their order, into at most
   ``max_groups`` groups of about equal counts (its special values, missing
   values and unseen categories form one more group), so the grid is at most
   ``(max_groups + 1)²`` cells;
2. an additive logistic model of the cells' bads and goods on the two groups'
   WoE is fitted (:func:`creditkit.scoring.logit.fit_logit`, weighted by counts);
3. a cell's WoE is ``ln((goods + ½)/(bads + ½)) − ln(goods/bads of the sample)``
   (higher is safer); a cell with fewer than the minimum bads or goods takes
   the additive model's log-odds instead: a thin cell is not estimated alone.

The card holds the pair beside its two variables; the regression weighs the
cells' WoE against the variables' own, so the pair's points carry what the
cells add to the two variables' points.

:func:`pair_gain` is the likelihood-ratio gain of the grid over the additive
model less twice its extra parameters (an AIC gain): the pairs worth a
variable. ``Scorecard(interactions=[(x, y)])`` fits such pairs as card
variables; :func:`~creditkit.scoring.interactions.fit_interaction_scorecard`
chooses them and keeps them only when they win on a validation split.

Cell layout: cell ``i · n_y + j`` is (group ``i`` of x, group ``j`` of y).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from creditkit.scoring.cardspec import NUMERIC, spec_from_table
>>> sx = spec_from_table("a", NUMERIC, edges=[0.5], woe_regular=[0.0, 0.0])
>>> sy = spec_from_table("b", NUMERIC, edges=[0.5], woe_regular=[0.0, 0.0])
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"a": rng.integers(0, 2, 4000), "b": rng.integers(0, 2, 4000)})
>>> y = (rng.random(4000) < np.where((X["a"] == 1) & (X["b"] == 1), 0.3, 0.1)).astype(int)
>>> pair = pair_bins(X, y, sx, sy)
>>> pair.name, pair.n_bins
('a × b', 9)
>>> bool(pair.woe[4] < pair.woe[0])  # the (1, 1) cell: riskier than the (0, 0) cell
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.scoring.cardspec import NUMERIC, VariableBins, bin_index

__all__ = ["PAIR", "PairBins", "add_pairs", "frame_index", "pair_bins", "pair_gain", "spec_columns",
           "spec_from_dict"]

#: ``PairBins.kind``: a variable made of two variables' bins.
PAIR = "pair"


@dataclass(frozen=True)
class PairBins:
    """The cells of a pair of variables and the WoE of each (layout: module doc).

    Parameters
    ----------
    name : str
        The card variable's name, ``"x × y"``.
    x, y : VariableBins
        The two variables' 1D bins.
    x_groups, y_groups : tuple of int
        The grid group of each 1D bin of x (of y).
    woe : tuple of float
        The WoE of each cell.
    labels : tuple of str
        A label per cell.
    """

    name: str
    x: VariableBins
    y: VariableBins
    x_groups: tuple[int, ...]
    y_groups: tuple[int, ...]
    woe: tuple[float, ...]
    labels: tuple[str, ...] = ()
    kind: str = field(default=PAIR)

    @property
    def n_y(self) -> int:
        return max(self.y_groups) + 1

    @property
    def n_bins(self) -> int:
        return (max(self.x_groups) + 1) * self.n_y

    def to_dict(self) -> dict:
        """A JSON-ready dict (the inverse of :func:`spec_from_dict`)."""
        return {"name": self.name, "kind": PAIR, "x": self.x.to_dict(), "y": self.y.to_dict(),
                "x_groups": list(map(int, self.x_groups)),
                "y_groups": list(map(int, self.y_groups)),
                "woe": [float(w) for w in self.woe], "labels": list(self.labels)}


def spec_from_dict(d: dict) -> VariableBins | PairBins:
    """The bins a ``to_dict`` dict describes: a pair's or one variable's.

    Examples
    --------
    >>> from creditkit.scoring.cardspec import spec_from_table
    >>> spec = spec_from_table("age", NUMERIC, edges=[30], woe_regular=[0.5, -0.5])
    >>> spec_from_dict(spec.to_dict()) == spec
    True
    """
    if d.get("kind") != PAIR:
        return VariableBins.from_dict(d)
    return PairBins(name=d["name"], x=VariableBins.from_dict(d["x"]),
                    y=VariableBins.from_dict(d["y"]), x_groups=tuple(d["x_groups"]),
                    y_groups=tuple(d["y_groups"]), woe=tuple(float(w) for w in d["woe"]),
                    labels=tuple(d.get("labels", ())))


def spec_columns(spec: VariableBins | PairBins) -> tuple[str, ...]:
    """The input columns a variable's bins read: its own, or the pair's two.

    Examples
    --------
    >>> from creditkit.scoring.cardspec import spec_from_table
    >>> spec_columns(spec_from_table("age", NUMERIC, edges=[30], woe_regular=[0.5, -0.5]))
    ('age',)
    """
    return (spec.x.name, spec.y.name) if spec.kind == PAIR else (spec.name,)


def frame_index(X: pd.DataFrame, spec: VariableBins | PairBins) -> np.ndarray:
    """The bin (or cell) index of each row of ``X`` for a variable's bins.

    Raises
    ------
    ParameterError
        When a numeric variable holds text (see :func:`~creditkit.scoring.cardspec.bin_index`).

    Examples
    --------
    >>> from creditkit.scoring.cardspec import spec_from_table
    >>> spec = spec_from_table("age", NUMERIC, edges=[30], woe_regular=[0.5, -0.5])
    >>> frame_index(pd.DataFrame({"age": [25, 40]}), spec).tolist()
    [0, 1]
    """
    if spec.kind != PAIR:
        return bin_index(X[spec.name], spec)
    gx = np.asarray(spec.x_groups, dtype="int64")[bin_index(X[spec.x.name], spec.x)]
    gy = np.asarray(spec.y_groups, dtype="int64")[bin_index(X[spec.y.name], spec.y)]
    return gx * spec.n_y + gy


def _groups(spec: VariableBins, idx: np.ndarray, max_groups: int) -> tuple[np.ndarray, list]:
    """Join the regular bins into ≤ max_groups groups of about equal counts; the rest: one group."""
    n_reg = spec.n_regular
    counts = np.bincount(idx, minlength=spec.n_bins)[:n_reg].astype("float64")
    share = np.cumsum(counts) / max(counts.sum(), 1.0)
    k = min(max_groups, n_reg)
    group = np.minimum((share - counts / max(counts.sum(), 1.0) / 2) * k, k - 1)
    group = np.maximum.accumulate(np.floor(group).astype("int64"))
    _, group = np.unique(group, return_inverse=True)  # no empty group numbers
    n_g = int(group.max()) + 1
    labels = []
    for g in range(n_g):
        members = np.flatnonzero(group == g)
        if spec.kind == NUMERIC:
            lo = -math.inf if members[0] == 0 else spec.edges[members[0] - 1]
            hi = math.inf if members[-1] == n_reg - 1 else spec.edges[members[-1]]
            labels.append(f"{'(' if lo == -math.inf else '['}{lo:g}, {hi:g})")
        else:
            labels.append("; ".join(spec.labels[i] for i in members))
    full = np.concatenate([group, np.full(spec.n_bins - n_reg, n_g, dtype="int64")])
    return full, [*labels, "Special/Missing"]


def _cells(X, y, x: VariableBins, yspec: VariableBins, max_groups: int):
    ix, iy = bin_index(X[x.name], x), bin_index(X[yspec.name], yspec)
    gx, lx = _groups(x, ix, max_groups)
    gy, ly = _groups(yspec, iy, max_groups)
    n_y = len(ly)
    cell = gx[ix] * n_y + gy[iy]
    n_cells = len(lx) * n_y
    bads = np.bincount(cell, weights=y, minlength=n_cells)
    total = np.bincount(cell, minlength=n_cells).astype("float64")
    return gx, gy, lx, ly, bads, total - bads


def _group_woe(bads: np.ndarray, goods: np.ndarray) -> np.ndarray:
    B, G = bads.sum(), goods.sum()
    woe = np.log(((goods + 0.5) / (G + 0.5)) / ((bads + 0.5) / (B + 0.5)))
    return np.where(bads + goods > 0, woe, 0.0)  # an empty group: neutral


def _additive(bads: np.ndarray, goods: np.ndarray, n_x: int, n_y: int) -> np.ndarray:
    """Log-odds of bad per cell of the additive model on the groups' WoE."""
    from creditkit.scoring.logit import fit_logit

    b, g = bads.reshape(n_x, n_y), goods.reshape(n_x, n_y)
    wx = np.repeat(_group_woe(b.sum(1), g.sum(1)), n_y)
    wy = np.tile(_group_woe(b.sum(0), g.sum(0)), n_x)
    feats = np.column_stack([wx, wy])
    used = (bads + goods) > 0
    design = np.vstack([feats[used], feats[used]])
    target = np.r_[np.ones(used.sum()), np.zeros(used.sum())]
    weight = np.r_[bads[used], goods[used]]
    fit = fit_logit(design, target, sample_weight=weight, l2=1e-6)
    return fit.intercept + feats @ fit.coef


def pair_bins(X: pd.DataFrame, y, x: VariableBins, yspec: VariableBins, *, max_groups: int = 4,
              min_bads: int = 5, min_goods: int = 5) -> PairBins:
    """The pair variable of ``x`` and ``yspec`` fitted on ``(X, y)`` (method: module doc).

    Parameters
    ----------
    X : DataFrame
        Holds both variables.
    y : array of 0/1
        Outcome, 1 = bad.
    x, yspec : VariableBins
        The two variables' bins (the card's own).
    max_groups : int, default 4
        Regular groups per variable in the grid.
    min_bads, min_goods : int, default 5
        A cell with fewer bads or goods gets the additive model's WoE.

    Returns
    -------
    PairBins

    Raises
    ------
    ParameterError
        For ``max_groups`` < 2 or a pair of one variable.
    """
    if not isinstance(max_groups, int) or max_groups < 2:
        raise ParameterError(f"max_groups must be an integer >= 2; got {max_groups!r}")
    if x.name == yspec.name:
        raise ParameterError(f"a pair needs two variables; got {x.name!r} twice")
    yv = np.asarray(y, dtype="float64")
    gx, gy, lx, ly, bads, goods = _cells(X, yv, x, yspec, max_groups)
    eta = _additive(bads, goods, len(lx), len(ly))
    thin = (bads < min_bads) | (goods < min_goods)
    log_odds_bad = np.where(thin, eta, np.log((bads + 0.5) / (goods + 0.5)))
    woe = -log_odds_bad - np.log(goods.sum() / bads.sum())
    labels = tuple(f"{a} × {b}" for a in lx for b in ly)
    return PairBins(name=f"{x.name} × {yspec.name}", x=x, y=yspec, x_groups=tuple(gx.tolist()),
                    y_groups=tuple(gy.tolist()), woe=tuple(woe.tolist()), labels=labels)


def pair_gain(X: pd.DataFrame, y, x: VariableBins, yspec: VariableBins, *,
              max_groups: int = 4, min_bads: int = 5, min_goods: int = 5) -> float:
    """AIC gain of the pair's grid over the additive model of its two variables.

    The log-likelihood of the cells with at least the minimum bads and goods at
    their own bad rate, minus that at the additive model's, times two, less two
    per such cell beyond the additive model's three parameters. Positive: the
    interaction is worth its cells.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from creditkit.scoring.cardspec import spec_from_table
    >>> sx = spec_from_table("a", NUMERIC, edges=[0.5], woe_regular=[0.0, 0.0])
    >>> sy = spec_from_table("b", NUMERIC, edges=[0.5], woe_regular=[0.0, 0.0])
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.integers(0, 2, 4000), "b": rng.integers(0, 2, 4000)})
    >>> both = (X["a"] == 1) & (X["b"] == 1)
    >>> bool(pair_gain(X, (rng.random(4000) < np.where(both, 0.3, 0.1)).astype(int), sx, sy) > 10)
    True
    """
    yv = np.asarray(y, dtype="float64")
    _, _, lx, ly, bads, goods = _cells(X, yv, x, yspec, max_groups)
    eta = _additive(bads, goods, len(lx), len(ly))
    ok = (bads >= min_bads) & (goods >= min_goods)
    if ok.sum() <= 3:
        return 0.0
    b, g = bads[ok], goods[ok]
    p_cell = b / (b + g)
    p_add = 1.0 / (1.0 + np.exp(-eta[ok]))
    ll_cell = b @ np.log(p_cell) + g @ np.log1p(-p_cell)
    ll_add = b @ np.log(p_add) + g @ np.log1p(-p_add)
    return float(2.0 * (ll_cell - ll_add) - 2.0 * (ok.sum() - 3))


def add_pairs(interactions, binning, binned: list[str], specs: dict, X: pd.DataFrame,
              y) -> list[str]:
    """Fit the pairs ``interactions`` of a card on ``(X, y)`` into ``specs``; their names.

    ``Scorecard.fit`` calls it with its fitted binning, the variables it bins and
    the specs copied so far; the two variables' minimum bads and goods per bin
    are the cells' minimums.

    Raises
    ------
    ParameterError
        When a pair is not two distinct binned variables.
    """
    from creditkit.scoring.cardspec import specs_from_binning

    pairs = [tuple(p) for p in (interactions or ())]
    bad = [p for p in pairs if len(p) != 2 or not set(p) <= set(binned) or p[0] == p[1]]
    if bad:
        raise ParameterError(f"interactions {bad} are not pairs of two binned variables; "
                             f"the binning holds {binned}; e.g. interactions=[('a', 'b')]")
    specs.update(specs_from_binning(binning, sorted({v for p in pairs for v in p} - set(specs))))
    low = {k: getattr(binning, k, 5) for k in ("min_bin_bads", "min_bin_goods")}
    for a, b in pairs:
        pair = pair_bins(X, y, specs[a], specs[b], min_bads=low["min_bin_bads"],
                         min_goods=low["min_bin_goods"])
        specs[pair.name] = pair
    return [f"{a} × {b}" for a, b in pairs]
