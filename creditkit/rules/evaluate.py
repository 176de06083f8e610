"""Evaluating rules over a features frame: one boolean mask per condition, no loop per row.

:func:`first_match` gives every row the first rule that holds (tiers,
restriction levels); :func:`all_matches` gives every (row, rule) pair that
holds (tags, alerts). Both carry the rule's outputs and the values it saw,
as text such as ``dpd=45; worst_dpd_12m=60``. A condition's mask is computed
once even when several rules share it.

Integer columns are compared with integer thresholds as integers, so an
amount in minor units is never rounded through a float.

Examples
--------
>>> from creditkit.rules.spec import RuleSchema, build_rules
>>> schema = RuleSchema("tiers", outputs={"tier": None}, required=("tier",))
>>> rs = build_rules([{"id": "late", "when": [("dpd", ">=", 30)], "tier": "bad"},
...                   {"id": "rest", "tier": "good"}], schema)
>>> f = pd.DataFrame({"customer_id": ["a", "b"], "dpd": [45, 0]})
>>> first_match(f, rs)[["customer_id", "rule_id", "tier", "values_seen"]].values.tolist()
[['a', 'late', 'bad', 'dpd=45'], ['b', 'rest', 'good', '']]
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.exceptions import ParameterError
from creditkit.rules.spec import TEMPLATE_FIELD, Condition, Rule, RuleSet

__all__ = ["all_matches", "first_match", "rule_masks", "rules_table"]


def _column(features: pd.DataFrame, cond: Condition, rule: Rule, rules: RuleSet) -> pd.Series:
    if cond.field not in features.columns:
        raise ParameterError(f"{rules.source} (rule {rule.id!r}): field {cond.field!r} is not a "
                             f"column of the features; they are {list(features.columns)}; "
                             "build them with the concept's features function or fix the rule")
    return features[cond.field]


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _numbers(s: pd.Series, threshold: object) -> tuple[np.ndarray, np.ndarray]:
    """Values and presence; int64 kept when the column and the threshold are whole."""
    present = s.notna().to_numpy()
    whole = pd.api.types.is_integer_dtype(s) and all(
        isinstance(t, int) for t in np.atleast_1d(np.asarray(threshold, dtype=object)))
    if whole:
        return s.to_numpy(dtype=np.int64, na_value=0), present
    return s.to_numpy(dtype=np.float64, na_value=np.nan), present


def _mask(s: pd.Series, cond: Condition, rule: Rule, rules: RuleSet) -> np.ndarray:
    op, value = cond.op, cond.value
    where = f"{rules.source} (rule {rule.id!r})"
    if op == "is_missing":
        missing = s.isna().to_numpy()
        return missing if value else ~missing
    present = s.notna().to_numpy()
    if not present.any():
        return present  # an all-missing column (broken promises not recorded yet) matches none
    if s.dtype == object:
        with contextlib.suppress(ValueError, TypeError):  # numbers read as objects
            s = pd.to_numeric(s)
    if op in (">=", ">", "<=", "<", "between"):
        if not _is_numeric(s):
            raise ParameterError(f"{where}: {cond.text()} needs numbers, but column "
                                 f"{cond.field!r} holds {s.dtype}; compare it with ==, != or in")
        x, present = _numbers(s, value)
        with np.errstate(invalid="ignore"):
            if op == "between":
                hit = (x >= value[0]) & (x <= value[1])
            else:
                hit = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal,
                       "<": np.less}[op](x, value)
        return hit & present
    values = value if op in ("in", "not in") else (value,)
    numeric = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if _is_numeric(s):
        if len(numeric) != len(values):
            raise ParameterError(f"{where}: {cond.text()} compares numbers in {cond.field!r} "
                                 "with text or true/false; write numbers")
        x, present = _numbers(s, values)
        hit = np.isin(x, np.asarray(values, dtype=x.dtype)) & present
    elif pd.api.types.is_bool_dtype(s):
        if not all(isinstance(v, bool) for v in values):
            raise ParameterError(f"{where}: {cond.text()}: {cond.field!r} is yes/no; write true "
                                 "or false")
        hit = s.isin(values).to_numpy(dtype=bool) & present
    else:
        texts = [str(v) for v in values]
        hit = s.astype("string").isin(texts).to_numpy(dtype=bool) & present
    if op in ("!=", "not in"):
        hit = ~hit & present
    return hit


def rule_masks(features: pd.DataFrame, rules: RuleSet) -> np.ndarray:
    """A boolean matrix (rows × rules): does rule j hold for row i.

    Examples
    --------
    >>> from creditkit.rules.spec import RuleSchema, build_rules
    >>> rs = build_rules([{"id": "r", "match": "any", "when": [("a", ">", 1), ("b", "==", "x")]}],
    ...                  RuleSchema("r", outputs={}))
    >>> rule_masks(pd.DataFrame({"a": [2, 0, None], "b": ["y", "x", None]}), rs)[:, 0].tolist()
    [True, True, False]
    """
    if not isinstance(features, pd.DataFrame):
        raise ParameterError(f"features must be a pandas DataFrame; got "
                             f"{type(features).__name__}")
    if not isinstance(rules, RuleSet):
        raise ParameterError(f"rules must be a RuleSet (creditkit.rules.load_rules); got "
                             f"{type(rules).__name__}")
    n = len(features)
    out = np.zeros((n, len(rules.rules)), dtype=bool)
    cache: dict[tuple, np.ndarray] = {}
    for j, rule in enumerate(rules.rules):
        if not rule.conditions:
            out[:, j] = True
            continue
        masks = []
        for cond in rule.conditions:
            key = (cond.field, cond.op, repr(cond.value))
            if key not in cache:
                cache[key] = _mask(_column(features, cond, rule, rules), cond, rule, rules)
            masks.append(cache[key])
        out[:, j] = np.logical_and.reduce(masks) if rule.match == "all" else \
            np.logical_or.reduce(masks)
        for name in rule.fields():
            if name not in features.columns:
                raise ParameterError(f"{rules.source} (rule {rule.id!r}): field {name!r} is not a "
                                     f"column of the features; they are {list(features.columns)}")
    return out


class _Columns:
    """Feature columns as Arrow arrays, converted once, missing values as nulls."""

    def __init__(self, features: pd.DataFrame) -> None:
        self.features = features
        self.cache: dict[str, pa.Array] = {}

    def text(self, name: str, rows: np.ndarray) -> pa.Array:
        """The column's values at ``rows`` as text (floats to 4 decimals, missing as NA)."""
        if name not in self.cache:
            s = self.features[name]
            arr = pa.array(s.to_numpy(), from_pandas=True) if s.dtype.kind in "fiub" \
                else pa.array(s, from_pandas=True)
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            self.cache[name] = arr
        arr = pc.take(self.cache[name], pa.array(rows, type=pa.int64()))  # then format only those
        if pa.types.is_floating(arr.type):
            arr = pc.round(arr, 4)
        if not pa.types.is_string(arr.type):
            arr = pc.cast(arr, pa.string())
        return pc.fill_null(arr, "NA")


