"""The frozen description of one variable's bins that a scorecard scores with.

A scorecard must give the same points in Python, after a JSON round trip and
in SQL. So it does not score through the binning estimator: at ``fit`` it
copies each variable's bins into a :class:`VariableBins` (edges or category
groups, special values, the missing bin, the WoE of each bin) and every later
lookup — ``predict_points``, ``to_sql``, ``from_json`` — reads only that.

Bin layout (index → meaning), shared by the lookup and the SQL writer:

* numeric: ``0 … k`` the intervals ``(-inf, e1)``, ``[e1, e2)``, …, ``[ek, inf)``
  for inner edges ``e1 < … < ek`` (left-closed, right-open, as in optbinning);
* categorical: ``0 … g-1`` the category groups;
* then one bin per special-value group, then the missing bin;
* categorical only: a last "other" bin for categories not seen at fit time.

Build a card without fitting (``Scorecard.from_parts``) from :func:`spec_from_table`
specs, or copy them out of a fitted binning with :func:`specs_from_binning`.

Examples
--------
>>> import pandas as pd
>>> spec = spec_from_table("age", NUMERIC, edges=[30], woe_regular=[0.5, -0.5])
>>> spec.labels
('(-inf, 30)', '[30, inf)', 'Missing')
>>> bin_index(pd.Series([25, 40, None]), spec).tolist()
[0, 1, 2]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError

__all__ = [
    "CATEGORICAL",
    "NUMERIC",
    "VariableBins",
    "bin_index",
    "spec_from_table",
    "specs_from_binning",
]

#: ``VariableBins.kind`` of a variable binned by intervals of numbers.
NUMERIC = "numeric"
#: ``VariableBins.kind`` of a variable binned by groups of categories.
CATEGORICAL = "categorical"


@dataclass(frozen=True)
class VariableBins:
    """Bins of one variable and the WoE of each bin, frozen (bin layout: module docstring).

    Parameters
    ----------
    name : str
        The variable (column) name.
    kind : {"numeric", "categorical"}
        :data:`NUMERIC` or :data:`CATEGORICAL`.
    edges : tuple of float
        Inner edges of a numeric variable, increasing.
    groups : tuple of tuple of str
        The category groups of a categorical variable.
    specials : tuple of tuple
        Groups of special values, each with a bin of its own.
    woe : tuple of float
        The WoE of every bin, in the bin layout's order.
    labels : tuple of str
        A label per bin (default :meth:`default_labels`).

    Examples
    --------
    >>> spec = VariableBins("age", NUMERIC, edges=(30.0,), woe=(0.5, -0.5, 0.0))
    >>> spec.n_bins, spec.missing_index
    (3, 2)
    """

    name: str
    kind: str
    edges: tuple[float, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    specials: tuple[tuple, ...] = ()
    woe: tuple[float, ...] = ()
    labels: tuple[str, ...] = field(default=())

    @property
    def n_regular(self) -> int:
        return len(self.edges) + 1 if self.kind == NUMERIC else len(self.groups)

    @property
    def missing_index(self) -> int:
        return self.n_regular + len(self.specials)

    @property
    def other_index(self) -> int | None:
        return self.missing_index + 1 if self.kind == CATEGORICAL else None

    @property
    def n_bins(self) -> int:
        return self.missing_index + (2 if self.kind == CATEGORICAL else 1)

    def default_labels(self) -> list[str]:
        """Readable labels of the bins: intervals or category lists, then specials, Missing."""
        if self.kind == NUMERIC:
            lo = (-math.inf, *self.edges)
            hi = (*self.edges, math.inf)
            regular = [f"{'(' if a == -math.inf else '['}{a:g}, {b:g})"
                       for a, b in zip(lo, hi, strict=True)]
        else:
            regular = [", ".join(map(str, g)) for g in self.groups]
        special = ["Special " + ", ".join(map(str, s)) for s in self.specials]
        tail = ["Missing"] + (["Unknown"] if self.kind == CATEGORICAL else [])
        return regular + special + tail

    def to_dict(self) -> dict:
        """A JSON-ready dict (the inverse of :meth:`from_dict`)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "edges": [float(e) for e in self.edges],
            "groups": [list(g) for g in self.groups],
            "specials": [[_plain(v) for v in s] for s in self.specials],
            "woe": [float(w) for w in self.woe],
            "labels": list(self.labels),
        }

    @classmethod
    def from_dict(cls, d: dict) -> VariableBins:
        """The spec a :meth:`to_dict` dict describes."""
        return cls(
            name=d["name"], kind=d["kind"], edges=tuple(float(e) for e in d["edges"]),
            groups=tuple(tuple(g) for g in d["groups"]),
            specials=tuple(tuple(s) for s in d["specials"]),
            woe=tuple(float(w) for w in d["woe"]), labels=tuple(d.get("labels", ())),
        )


