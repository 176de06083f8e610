"""examples/spark_local.py runs: a lake of Parquet tables in, creditkit results out."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "spark_local.py"


def test_the_local_example_reads_a_lake_and_writes_results(spark, tmp_path):
    spec = importlib.util.spec_from_file_location("spark_local", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    lake = str(tmp_path / "lake")
    example.write_demo_lake(spark, lake, 150)
    tables = example.run(spark, lake, str(tmp_path / "out"))
    assert tables["portfolio_aging"]["outstanding_minor"].sum() > 0
    assert len(tables["roll_rates"]) > 0
    assert tables["summary"]["n_payments"].sum() > 0
    points = spark.read.parquet(str(tmp_path / "out" / "points"))
    assert points.count() == 150
    aged = spark.read.parquet(str(tmp_path / "out" / "customer_aging"))
    assert aged.schema["outstanding_minor"].dataType.simpleString() == "bigint"
