"""What a Spark user gets wrong is a CreditkitError that names the fix."""

from __future__ import annotations

import builtins
import sys

import pandas as pd
import pytest

from creditkit import spark as cks
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.spark import SparkUnavailableError

pytestmark = pytest.mark.spark

D = pd.to_datetime


def small_ledger() -> tuple[pd.DataFrame, pd.DataFrame]:
    bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["I1", "I2"],
                          "customer_id": ["A", "B"], "issue_date": D(["2025-01-01"] * 2),
                          "due_date": D(["2025-01-31"] * 2), "amount_minor": [1000, 500],
                          "currency": ["CNY", "CNY"]})
    pays = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["A", None],
                         "paid_date": D(["2025-02-01", "2025-02-03"]),
                         "amount_minor": [300, 200], "currency": ["CNY", "CNY"],
                         "bill_id": [None, "B2"]})
    return bills, pays


def test_a_payment_without_customer_goes_to_its_bills_customer(spark):
    bills, pays = small_ledger()
    got = cks.to_pandas(cks.customer_aging(cks.from_pandas(spark, bills),
                                           cks.from_pandas(spark, pays), as_of="2025-03-31",
                                           partitions=3))
    assert got.set_index("customer_id")["outstanding_minor"].to_dict() == {"A": 700, "B": 300}


def test_missing_columns_and_wrong_types(spark):
    bills, pays = small_ledger()
    b, p = cks.from_pandas(spark, bills), cks.from_pandas(spark, pays)
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['due_date'\] in bills.*"
                                          "withColumnRenamed"):
        cks.customer_aging(b.drop("due_date"), p, as_of="2025-03-31")
    with pytest.raises(SchemaError, match=r"bills.amount_minor is double; money is integer "
                                          r"minor units \(bigint\)"):
        cks.customer_aging(b.withColumn("amount_minor", b["amount_minor"].cast("double")), p,
                           as_of="2025-03-31")
    with pytest.raises(SchemaError, match=r"payments.paid_date is string.*F.to_date"):
        cks.allocate_payments(b, p.withColumn("paid_date", p["paid_date"].cast("string")),
                              as_of="2025-03-31")
    with pytest.raises(SchemaError, match=r"bills.customer_id is bigint.*cast\('string'\)"):
        cks.bill_aging(b.withColumn("customer_id", b["amount_minor"]), p, as_of="2025-03-31")
    with pytest.raises(ParameterError, match="must be a Spark DataFrame; got DataFrame"):
        cks.customer_aging(bills, p, as_of="2025-03-31")
    with pytest.raises(ParameterError, match="as_of"):
        cks.customer_aging(b, p, as_of="not a date")
    with pytest.raises(ParameterError, match="partitions must be a positive int"):
        cks.customer_aging(b, p, as_of="2025-03-31", partitions=0)
    with pytest.raises(ParameterError, match="aging history"):
        cks.roll_rates(b)


def test_repeated_ids_across_customers_are_refused(spark):
    bills, pays = small_ledger()
    bills.loc[1, "bill_id"] = "B1"  # two customers' bills share an id
    with pytest.raises(SchemaError, match=r"bills.bill_id must be unique; repeated: \['B1'\]"):
        cks.customer_aging(cks.from_pandas(spark, bills), cks.from_pandas(spark, pays),
                           as_of="2025-03-31")


def test_an_executor_error_comes_back_as_the_creditkit_error(spark):
    bills, pays = small_ledger()
    pays.loc[0, "amount_minor"] = -5
    aged = cks.customer_aging(cks.from_pandas(spark, bills), cks.from_pandas(spark, pays),
                              as_of="2025-03-31")
    with pytest.raises(SchemaError, match=r"negative amount.*\(raised on a Spark executor\)"):
        cks.to_pandas(aged)
    with pytest.raises(ParameterError, match="takes a Spark DataFrame"):
        cks.to_pandas(pays)


def test_pyspark_missing_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError("No module named 'pyspark'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    for mod in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, mod)
    with pytest.raises(SparkUnavailableError, match=r"pip install 'creditkit\[spark\]'"):
        cks.require_spark()


def test_java_missing_names_the_package(monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SparkUnavailableError, match="apt-get install -y default-jre-headless"):
        cks.require_spark()
    with pytest.raises(SparkUnavailableError, match="JAVA_HOME"):
        cks.local_session(1)


def test_session_settings_are_checked():
    with pytest.raises(ParameterError, match="cores must be a positive int"):
        cks.local_session(0)
    with pytest.raises(ParameterError, match="shuffle_partitions"):
        cks.session_config(shuffle_partitions=0)
