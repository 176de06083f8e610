"""The drill-down widget, headless: callbacks set traits."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import bill_aging
from creditkit.aging.widgets import aging_drilldown
from creditkit.exceptions import ParameterError


@pytest.fixture
def aged(bills_of, payments_of):
    bills = bills_of([
        {"bill_id": "A1", "customer_id": "A", "due_date": "2025-05-15", "amount_minor": 100},
        {"bill_id": "A2", "customer_id": "A", "due_date": "2025-07-15", "amount_minor": 50},
        {"bill_id": "B1", "customer_id": "B", "due_date": "2025-05-20", "amount_minor": 900},
        {"bill_id": "C1", "customer_id": "C", "due_date": "2025-06-20", "amount_minor": 30}])
    return bill_aging(bills, payments_of([]), as_of="2025-06-30")


def test_bucket_then_customer_then_bills(aged):
    names = pd.DataFrame({"customer_id": ["A", "B"], "name": ["张*", "<b>李*</b>"]})
    box = aging_drilldown(aged, customers=names, lang="en")
    assert [v for _, v in box.bucket.options] == ["current", "1-30", "31-60"]
    box.bucket.value = "31-60"
    assert [v for _, v in box.customer.options] == ["B", "A"]  # largest first
    assert "B1" in box.bills.value and "&lt;b&gt;" in box.bills.value
    box.customer.value = "A"
    assert "A1" in box.bills.value and "A2" in box.bills.value and "B1" not in box.bills.value
    box.bucket.value = "1-30"
    assert [v for _, v in box.customer.options] == ["C"]


def test_raises(aged):
    with pytest.raises(ParameterError, match="needs column"):
        aging_drilldown(aged.drop(columns="bucket"))
    with pytest.raises(ParameterError, match="lang must be one of"):
        aging_drilldown(aged, lang="fr")
    with pytest.raises(ParameterError, match="max_rows must be a positive int"):
        aging_drilldown(aged, max_rows=0)
    with pytest.raises(ParameterError, match="needs a DataFrame"):
        aging_drilldown([])