def _join(parts: list, n: int) -> pa.Array:
    """Concatenate text arrays and scalars element-wise."""
    if not any(isinstance(p, pa.Array) for p in parts):  # fixed text: the same on every row
        return pa.array(["".join(parts)] * n, type=pa.string())
    return pc.binary_join_element_wise(*parts, "")


def _seen(cols: _Columns, rule: Rule, rows: np.ndarray) -> pa.Array:
    """``field=value; …`` of the rule's condition fields for the rows given."""
    names = list(dict.fromkeys(c.field for c in rule.conditions))
    parts: list = []
    for k, name in enumerate(names):
        parts += [("; " if k else "") + name + "=", cols.text(name, rows)]
    return _join(parts, len(rows))


def _filled(cols: _Columns, template: str, rows: np.ndarray) -> pa.Array:
    pieces = TEMPLATE_FIELD.split(template)  # text, ref, text, ref, …, text
    parts: list = [pieces[0]]
    for k in range(1, len(pieces), 2):
        parts += [cols.text(pieces[k], rows), pieces[k + 1]]
    return _join(parts, len(rows))


def _texts(which: np.ndarray, rows: np.ndarray, make) -> pd.Series:
    """Per-position text built rule by rule (``make(j, rows_of_rule_j)``), missing where -1."""
    out = pa.nulls(len(which), type=pa.string())
    pieces, places = [], []
    for j in np.unique(which[which >= 0]):
        at = np.flatnonzero(which == j)
        pieces.append(make(int(j), rows[at]))
        places.append(at)
    if pieces:
        order = np.concatenate(places)
        values = pa.concat_arrays(pieces)
        where = np.empty(len(which), dtype=np.int64)
        where[order] = np.arange(len(order))
        missing = np.ones(len(which), dtype=bool)
        missing[order] = False
        out = pc.if_else(pa.array(missing), pa.nulls(len(which), type=pa.string()),
                         values.take(pa.array(np.where(missing, 0, where))))
    return pd.Series(pd.arrays.ArrowStringArray(out))


def _frame(features: pd.DataFrame, rules: RuleSet, rows: np.ndarray, which: np.ndarray,
           id_col: str | None) -> pd.DataFrame:
    """For each (row, rule index) pair (index -1: no rule): id, rule_id, outputs, values_seen.

    Rule ids and fixed outputs are categoricals (a code per rule, no string per row);
    outputs with a ``{field}`` template and the values seen are Arrow strings built
    only for the rows each rule placed.
    """
    cols = _Columns(features)
    out: dict[str, object] = {"row": rows}
    if id_col is not None:
        out[id_col] = features[id_col].take(rows).reset_index(drop=True)
    out["rule_id"] = pd.Categorical.from_codes(which, [r.id for r in rules.rules])
    for name in rules.schema.outputs:
        values = [r.outputs.get(name) for r in rules.rules]
        if any(v is not None and TEMPLATE_FIELD.search(v) for v in values):
            out[name] = _texts(which, rows, lambda j, at, v=values: (
                pa.nulls(len(at), type=pa.string()) if v[j] is None
                else _filled(cols, v[j], at)))
            continue
        cats = list(dict.fromkeys(v for v in values if v is not None))
        code = np.array([-1 if v is None else cats.index(v) for v in values] + [-1])
        out[name] = pd.Categorical.from_codes(code[which], cats)
    out["values_seen"] = _texts(which, rows, lambda j, at: _seen(cols, rules.rules[j], at))
    return pd.DataFrame(out)


