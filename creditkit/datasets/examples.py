"""A portfolio small enough to read: the tables behind the documentation's examples.

Examples
--------
>>> tables = example_portfolio()
>>> sorted(tables), len(tables["payments"])
(['bills', 'customers', 'payments'], 2)
"""

from __future__ import annotations

import pandas as pd

__all__ = ["example_portfolio"]


def example_portfolio() -> dict[str, pd.DataFrame]:
    """Two customers, two bills, one payment and one credit note, in the canonical schema.

    Customer ``C1`` (a consumer in 华东) is billed 100.00 on 2025-01-05 and pays
    40.00 by Alipay on 2025-02-03; customer ``C2`` (a business in 华北) is billed
    500.00 on 2025-02-01 and given a 50.00 credit note on 2025-03-10. A new
    frame is built on each call, so examples may change it freely.

    Returns
    -------
    dict of DataFrame
        ``customers``, ``bills`` and ``payments``.

    Examples
    --------
    >>> example_portfolio()["payments"][["payment_id", "kind", "amount_minor"]].values.tolist()
    [['P1', 'payment', 4000], ['P2', 'credit_note', 5000]]
    """
    return {
        "customers": pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["甲", "乙"],
                                   "kind": ["consumer", "business"], "region": ["华东", "华北"]}),
        "bills": pd.DataFrame({
            "bill_id": ["B1", "B2"], "invoice_id": ["I1", "I2"], "customer_id": ["C1", "C2"],
            "issue_date": pd.to_datetime(["2025-01-05", "2025-02-01"]),
            "due_date": pd.to_datetime(["2025-02-05", "2025-03-01"]),
            "amount_minor": [10000, 50000], "currency": ["CNY", "CNY"]}),
        "payments": pd.DataFrame({
            "payment_id": ["P1", "P2"], "customer_id": ["C1", "C2"],
            "paid_date": pd.to_datetime(["2025-02-03", "2025-03-10"]),
            "amount_minor": [4000, 5000], "currency": ["CNY", "CNY"],
            "kind": ["payment", "credit_note"], "channel": ["alipay", None]}),
    }
