"""Who is restricted and why (限制类客户认定): restriction levels by the one rule engine.

A restriction rule is a rule of :mod:`creditkit.rules` whose output is a
``restriction_level`` in :data:`RULE_LEVELS` (watch → restricted → stop) with a reason in
zh and en. Rules read the columns of
:func:`creditkit.segmentation.customer_features` plus the fields that
features lack (:data:`EXTRA_FIELDS`: returned auto-debits, a legal dispute,
industry and region risk), which :func:`restriction_features` adds from
optional inputs; a field nobody supplied is missing (``<NA>``) and a
missing value satisfies no condition but ``is_missing``.

Every rule that holds counts (one boolean mask per rule,
:func:`creditkit.rules.rule_masks`), and a customer's level is the most
severe of them, with every reason listed; a customer no rule matches is
``none``. :func:`restricted_customers` also carries the date each customer
entered from the previous evaluation and says what changed since it.

The shipped rules, ``creditkit/restricted/data/restriction_rules.csv``, are
an example to copy and edit, not a recommendation.

Examples
--------
>>> [r.id for r in load_restriction_rules().rules][:2]
['stop_write_off', 'stop_dpd_90']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError
from creditkit.rules import (
    RuleSchema,
    RuleSet,
    load_rules,
    rule_masks,
    shipped_rules_path,
)
from creditkit.segmentation import feature_fields

__all__ = ["CHANGES", "EXTRA_FIELDS", "LEVELS", "RESTRICTION_SCHEMA", "RULE_LEVELS",
           "level_rank", "load_restriction_rules", "restricted_customers",
           "restriction_features"]

#: Every level, least severe first; ``none`` is "not restricted".
LEVELS: tuple[str, ...] = ("none", "watch", "restricted", "stop")
#: The levels a rule may set.
RULE_LEVELS: tuple[str, ...] = LEVELS[1:]
#: What :func:`restricted_customers` says changed since the previous evaluation.
CHANGES: tuple[str, ...] = ("entered", "left", "level_up", "level_down", "reasons_changed",
                            "unchanged")
#: Fields restriction rules read that ``customer_features`` lacks, with what they hold.
EXTRA_FIELDS: dict[str, str] = {"returned_debits": "number", "legal_dispute": "flag",
                                "industry_risk": "text", "region_risk": "text"}

#: What a restriction rule may say: a level, reasons in zh and en; conditions on the
#: customer features and the extra fields; no catch-all needed (no rule: level none).
RESTRICTION_SCHEMA = RuleSchema(
    "restriction rules",
    outputs={"restriction_level": RULE_LEVELS, "description_zh": None, "description_en": None},
    required=("restriction_level", "description_zh", "description_en"),
    fields={**feature_fields(), **EXTRA_FIELDS})


def level_rank(levels: Any) -> np.ndarray:
    """The severity of each level: 0 (none) to 3 (stop).

    Raises
    ------
    ParameterError
        An unknown level (the valid ones are named).

    Examples
    --------
    >>> level_rank(["stop", "none", "watch"]).tolist()
    [3, 0, 1]
    """
    values = pd.Series(np.asarray(levels, dtype=object)).fillna("none")
    codes = pd.Index(list(LEVELS)).get_indexer(values)
    if (codes < 0).any():
        bad = sorted(set(map(str, values[codes < 0])))[:5]
        raise ParameterError(f"unknown restriction level(s) {bad}; levels are {list(LEVELS)}")
    return codes.astype("int64")


def load_restriction_rules(source: Any = None) -> RuleSet:
    """The restriction rules from a CSV/YAML file, a table or a list (default: the shipped CSV).

    Raises
    ------
    DataReadError, ParameterError
        As :func:`creditkit.rules.load_rules`: the message names the file, the
        line, the rule and the fix (an unknown level lists the valid ones).

    Examples
    --------
    >>> rs = load_restriction_rules([{"id": "late", "when": [["dpd", ">=", 30]],
    ...     "restriction_level": "watch", "description_zh": "逾期", "description_en": "Late"}])
    >>> rs.rules[0].outputs["restriction_level"]
    'watch'
    """
    if source is None:
        source = shipped_rules_path("creditkit.restricted", "restriction_rules.csv")
    return load_rules(source, RESTRICTION_SCHEMA)


def _risk(values: pd.Series, mapping: Mapping[str, str] | None, name: str) -> pd.Series:
    if mapping is None:
        return pd.Series(pd.NA, index=values.index, dtype="string")
    if not isinstance(mapping, Mapping):
        raise ParameterError(f"{name} must be a mapping such as {{'construction': 'high'}}; got "
                             f"{type(mapping).__name__}")
    return values.astype("string").map(lambda v: mapping.get(v, pd.NA)
                                       if isinstance(v, str) else pd.NA).astype("string")


def restriction_features(features: pd.DataFrame, extra: pd.DataFrame | None = None, *,
                         industry_risk: Mapping[str, str] | None = None,
                         region_risk: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The customer features with the fields restriction rules add, missing when unknown.

    Parameters
    ----------
    features : DataFrame
        As :func:`creditkit.segmentation.customer_features` (``customer_id``
        and the columns the rules read).
    extra : DataFrame, optional
        ``customer_id`` and any of ``returned_debits`` (returned auto-debits in
        the period the analyst chose), ``legal_dispute`` (true/false),
        ``industry_risk``, ``region_risk`` (text such as ``high``), and
        ``external_rating`` (replaces the customers table's). A customer
        absent from it has those fields missing.
    industry_risk, region_risk : mapping, optional
        Risk of an industry or region (``{"construction": "high"}``), used
        where ``extra`` gives none.

    Returns
    -------
    DataFrame
        A copy of ``features`` with every column of :data:`EXTRA_FIELDS`.

    Raises
    ------
    ParameterError
        ``features`` or ``extra`` lack ``customer_id`` or repeat a customer; an
        extra column of the wrong kind.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b"], "industry": ["construction", "retail"]})
    >>> g = restriction_features(f, pd.DataFrame({"customer_id": ["a"], "returned_debits": [2]}),
    ...                          industry_risk={"construction": "high"})
    >>> g["returned_debits"].tolist(), g["industry_risk"].tolist()
    ([2, <NA>], ['high', <NA>])
    """
    _check_features(features)
    out = features.copy()
    ids = pd.Index(out["customer_id"])
    given = pd.DataFrame(index=ids)
    if extra is not None:
        if not isinstance(extra, pd.DataFrame) or "customer_id" not in extra.columns:
            raise ParameterError("extra must be a DataFrame with a customer_id column and any of "
                                 f"{sorted(EXTRA_FIELDS)}; got {type(extra).__name__}")
        if extra["customer_id"].duplicated().any():
            raise ParameterError("extra repeats customer(s) "
                                 f"{extra['customer_id'][extra['customer_id'].duplicated()].tolist()[:5]}"
                                 "; give one row per customer")
        given = extra.set_index("customer_id").reindex(ids)
    for name, kind in EXTRA_FIELDS.items():
        if name in given.columns:
            col = given[name]
            if kind == "number":
                num = pd.to_numeric(col, errors="coerce")
                if (num.isna() & col.notna()).any():
                    raise ParameterError(f"extra column {name!r} must hold whole numbers; got "
                                         f"{col[num.isna() & col.notna()].tolist()[:3]}")
                values = pd.array(num.to_numpy(), dtype="Int64")
            elif kind == "flag":
                ok = col.isna() | col.isin([True, False])
                if not ok.all():
                    raise ParameterError(f"extra column {name!r} must hold true/false; got "
                                         f"{col[~ok].tolist()[:3]}")
                values = pd.array(col.to_numpy(), dtype="boolean")
            else:
                values = pd.array(col.astype("string").to_numpy(), dtype="string")
        elif name == "industry_risk" and "industry" in out.columns:
            values = _risk(out["industry"], industry_risk, name).array
        elif name == "region_risk" and "region" in out.columns:
            values = _risk(out["region"], region_risk, name).array
        else:
            values = pd.array([pd.NA] * len(out), dtype={"number": "Int64", "flag": "boolean",
                                                          "text": "string"}[kind])
        out[name] = values
    if "external_rating" in given.columns:
        rating = given["external_rating"].astype("string")
        base = out["external_rating"] if "external_rating" in out.columns else rating
        out["external_rating"] = rating.fillna(pd.Series(base.to_numpy(), index=ids)
                                               .astype("string")).to_numpy()
    return out


