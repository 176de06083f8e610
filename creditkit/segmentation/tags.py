"""Customer tags (客户标签): rule-based labels, their counts and overlaps.

A tag rule is a rule of :mod:`creditkit.rules` whose output is a ``tag``;
every rule that holds tags the customer (tags are not exclusive, unlike
tiers). A tag may name a field in braces, ``industry:{industry}``, to make
one tag per value. The shipped default is
``creditkit/segmentation/data/tag_rules.csv``: ``new_customer``,
``high_utilization``, ``auto_debit_user``, ``multi_channel_payer``,
``industry:…`` and ``region:…``.

Examples
--------
>>> [r.id for r in load_tag_rules().rules][:2]
['new_customer', 'high_utilization']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.rules import RuleSchema, RuleSet, all_matches, load_rules, shipped_rules_path
from creditkit.segmentation.features import feature_fields

__all__ = ["TAG_SCHEMA", "assign_tags", "load_tag_rules", "tag_counts", "tag_overlaps"]

#: What a tag rule may say: a tag (``{field}`` allowed), descriptions in zh and en.
TAG_SCHEMA = RuleSchema("tag rules",
                        outputs={"tag": None, "description_zh": None, "description_en": None},
                        required=("tag",), fields=feature_fields(), templates=("tag",))


def load_tag_rules(source: Any = None) -> RuleSet:
    """The tag rules from a CSV/YAML file, a table or a list (default: the shipped CSV).

    Examples
    --------
    >>> load_tag_rules().rules[-1].outputs["tag"]
    'region:{region}'
    """
    if source is None:
        source = shipped_rules_path("creditkit.segmentation", "tag_rules.csv")
    return load_rules(source, TAG_SCHEMA)


def assign_tags(features: pd.DataFrame, rules: Any = None) -> pd.DataFrame:
    """Every tag of every customer: one row per (customer, tag).

    Parameters
    ----------
    features : DataFrame
        As :func:`creditkit.segmentation.customer_features`.
    rules : RuleSet, path, DataFrame or list, optional
        Tag rules (default: the shipped ``tag_rules.csv``).

    Returns
    -------
    DataFrame
        ``customer_id``, ``tag``, ``rule_id``, ``values_seen``,
        ``description_zh``, ``description_en``; customers in the order of
        ``features``, tags in rule order. A customer without a tag has no row.

    Raises
    ------
    ParameterError
        ``features`` lacks ``customer_id`` or a column a rule reads; a rule is
        wrong (named, with the fix).

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b"], "months_on_book": [2, 30],
    ...     "utilisation": [0.9, 0.1], "auto_debit_share": [None, 1.0], "n_channels": [1, 1],
    ...     "industry": ["retail", None], "region": ["广东", "江苏"]})
    >>> assign_tags(f)[["customer_id", "tag"]].values.tolist()
    [['a', 'new_customer'], ['a', 'high_utilization'], ['a', 'industry:retail'], \
['a', 'region:广东'], ['b', 'auto_debit_user'], ['b', 'region:江苏']]
    """
    ruleset = load_tag_rules(rules)
    if not isinstance(features, pd.DataFrame) or "customer_id" not in features.columns:
        raise ParameterError("features must be a DataFrame with a customer_id column, as "
                             f"customer_features returns; got {type(features).__name__}")
    out = all_matches(features, ruleset)
    return out[["customer_id", "tag", "rule_id", "values_seen", "description_zh",
                "description_en"]]


def _check_tags(tags: object) -> pd.DataFrame:
    if not isinstance(tags, pd.DataFrame) or not {"customer_id", "tag"} <= set(tags.columns):
        raise ParameterError("tags must be a DataFrame with customer_id and tag, as assign_tags "
                             f"returns; got {type(tags).__name__}")
    return tags


def tag_counts(tags: pd.DataFrame, *, customers: int | pd.DataFrame | None = None) -> pd.DataFrame:
    """Customers per tag, most common first.

    Parameters
    ----------
    tags : DataFrame
        As :func:`assign_tags`.
    customers : int or DataFrame, optional
        All the customers (a count, or the features frame): ``share`` is of
        them. Without it, ``share`` is of the customers with at least one tag.

    Returns
    -------
    DataFrame
        ``tag``, ``customers``, ``share``.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "a", "b"], "tag": ["x", "y", "x"]})
    >>> tag_counts(t, customers=4).values.tolist()
    [['x', 2, 0.5], ['y', 1, 0.25]]
    """
    tags = _check_tags(tags)
    if customers is None:
        total = tags["customer_id"].nunique()
    elif isinstance(customers, pd.DataFrame):
        total = len(customers)
    elif isinstance(customers, int | np.integer) and not isinstance(customers, bool):
        total = int(customers)
    else:
        raise ParameterError(f"customers must be a count or the features frame; got "
                             f"{type(customers).__name__}")
    counts = tags.drop_duplicates(["customer_id", "tag"]).groupby("tag")["customer_id"].size()
    out = pd.DataFrame({"tag": counts.index.astype(object), "customers":
                        counts.to_numpy(dtype="int64")})
    out = out.sort_values(["customers", "tag"], ascending=[False, True], ignore_index=True)
    out["share"] = out["customers"] / total if total else np.nan
    return out


def tag_overlaps(tags: pd.DataFrame, *, only: list[str] | None = None) -> pd.DataFrame:
    """Customers holding both tags, for every pair (the diagonal: customers with the tag).

    Parameters
    ----------
    tags : DataFrame
        As :func:`assign_tags`.
    only : list of str, optional
        The tags to cross (default: all, which with ``industry:…`` and
        ``region:…`` tags can be many).

    Returns
    -------
    DataFrame
        Square, indexed and columned by tag (sorted), int64 counts.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "a", "b"], "tag": ["x", "y", "x"]})
    >>> tag_overlaps(t).values.tolist()
    [[2, 1], [1, 1]]
    """
    tags = _check_tags(tags)
    if only is not None:
        unknown = sorted(set(only) - set(tags["tag"]))
        if unknown:
            raise ParameterError(f"tag(s) {unknown} are on no customer; tags present: "
                                 f"{sorted(set(tags['tag']))[:20]}")
        tags = tags[tags["tag"].isin(only)]
    pairs = tags.drop_duplicates(["customer_id", "tag"])
    names = sorted(pairs["tag"].unique())
    cust = pd.Index(pairs["customer_id"].unique())
    m = np.zeros((len(cust), len(names)), dtype=np.int64)
    m[cust.get_indexer(pairs["customer_id"]), pd.Index(names).get_indexer(pairs["tag"])] = 1
    return pd.DataFrame(m.T @ m, index=pd.Index(names, name="tag"),
                        columns=pd.Index(names, name="tag"))
