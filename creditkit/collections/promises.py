"""Promises to pay (承诺还款): kept, broken or still pending at a date.

One rule, used by the dunning run (:func:`creditkit.collections.dunning_run`)
and by the customer features every tier and alert rule reads
(``broken_promises`` in :func:`creditkit.segmentation.customer_features`):

- a promise made after ``as_of`` does not exist yet;
- while ``as_of`` is on or before ``pay_by`` the promise is ``pending``
  (the customer still has time, even when already paid);
- after ``pay_by`` it is ``kept`` when the customer's cash (payments of kind
  ``payment``, same currency) dated from ``promise_date`` to ``pay_by``, both
  included, reaches the amount promised, and ``broken`` otherwise.

Examples
--------
>>> import pandas as pd
>>> promises = pd.DataFrame({"customer_id": ["A", "B"], "promise_date": ["2025-03-01"] * 2,
...     "pay_by": ["2025-03-10"] * 2, "amount_minor": [5000, 5000]})
>>> payments = pd.DataFrame({"customer_id": ["A"], "currency": ["CNY"],
...     "paid_date": pd.to_datetime(["2025-03-05"]), "amount_minor": [5000]})
>>> promise_outcomes(promises, payments, as_of="2025-03-31")["promise"].tolist()
['kept', 'broken']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of, check_table
from creditkit.collections.dunning_inputs import check_promises

__all__ = ["PROMISE_STATES", "promise_outcomes"]

#: What a promise can be at a date.
PROMISE_STATES: tuple[str, ...] = ("pending", "kept", "broken")

_KEY = ["customer_id", "currency"]


def promise_cash(payments: pd.DataFrame) -> pd.DataFrame:
    """Cash received by identified customers: customer, currency, day, amount."""
    check_table(payments, ("customer_id", "currency", "paid_date", "amount_minor"),
                name="payments", fix="a promise is judged on the cash paid")
    pay = payments
    if "kind" in pay.columns:
        pay = pay[pay["kind"].fillna("payment") == "payment"]
    pay = pay[pay["customer_id"].notna()]
    return pd.DataFrame({"customer_id": pay["customer_id"].astype(str),
                         "currency": pay["currency"].astype(str).str.upper(),
                         "paid_date": pd.to_datetime(pay["paid_date"]),
                         "paid_minor": pay["amount_minor"].astype("int64")})


def promise_outcomes(promises: pd.DataFrame, payments: pd.DataFrame, *,
                     as_of: object) -> pd.DataFrame:
    """Each promise made by ``as_of``: the cash paid towards it and whether it was kept.

    Parameters
    ----------
    promises : DataFrame
        ``customer_id``, ``promise_date``, ``pay_by``, ``amount_minor`` and
        ``currency`` (optional when the payments hold one currency); see
        :func:`creditkit.collections.check_promises`.
    payments : DataFrame
        Canonical payments; cash (kind ``payment``) of identified customers
        counts, dated up to ``as_of``.
    as_of : date-like
        The date the promises are judged at; later payments have not happened.

    Returns
    -------
    DataFrame
        The promises dated on or before ``as_of``, in input order, with
        ``customer_id``, ``currency``, ``promise_date``, ``pay_by``,
        ``amount_minor``, ``paid_minor`` (cash from ``promise_date`` to
        ``min(pay_by, as_of)``) and ``promise`` (one of
        :data:`PROMISE_STATES`), and the input's index.

    Raises
    ------
    SchemaError
        A required column is missing.
    ParameterError
        A bad ``as_of``, date or amount; ``pay_by`` before ``promise_date``.

    Examples
    --------
    >>> p = pd.DataFrame({"customer_id": ["A"], "currency": ["CNY"],
    ...     "promise_date": ["2025-03-01"], "pay_by": ["2025-03-10"], "amount_minor": [5000]})
    >>> pay = pd.DataFrame({"customer_id": ["A"], "currency": ["CNY"],
    ...     "paid_date": pd.to_datetime(["2025-03-05"]), "amount_minor": [3000]})
    >>> promise_outcomes(p, pay, as_of="2025-03-08")[["paid_minor", "promise"]].values.tolist()
    [[3000, 'pending']]
    >>> promise_outcomes(p, pay, as_of="2025-03-11")[["paid_minor", "promise"]].values.tolist()
    [[3000, 'broken']]
    """
    day = check_as_of(as_of)
    cash = promise_cash(payments)
    if not {"currency"} <= set(promises.columns if isinstance(promises, pd.DataFrame) else []):
        currencies = sorted(cash["currency"].unique())
    else:
        currencies = []
    typed = check_promises(promises, currencies)
    if isinstance(promises, pd.DataFrame):
        typed.index = promises.index
    return judge_promises(typed, cash, day)


def judge_promises(p: pd.DataFrame, cash: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The rule on typed promises (``check_promises``) and cash (:func:`promise_cash`).

    For callers that have already checked their inputs (the dunning run).
    """
    p = p[p["promise_date"] <= as_of]
    cols = [*_KEY, "promise_date", "pay_by", "amount_minor", "paid_minor", "promise"]
    if p.empty:
        return p.assign(paid_minor=pd.Series([], dtype="int64"),
                        promise=pd.Series([], dtype=object))[cols]
    m = p[[*_KEY, "promise_date", "pay_by"]].reset_index(drop=True).reset_index().merge(
        cash, on=_KEY, how="left")
    inside = ((m["paid_date"] >= m["promise_date"]) & (m["paid_date"] <= m["pay_by"])
              & (m["paid_date"] <= as_of))
    paid = m["paid_minor"].where(inside, 0).fillna(0).astype("int64").groupby(m["index"]).sum()
    out = p.copy()
    out["paid_minor"] = paid.reindex(np.arange(len(p))).fillna(0).astype("int64").to_numpy()
    kept = out["paid_minor"].to_numpy() >= out["amount_minor"].to_numpy()
    out["promise"] = np.where(as_of <= out["pay_by"], "pending",
                              np.where(kept, "kept", "broken")).astype(object)
    return out[cols]