def _check_features(features: object) -> None:
    if not isinstance(features, pd.DataFrame) or "customer_id" not in features.columns:
        raise ParameterError("features must be a DataFrame with a customer_id column, as "
                             "customer_features returns; got "
                             f"{type(features).__name__}")
    if not pd.Index(features["customer_id"]).is_unique:
        dup = features["customer_id"][features["customer_id"].duplicated()].unique()[:5]
        raise ParameterError(f"features repeat customer(s) {dup.tolist()}; one row per "
                             "customer (one as_of)")


def _combos(masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's set of matching rules as a code into the distinct sets (rows × rules)."""
    if masks.shape[1] == 0:
        return np.zeros(len(masks), dtype="int64"), np.zeros((1, 0), dtype=bool)
    if masks.shape[1] <= 62:  # one integer per row: a fast unique
        keys = masks.astype(np.int64) @ (np.int64(1) << np.arange(masks.shape[1], dtype=np.int64))
        uniq_keys, code = np.unique(keys, return_inverse=True)
        uniq = (uniq_keys[:, None] >> np.arange(masks.shape[1])) & 1
        return code.reshape(-1), uniq.astype(bool)
    uniq, code = np.unique(masks, axis=0, return_inverse=True)
    return code.reshape(-1), uniq


def _values_seen(features: pd.DataFrame, rows: np.ndarray, codes: np.ndarray,
                 combos: np.ndarray, ruleset: RuleSet) -> np.ndarray:
    """``field=value; …`` of every field the matching rules read, each field once.

    Built per distinct set of matching rules (a few dozen), column by column,
    so a million customers cost a few vectorised string operations each.
    """
    out = np.empty(len(rows), dtype=object)
    for k in np.unique(codes):
        at = codes == k
        fields = list(dict.fromkeys(c.field for j in np.flatnonzero(combos[k])
                                    for c in ruleset.rules[j].conditions))
        text = None
        for name in fields:
            col = features[name].iloc[rows[at]]
            if pd.api.types.is_float_dtype(col):
                col = col.round(4)
            piece = name + "=" + col.astype("string").fillna("NA")
            text = piece if text is None else text + "; " + piece
        out[at] = "" if text is None else text.to_numpy(dtype=object)
    return out


def _previous(previous: pd.DataFrame | None) -> pd.DataFrame:
    need = {"customer_id", "restriction_level", "rule_ids", "entered_on", "level_since"}
    if previous is None:
        return pd.DataFrame(columns=sorted(need)).set_index("customer_id")
    if not isinstance(previous, pd.DataFrame) or not need <= set(previous.columns):
        got = list(previous.columns) if isinstance(previous, pd.DataFrame) else \
            type(previous).__name__
        raise ParameterError(f"previous must be the frame an earlier restricted_customers "
                             f"returned (columns {sorted(need)}); got {got}")
    prev = previous[previous["restriction_level"].astype(str) != "none"]
    if prev["customer_id"].duplicated().any():
        raise ParameterError("previous repeats customers; pass one evaluation's result")
    level_rank(prev["restriction_level"])
    return prev.set_index("customer_id")


def restricted_customers(features: pd.DataFrame, rules: Any = None, *, as_of: object,
                         previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Restricted customers at ``as_of``: level, every reason, since when, what changed.

    Parameters
    ----------
    features : DataFrame
        One row per customer: :func:`restriction_features` (or
        ``customer_features``, when the rules read none of the extra fields).
    rules : RuleSet, path, DataFrame or list, optional
        Restriction rules (default: the shipped ``restriction_rules.csv``).
    as_of : date-like
        The date of this evaluation.
    previous : DataFrame, optional
        The result of the previous evaluation: entry dates are carried from it,
        and who left is listed.

    Returns
    -------
    DataFrame
        One row per customer whose level is not ``none`` today, then one per
        customer restricted in ``previous`` and not today (level ``none``,
        change ``left``): ``customer_id``, ``as_of``, ``restriction_level``,
        ``previous_restriction_level``, ``change`` (one of :data:`CHANGES`), ``rule_ids``
        (``a|b`` in rule order), ``reasons_zh``, ``reasons_en`` (``；`` / ``; ``
        joined), ``values_seen``, ``entered_on`` (first day of the current
        restriction, at any level), ``level_since`` (first day at this level).

    Raises
    ------
    ParameterError
        Bad features, rules, ``as_of`` or ``previous`` (the message says which).

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "dpd": [95, 35, 0],
    ...                   "worst_dpd_12m": [95, 35, 0]})
    >>> rules = [{"id": "d90", "when": [["dpd", ">=", 90]], "restriction_level": "stop",
    ...           "description_zh": "逾期90天", "description_en": "90 dpd"},
    ...          {"id": "d30", "when": [["dpd", ">=", 30]], "restriction_level": "watch",
    ...           "description_zh": "逾期30天", "description_en": "30 dpd"}]
    >>> r = restricted_customers(f, rules, as_of="2025-06-30")
    >>> r[["customer_id", "restriction_level", "rule_ids", "change"]].values.tolist()
    [['a', 'stop', 'd90|d30', 'entered'], ['b', 'watch', 'd30', 'entered']]
    """
    day = check_as_of(as_of)
    _check_features(features)
    ruleset = load_restriction_rules(rules)
    prev = _previous(previous)
    masks = rule_masks(features, ruleset)
    rule_rank = level_rank([r.outputs["restriction_level"] for r in ruleset.rules])
    code, combos = _combos(masks)
    combo_rank = (combos * rule_rank).max(axis=1, initial=0) if combos.shape[1] else \
        np.zeros(len(combos), dtype="int64")
    rank = combo_rank[code]
    hit = np.flatnonzero(rank > 0)
    ids = features["customer_id"].to_numpy(dtype=object)
    texts = {k: [] for k in ("rule_ids", "reasons_zh", "reasons_en")}
    for row in combos:
        rs = [ruleset.rules[j] for j in np.flatnonzero(row)]
        texts["rule_ids"].append("|".join(r.id for r in rs))
        texts["reasons_zh"].append("；".join(r.outputs["description_zh"] for r in rs))
        texts["reasons_en"].append("; ".join(r.outputs["description_en"] for r in rs))
    now = pd.DataFrame({"customer_id": ids[hit],
                        "restriction_level": np.asarray(LEVELS, dtype=object)[rank[hit]]})
    for k, values in texts.items():
        now[k] = np.asarray(values, dtype=object)[code[hit]]
    now["values_seen"] = _values_seen(features, hit, code[hit], combos, ruleset)
    left_ids = prev.index.difference(pd.Index(now["customer_id"]), sort=False)
    left = pd.DataFrame({"customer_id": left_ids.to_numpy(dtype=object),
                         "restriction_level": "none",
                         "rule_ids": "", "reasons_zh": "", "reasons_en": "", "values_seen": ""})
    out = pd.concat([now, left], ignore_index=True)
    out.insert(1, "as_of", day)
    before = prev.reindex(out["customer_id"])
    out["previous_restriction_level"] = before["restriction_level"].astype(object) \
        .fillna("none").astype(str).to_numpy()
    r_now = level_rank(out["restriction_level"])
    r_before = level_rank(out["previous_restriction_level"])
    same_rules = before["rule_ids"].fillna("").astype(str).to_numpy() == out["rule_ids"].to_numpy()
    out["change"] = np.select(
        [(r_before == 0) & (r_now > 0), (r_before > 0) & (r_now == 0), r_now > r_before,
         r_now < r_before, ~same_rules], ["entered", "left", "level_up", "level_down",
                                          "reasons_changed"], "unchanged")
    entered = pd.to_datetime(before["entered_on"]).to_numpy()
    since = pd.to_datetime(before["level_since"]).to_numpy()
    stay = (r_before > 0) & (r_now > 0)
    out["entered_on"] = np.where(stay, entered, np.datetime64(day, "ns"))
    out["level_since"] = np.where(stay & (r_now == r_before), since, np.datetime64(day, "ns"))
    out.loc[r_now == 0, ["entered_on", "level_since"]] = pd.NaT
    out["entered_on"] = pd.to_datetime(out["entered_on"])
    out["level_since"] = pd.to_datetime(out["level_since"])
    cols = ["customer_id", "as_of", "restriction_level", "previous_restriction_level", "change",
            "rule_ids", "reasons_zh", "reasons_en", "values_seen", "entered_on", "level_since"]
    return out[cols]
