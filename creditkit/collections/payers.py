"""Who paid: a payment's customer from its id, payer account, reference or payer name.

In order of certainty (the first that answers wins):

==========================  ======  ===================================================
method                      score   rule
==========================  ======  ===================================================
``given``                   1.00    the payment carries a ``customer_id``
``account``                 0.99    its ``payer_account`` (bank account, Alipay / WeChat
                                    id) is mapped to one customer in ``accounts``
``customer_id_reference``   0.98    the reference holds one customer's id
``name_exact``              0.95    the payer name, normalised (full-width, spaces,
                                    legal suffixes such as 有限公司 dropped), is the
                                    name of exactly one customer
``name_fuzzy``              ≤ 0.90  rapidfuzz ratio ≥ ``name_score_min`` and ahead of
                                    the runner-up by ``name_margin_min`` points,
                                    compared only within a block (same first two
                                    characters, or same third and fourth)
==========================  ======  ===================================================

Two customers with the same (normalised) name are never matched by name:
the payment goes to the exceptions with reason ``shared_name``, unless its
reference names a bill, which identifies the customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from creditkit.collections.references import id_keys, normalise_text, reference_tokens
from creditkit.collections.rules import ReconcileRules
from creditkit.exceptions import SchemaError

__all__ = ["LEGAL_SUFFIXES", "PAYER_METHODS", "identify_payers", "normalise_name"]

#: Endings dropped from company names before comparing them.
LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "COLTD", "LTD",
                  "INC", "LLC", "GMBH")
#: Payer methods with their confidence.
PAYER_METHODS = {"given": 1.0, "account": 0.99, "customer_id_reference": 0.98,
                 "name_exact": 0.95,
                 "name_fuzzy": 0.9}
_SUFFIX_RE = "(?:" + "|".join(LEGAL_SUFFIXES) + ")+$"


def normalise_name(names: pd.Series) -> pd.Series:
    """Names as compared: NFKC, upper case, no spaces or punctuation, no legal suffix.

    Examples
    --------
    >>> normalise_name(pd.Series(["广州和瑞装饰工程有限公司", " 广州和瑞装饰工程 ",
    ...                           "Acme Co., Ltd."])).tolist()
    ['广州和瑞装饰工程', '广州和瑞装饰工程', 'ACME']
    """
    s = normalise_text(names).str.replace(r"[\W_]+", "", regex=True)
    return s.str.replace(_SUFFIX_RE, "", regex=True).replace("", np.nan)


def _first(target: pd.Series, found: pd.Series, method: str, out: pd.DataFrame) -> None:
    """Set payer where still unknown and ``found`` has a value."""
    take = out["payer_id"].isna() & found.notna()
    out.loc[take, "payer_id"] = found[take]
    out.loc[take, "payer_method"] = method
    out.loc[take, "payer_score"] = PAYER_METHODS[method]


def identify_payers(
    payments: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    accounts: pd.DataFrame | None = None,
    rules: ReconcileRules | None = None,
) -> tuple[pd.DataFrame, int]:
    """The customer behind each payment, with method, score and (when unknown) why.

    Parameters
    ----------
    payments : DataFrame
        Canonical payments (``customer_id``, ``reference``, ``payer_name`` and
        ``payer_account`` are used when present).
    customers : DataFrame
        ``customer_id`` and ``name``.
    accounts : DataFrame, optional
        ``payer_account``, ``customer_id``: known accounts and wallet ids.
    rules : ReconcileRules, optional

    Returns
    -------
    (DataFrame, int)
        Aligned with ``payments`` (positional index): ``payer_id``,
        ``payer_method``, ``payer_score`` (0 when unknown), ``payer_issue``
        (``shared_name``, ``ambiguous_name`` or ``unknown_payer`` when no
        payer was found), ``payer_candidates`` (customer ids and scores as
        text); and the number of fuzzy name pairs compared.

    Raises
    ------
    SchemaError
        ``accounts`` without its two columns, or an account mapped to two
        customers.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...     "name": ["广州和瑞装饰工程有限公司", "张伟", "张伟"]})
    >>> pays = pd.DataFrame({"customer_id": [None, None, None],
    ...     "payer_name": ["广州和瑞装饰工程", "张伟", "李四"], "reference": [None, None, None]})
    >>> found, _ = identify_payers(pays, customers)
    >>> found[["payer_id", "payer_method", "payer_issue"]].values.tolist()
    [['C1', 'name_exact', None], [None, None, 'shared_name'], [None, None, 'unknown_payer']]
    """
    rules = rules or ReconcileRules()
    n = len(payments)
    p = payments.reset_index(drop=True)
    out = pd.DataFrame({"payer_id": pd.Series([None] * n, dtype=object),
                        "payer_method": pd.Series([None] * n, dtype=object),
                        "payer_score": np.zeros(n),
                        "payer_issue": pd.Series([None] * n, dtype=object),
                        "payer_candidates": pd.Series([None] * n, dtype=object)})
    if "customer_id" in p.columns:
        _first(out["payer_id"], p["customer_id"].astype(object), "given", out)
    if accounts is not None and "payer_account" in p.columns:
        if not {"payer_account", "customer_id"} <= set(accounts.columns):
            raise SchemaError("accounts needs columns 'payer_account' and 'customer_id'; got "
                              f"{list(accounts.columns)}")
        acc = accounts.dropna().drop_duplicates()
        twice = acc["payer_account"][acc["payer_account"].duplicated()]
        if len(twice):
            raise SchemaError(f"payer account(s) {sorted(map(str, twice.unique()))[:5]} map to "
                              "more than one customer in accounts; keep one row per account")
        mapped = p["payer_account"].map(acc.set_index("payer_account")["customer_id"])
        _first(out["payer_id"], mapped.astype(object), "account", out)
    todo = out["payer_id"].isna()
    if todo.any() and "reference" in p.columns:
        todo_rows = np.flatnonzero(todo)
        tok = reference_tokens(p["reference"].iloc[todo_rows])
        tok["row"] = todo_rows[tok["row"].to_numpy()]
        ckey = pd.Series(customers["customer_id"].to_numpy(), index=id_keys(
            customers["customer_id"]).to_numpy())
        ckey = ckey[~ckey.index.duplicated(keep=False)]
        known = pc.is_in(pa.array(tok["key"], pa.string(), from_pandas=True),
                         value_set=pa.array(ckey.index.to_numpy(dtype=object), pa.string()))
        hit = tok[np.asarray(pc.fill_null(known, False).to_numpy(zero_copy_only=False), bool)]
        hit = hit.assign(cid=ckey.reindex(hit["key"]).to_numpy()).drop_duplicates(["row", "cid"])
        hit = hit[~hit["row"].duplicated(keep=False)]
        found = pd.Series([None] * n, dtype=object)
        found.iloc[hit["row"].to_numpy()] = hit["cid"].to_numpy()
        _first(out["payer_id"], found, "customer_id_reference", out)
    compared = 0
    todo = out["payer_id"].isna()
    if todo.any() and "payer_name" in p.columns:
        compared = _by_name(p, customers, out, todo.to_numpy(), rules)
    out.loc[out["payer_id"].isna() & out["payer_issue"].isna(), "payer_issue"] = "unknown_payer"
    return out, compared


def _blocks(frame: pd.DataFrame, col: str) -> pd.DataFrame:
    """Each name under two blocking keys: its first two characters, and its third and fourth
    (after a city, the trade name), so a typo in either pair still meets the right name."""
    name = frame[col].astype(str)
    second = frame[name.str.len().to_numpy() >= 4]
    return pd.concat([frame.assign(block="1" + name.str[:2]),
                      second.assign(block="2" + second[col].astype(str).str[2:4])],
                     ignore_index=True)


def _by_name(p, customers, out, todo, rules) -> int:
    cname = normalise_name(customers["name"])
    cust = pd.DataFrame({"cid": customers["customer_id"].to_numpy(),
                         "cname": cname.to_numpy()}).dropna()
    count = cust["cname"].value_counts()
    rows = np.flatnonzero(todo)
    pname = normalise_name(p["payer_name"].iloc[rows]).to_numpy()
    names = pd.DataFrame({"row": rows, "pname": pname}).dropna()
    n_same = count.reindex(names["pname"]).fillna(0).to_numpy()
    shared = names[n_same > 1]
    out.loc[shared["row"].to_numpy(), "payer_issue"] = "shared_name"
    single = cust[cust["cname"].map(count) == 1].set_index("cname")["cid"]
    exact = names[n_same == 1]
    found = pd.Series([None] * len(out), dtype=object)
    found.iloc[exact["row"].to_numpy()] = single.reindex(exact["pname"]).to_numpy()
    _first(out["payer_id"], found, "name_exact", out)
    # fuzzy, blocked by the first two characters
    rest = names[n_same == 0]
    if rest.empty:
        return 0
    pairs = _blocks(rest, "pname").merge(_blocks(cust, "cname"), on="block").drop(
        columns="block").drop_duplicates(["row", "cid"])
    if pairs.empty:
        return 0
    pairs["score"] = cpdist(pairs["pname"].tolist(), pairs["cname"].tolist(), scorer=fuzz.ratio,
                            workers=1)
    pairs = pairs.sort_values(["row", "score"], ascending=[True, False])
    pairs["rank"] = pairs.groupby("row").cumcount()
    best = pairs[pairs["rank"] == 0].set_index("row")
    second = pairs[pairs["rank"] == 1].set_index("row")["score"].reindex(best.index).fillna(0)
    top2 = pairs[pairs["rank"] < 2]
    text = (top2["cid"].astype(str) + " (" + top2["score"].round(0).astype(int).astype(str)
            + ")").groupby(top2["row"]).agg(", ".join)
    out.loc[text.index.to_numpy(), "payer_candidates"] = text.to_numpy()
    shared_best = best["cname"].map(count).to_numpy() > 1
    ok = ((best["score"] >= rules.name_score_min)
          & (best["score"] - second >= rules.name_margin_min)).to_numpy() & ~shared_best
    good = best[ok]
    out.loc[good.index.to_numpy(), "payer_id"] = good["cid"].to_numpy()
    out.loc[good.index.to_numpy(), "payer_method"] = "name_fuzzy"
    out.loc[good.index.to_numpy(), "payer_score"] = (
        PAYER_METHODS["name_fuzzy"] * good["score"].to_numpy() / 100.0)
    weak = best.index.to_numpy()[~ok & (best["score"].to_numpy() >= rules.name_score_min)]
    out.loc[weak, "payer_issue"] = "ambiguous_name"
    return len(pairs)
