"""2D bins and segment cards in live PostgreSQL and Spark SQL: the same points as pandas."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creditkit.scoring import Scorecard
from creditkit.scoring.segments import SegmentedScorecard

TYPES = {"a": "double precision", "b": "double precision", "k": "text", "product": "text"}


def _models():
    rng = np.random.default_rng(9)
    n = 12_000
    X = pd.DataFrame({"a": rng.normal(size=n).round(3), "b": rng.normal(size=n).round(3),
                      "k": rng.choice(["u", "it's", "w"], n),
                      "product": rng.choice(["bnpl", "b2b"], n)})
    sign = np.where(X["product"] == "b2b", -1.0, 1.0)
    eta = -2.6 + 0.6 * sign * X["a"] + 0.3 * X["b"] + 1.0 * ((X["a"] > 0.4) & (X["b"] > 0.4))
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        pair = Scorecard(interactions=[("a", "b")]).fit(X, y)
        seg = SegmentedScorecard("product", card_params={"interactions": [("a", "b")]}).fit(X, y)
    frame = X.head(200).reset_index(drop=True)
    frame.loc[:3, "b"] = np.nan
    frame.loc[4:6, "k"] = "never seen"
    frame.loc[7:9, "product"] = ["new", None, "it's"]
    return frame, pair, seg


def _literal(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "NULL"
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return repr(float(v))


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or shutil.which("su") is None or os.geteuid() != 0:
        return None
    return Path(found[-1]).parent


@pytest.mark.slow
def test_postgres_gives_the_same_points_for_pairs_and_segments():
    pg = _pg_bin()
    if pg is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    frame, pair, seg = _models()
    tmp = tempfile.mkdtemp(prefix="ck_pg_")
    shutil.chown(tmp, "postgres")
    port = str(55000 + os.getpid() % 1000)

    def as_pg(cmd: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(["su", "postgres", "-c", cmd], capture_output=True, text=True,
                              timeout=120, check=True, **kw)

    try:
        try:
            as_pg(f"{pg}/initdb -D {tmp}/data -A trust -U postgres >/dev/null")
            as_pg(f"{pg}/pg_ctl -D {tmp}/data -w -o \"-k {tmp} -p {port} "
                  f"-c listen_addresses=''\" -l {tmp}/log start >/dev/null")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"could not start a throw-away PostgreSQL server: {exc}")
        rows = ", ".join("(" + ", ".join([str(i), *map(_literal, r)]) + ")"
                         for i, r in enumerate(frame.itertuples(index=False)))
        cols = ", ".join(f'"{c}" {TYPES[c]}' for c in frame.columns)
        for model in (pair, seg):
            script = (f"CREATE TEMP TABLE applicants (id int, {cols});\n"
                      f"INSERT INTO applicants VALUES {rows};\n"
                      + model.to_sql("postgres", id_col="id") + ";\n")
            out = as_pg(f"{pg}/psql -h {tmp} -p {port} -U postgres -At -F, -v ON_ERROR_STOP=1",
                        input=script).stdout
            got = [ln.split(",") for ln in out.splitlines() if "," in ln]
            assert [int(i) for i, _ in got] == list(range(len(frame)))
            assert np.array_equal(np.array([float(p) for _, p in got]),
                                  model.predict_points(frame))
    finally:
        subprocess.run(["su", "postgres", "-c", f"{pg}/pg_ctl -D {tmp}/data -m immediate stop"],
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.spark
def test_spark_sql_gives_the_same_points_for_pairs_and_segments(spark):
    from creditkit.spark import score_spark

    frame, pair, seg = _models()
    rows = [(i, *(None if pd.isna(v) else v for v in r))
            for i, r in enumerate(frame.itertuples(index=False))]
    schema = "id int, a double, b double, k string, product string"
    spark.createDataFrame(rows, schema=schema).createOrReplaceTempView("applicants")
    for model in (pair, seg):
        got = sorted((r["id"], r["points"]) for r in spark.sql(model.to_sql("spark", id_col="id"))
                     .collect())
        assert np.array_equal(np.array([p for _, p in got]), model.predict_points(frame))
        # and through score_spark, which checks the pair's two columns and the segment's
        via = score_spark(model, spark.table("applicants"), id_col="id").toPandas()
        assert np.array_equal(via.sort_values("id")["points"].to_numpy(),
                              model.predict_points(frame))