def _id_col(features: pd.DataFrame, id_col: str | None) -> str | None:
    if id_col is not None and id_col not in features.columns:
        raise ParameterError(f"features have no column {id_col!r} (got "
                             f"{list(features.columns)[:10]}); pass id_col= naming the key, or "
                             "id_col=None")
    return id_col


def first_match(features: pd.DataFrame, rules: RuleSet, *,
                id_col: str | None = "customer_id") -> pd.DataFrame:
    """The first rule that holds for each row, in the rows' order.

    Parameters
    ----------
    features : DataFrame
        One row per customer (or order, …), one column per field the rules read.
    rules : RuleSet
    id_col : str or None, default "customer_id"
        Key column copied to the result.

    Returns
    -------
    DataFrame
        One row per input row: ``id_col``, ``rule_id`` (missing when no rule
        holds), one column per output of the schema, ``values_seen``
        (``field=value; …`` of the conditions of the rule that placed the row).
        ``rule_id`` and fixed outputs are categoricals (one code per rule, cheap
        for a million rows); templated outputs and ``values_seen`` are strings.

    Raises
    ------
    ParameterError
        A rule reads a column the frame lacks, or compares a column of the
        wrong type (the message names the rule).

    Examples
    --------
    >>> from creditkit.rules.spec import RuleSchema, build_rules
    >>> rs = build_rules([{"id": "hi", "when": [("u", ">=", 0.8)], "t": "x"}],
    ...                  RuleSchema("t", outputs={"t": None}))
    >>> got = first_match(pd.DataFrame({"u": [0.9, 0.5]}), rs, id_col=None)
    >>> got["rule_id"].tolist()[0], got["rule_id"].isna().tolist()
    ('hi', [False, True])
    """
    id_col = _id_col(features, id_col)
    masks = rule_masks(features, rules)
    which = np.where(masks.any(axis=1), masks.argmax(axis=1), -1)
    out = _frame(features, rules, np.arange(len(features)), which, id_col)
    return out.drop(columns="row")


def all_matches(features: pd.DataFrame, rules: RuleSet, *,
                id_col: str | None = "customer_id") -> pd.DataFrame:
    """Every (row, rule) pair where the rule holds: row order, then rule order.

    Returns
    -------
    DataFrame
        ``row`` (position in ``features``), ``id_col``, ``rule_id``, the
        outputs, ``values_seen``.

    Examples
    --------
    >>> from creditkit.rules.spec import RuleSchema, build_rules
    >>> rs = build_rules([{"id": "a", "when": [("x", ">", 0)], "tag": "pos"},
    ...                   {"id": "b", "when": [("x", ">", 5)], "tag": "big"}],
    ...                  RuleSchema("tags", outputs={"tag": None}))
    >>> all_matches(pd.DataFrame({"x": [9, 1, 0]}), rs, id_col=None)[["row", "tag"]].values.tolist()
    [[0, 'pos'], [0, 'big'], [1, 'pos']]
    """
    id_col = _id_col(features, id_col)
    masks = rule_masks(features, rules)
    rows, which = np.nonzero(masks)  # row by row, rules in order within a row
    return _frame(features, rules, rows, which, id_col)


def rules_table(rules: RuleSet, lang: str | None = None) -> pd.DataFrame:
    """The rules as a readable table: order, id, conditions in words, outputs.

    Parameters
    ----------
    rules : RuleSet
    lang : {"zh", "en"}, optional
        Keep only that language's ``description_<lang>`` output, as ``description``.

    Examples
    --------
    >>> from creditkit.rules.spec import RuleSchema, build_rules
    >>> rs = build_rules([{"id": "a", "match": "any", "when": [("x", ">", 0), ("y", "<", 1)]}],
    ...                  RuleSchema("r", outputs={}))
    >>> rules_table(rs)["conditions"].tolist()
    ['x > 0 or y < 1']
    """
    from creditkit.checks import check_lang

    rows = []
    for i, rule in enumerate(rules.rules, start=1):
        joiner = " and " if rule.match == "all" else " or "
        row: dict[str, object] = {"order": i, "rule_id": rule.id,
                                  "conditions": joiner.join(c.text() for c in rule.conditions)
                                  or "(always)"}
        row.update({k: rule.outputs.get(k, "") for k in rules.schema.outputs})
        rows.append(row)
    table = pd.DataFrame(rows)
    if lang is not None:
        check_lang(lang)
        desc = f"description_{lang}"
        drop = [c for c in table.columns if c.startswith("description_")]
        if desc in table.columns:
            table["description"] = table[desc]
        table = table.drop(columns=drop)
    return table