def _plain(v):
    if isinstance(v, np.generic):
        return v.item()
    return v


def bin_index(values: pd.Series, spec: VariableBins) -> np.ndarray:
    """The bin index (in the layout of the module docstring) of each value, vectorised.

    Parameters
    ----------
    values : pandas.Series
        The variable's values.
    spec : VariableBins
        Its bins.

    Returns
    -------
    numpy.ndarray
        One ``int64`` bin index per value.

    Raises
    ------
    ParameterError
        When a numeric variable holds text.

    Examples
    --------
    >>> spec = spec_from_table("city", CATEGORICAL, groups=[["a", "b"], ["c"]],
    ...                        woe_regular=[0.1, -0.1])
    >>> bin_index(pd.Series(["c", "a", None, "z"]), spec).tolist()
    [1, 0, 2, 3]
    """
    if spec.kind == NUMERIC:
        try:
            x = pd.to_numeric(values, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ParameterError(
                f"variable {spec.name!r} was numeric at fit but holds non-numbers now "
                f"(e.g. {values.dropna().iloc[:3].tolist()}); pass the same columns as at fit"
            ) from exc
        idx = np.searchsorted(np.asarray(spec.edges, dtype="float64"), x, side="right")
        for k, group in enumerate(spec.specials):
            idx[np.isin(x, np.asarray(group, dtype="float64"))] = spec.n_regular + k
        idx[np.isnan(x)] = spec.missing_index
        return idx
    # categories: bin the distinct values once, then spread by their codes
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    per_unique = _category_bins(pd.Series(uniques, dtype=object), spec)
    idx = np.full(len(codes), spec.missing_index, dtype="int64")
    known = codes >= 0
    idx[known] = per_unique[codes[known]]
    return idx


def _category_bins(values: pd.Series, spec: VariableBins) -> np.ndarray:
    """Bin index of each (distinct, non-missing) category value."""
    codes = pd.Index([str(c) for g in spec.groups for c in g])
    owners = np.repeat(np.arange(len(spec.groups)), [len(g) for g in spec.groups])
    text = values.map(str)
    pos = codes.get_indexer(text)
    idx = np.where(pos >= 0, owners[np.maximum(pos, 0)] if len(owners) else 0, spec.other_index)
    for k, group in enumerate(spec.specials):
        idx[text.isin([str(v) for v in group]).to_numpy(dtype=bool)] = spec.n_regular + k
    idx[values.isna().to_numpy()] = spec.missing_index
    return idx.astype("int64")


def spec_from_table(name: str, kind: str, *, edges=(), groups=(), specials=(), woe_regular,
                    woe_specials=(), woe_missing=0.0, woe_other=0.0, labels=None) -> VariableBins:
    """Build a :class:`VariableBins` from the parts a binning table exposes.

    Parameters
    ----------
    name : str
        The variable.
    kind : {"numeric", "categorical"}
    edges : sequence of float
        Inner edges (numeric).
    groups : sequence of sequence of str
        Category groups (categorical).
    specials : sequence of sequence
        Special-value groups.
    woe_regular : sequence of float
        WoE of the regular bins (intervals or groups).
    woe_specials : sequence of float
        WoE of the special bins.
    woe_missing, woe_other : float, default 0.0
        WoE of the missing bin and (categorical) of unseen categories.
    labels : sequence of str, optional
        Bin labels; default :meth:`VariableBins.default_labels`.

    Returns
    -------
    VariableBins

    Raises
    ------
    ParameterError
        When the number of WoE values does not match the number of bins.

    Examples
    --------
    >>> spec_from_table("age", NUMERIC, edges=[30], woe_regular=[0.5, -0.5]).woe
    (0.5, -0.5, 0.0)
    """
    woe = [*map(float, woe_regular), *map(float, woe_specials), float(woe_missing)]
    if kind == CATEGORICAL:
        woe.append(float(woe_other))
    spec = VariableBins(
        name=name, kind=kind, edges=tuple(float(e) for e in edges),
        groups=tuple(tuple(str(c) for c in g) for g in groups),
        specials=tuple(tuple(_plain(v) for v in s) for s in specials), woe=tuple(woe),
    )
    if len(spec.woe) != spec.n_bins:
        raise ParameterError(
            f"variable {name!r}: {len(spec.woe)} WoE values for {spec.n_bins} bins; the binning "
            "table and its edges disagree — refit the binning"
        )
    return VariableBins(**{**spec.__dict__, "labels": tuple(labels or spec.default_labels())})


def specs_from_binning(binning, variables) -> dict[str, VariableBins]:
    """Copy the bins of each fitted variable out of a binning estimator.

    Knows creditkit's ``BinningProcess`` (its per-variable ``OptimalBinning``:
    ``splits_``, ``special_values``/``special_index_``, ``missing_index_``,
    ``woe_``) and optbinning's ``BinningProcess``, which tests and benchmarks
    use as a reference.

    Parameters
    ----------
    binning : BinningProcess
        Fitted.
    variables : iterable of str
        The variables to copy.

    Returns
    -------
    dict of str to VariableBins

    Examples
    --------
    >>> import numpy as np
    >>> from creditkit.scoring import BinningProcess
    >>> X = pd.DataFrame({"age": np.arange(200) % 60 + 20})
    >>> y = (X["age"] < 35).astype(int)
    >>> specs = specs_from_binning(BinningProcess().fit(X, y), ["age"])
    >>> specs["age"].kind
    'numeric'
    """
    return {v: _spec_from_binner(v, _binner(binning, v)) for v in variables}


def _binner(binning, name: str):
    for attr in ("binnings_", "binners_", "optimal_binnings_"):
        found = getattr(binning, attr, None)
        if isinstance(found, dict) and name in found:
            return found[name]
    if hasattr(binning, "get_binned_variable"):
        return binning.get_binned_variable(name)
    raise ParameterError(
        f"cannot read the bins of {name!r} from a {type(binning).__name__}; pass a fitted "
        "creditkit.scoring.BinningProcess"
    )


def _spec_from_binner(name: str, ob) -> VariableBins:
    if hasattr(ob, "binning_table"):
        return _spec_from_optbinning(name, ob)
    woe = np.asarray(ob.woe_, dtype="float64")
    nb = int(ob.n_clean_bins_)
    specials = tuple((v,) for v in (ob.special_values or ()))
    woe_specials = [woe[i] for i in np.asarray(ob.special_index_, dtype="int64")]
    labels = list(ob.bin_labels_[:nb]) + [f"Special {v[0]}" for v in specials] + ["Missing"]
    numeric = ob.dtype == "numerical"
    if not numeric:
        labels.append("Unknown")
    return spec_from_table(
        name, NUMERIC if numeric else CATEGORICAL,
        edges=np.asarray(ob.splits_, dtype="float64") if numeric else (),
        groups=() if numeric else ob.splits_, specials=specials,
        woe_regular=woe[:nb], woe_specials=woe_specials,
        woe_missing=woe[int(ob.missing_index_)], woe_other=0.0, labels=labels,
    )


def _spec_from_optbinning(name: str, ob) -> VariableBins:
    table = ob.binning_table.build()
    woe = pd.to_numeric(table["WoE"].iloc[:-1], errors="coerce").fillna(0.0).to_numpy()
    n_regular = len(woe) - 2  # optbinning: regular bins, then one Special, one Missing
    specials = (tuple(ob.special_codes),) if ob.special_codes else ()
    woe_specials = (woe[n_regular],) if specials else ()
    if ob.dtype == "numerical":
        return spec_from_table(name, NUMERIC, edges=ob.splits, specials=specials,
                               woe_regular=woe[:n_regular], woe_specials=woe_specials,
                               woe_missing=woe[n_regular + 1])
    return spec_from_table(name, CATEGORICAL, groups=[list(g) for g in ob.splits],
                           specials=specials, woe_regular=woe[:n_regular],
                           woe_specials=woe_specials, woe_missing=woe[n_regular + 1])
