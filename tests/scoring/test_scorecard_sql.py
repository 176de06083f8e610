"""to_sql: DuckDB gives exactly predict_points; Spark/PostgreSQL text parses (and runs in PG)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.scoring import Scorecard, to_sql
from creditkit.scoring.cardspec import spec_from_table


def _odd_card() -> Scorecard:
    """Identifiers and categories that need quoting and escaping, specials and missing."""
    bins = {
        'loan "amount"': spec_from_table(
            'loan "amount"', "numeric", edges=[0.1, 1000.5, 2e6], specials=[(-999, -998)],
            woe_regular=[0.31, -0.2, 0.05, -0.77], woe_specials=[-1.3], woe_missing=0.12),
        "home`type": spec_from_table(
            "home`type", "categorical", groups=[["it's", "back\\slash"], ["own"]],
            specials=[("N/A",)], woe_regular=[-0.4, 0.3], woe_specials=[-0.9],
            woe_missing=-0.2, woe_other=0.0),
    }
    return Scorecard.from_parts(bins, coef={'loan "amount"': -0.83, "home`type": -1.07},
                                intercept=-1.3)


def _odd_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "app_id": [f"a{i}" for i in range(9)],
        'loan "amount"': [-5.0, 0.1, 0.0999999, 1000.5, 3e6, -999, -998, np.nan, 2e6],
        "home`type": ["it's", "back\\slash", "own", None, "N/A", "boat", "own", "it's", "own"],
    })


def test_duckdb_gives_exactly_predict_points_on_odd_names():
    card = _odd_card()
    applicants = _odd_frame()
    con = duckdb.connect()
    con.register("applicants", applicants)
    out = con.sql(card.to_sql("duckdb", id_col="app_id")).df()
    assert out["app_id"].tolist() == applicants["app_id"].tolist()
    assert np.array_equal(out["points"].to_numpy(), card.predict_points(applicants))


def test_duckdb_gives_exactly_predict_points_on_a_fitted_card():
    import warnings

    rng = np.random.default_rng(7)
    n = 3000
    X = pd.DataFrame({
        "income": np.where(rng.random(n) < 0.05, np.nan, rng.lognormal(8, 0.5, n)),
        "age": rng.integers(18, 70, n).astype(float),
        "region": rng.choice(["north", "south", "east", "west"], n),
    })
    logit = -2 + 0.6 * (X["age"] < 25) - 0.0002 * X["income"].fillna(3000) + (X["region"] == "east")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = Scorecard().fit(X, y)
    con = duckdb.connect()
    con.register("apps", X)
    sql_points = con.sql(card.to_sql(table="apps")).df()["points"].to_numpy()
    assert np.array_equal(sql_points, card.predict_points(X))


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "postgres"])
def test_every_dialect_parses(dialect):
    sqlglot = pytest.importorskip("sqlglot")
    text = _odd_card().to_sql(dialect, table="risk.applicants", id_col="app_id")
    parsed = sqlglot.parse_one(text, read=dialect)
    cols = {c.name for c in parsed.find_all(sqlglot.exp.Column)}
    assert cols == {"app_id", 'loan "amount"', "home`type"}
    assert {t.name for t in parsed.find_all(sqlglot.exp.Table)} == {"applicants"}


def test_dialect_quoting_and_escapes():
    card = _odd_card()
    spark = card.to_sql("spark")
    assert "`home``type`" in spark and "'it\\'s'" in spark and "'back\\\\slash'" in spark
    pg = card.to_sql("postgres")
    assert '"loan ""amount"""' in pg and "'it''s'" in pg and "DOUBLE PRECISION" in pg


def test_numeric_literals_round_trip_exactly():
    from creditkit.scoring.sql import double_literal

    for v in (0.1, 1 / 3, -2.5e-300, 123456789.123456789, 5e-324):
        text = double_literal(v, "duckdb")
        assert duckdb.sql(f"SELECT {text} AS v").fetchall()[0][0] == v


def test_errors():
    card = _odd_card()
    with pytest.raises(ParameterError, match="dialect must be one of"):
        card.to_sql("oracle")
    with pytest.raises(ParameterError, match="not fitted"):
        to_sql(Scorecard(), "duckdb")
    from creditkit.scoring.sql import double_literal

    with pytest.raises(ParameterError, match="non-finite"):
        double_literal(float("inf"), "duckdb")


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or shutil.which("su") is None or os.geteuid() != 0:
        return None
    return Path(found[-1]).parent


@pytest.mark.slow
def test_postgres_server_gives_the_same_points():
    """Runs the PostgreSQL text in a throw-away server when one is installed (apt)."""
    pg = _pg_bin()
    if pg is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    card = _odd_card()
    frame = _odd_frame()
    tmp = tempfile.mkdtemp(prefix="ck_pg_")
    shutil.chown(tmp, "postgres")
    data, sock = f"{tmp}/data", tmp
    port = str(54000 + os.getpid() % 1000)

    def as_pg(cmd: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(["su", "postgres", "-c", cmd], capture_output=True, text=True,
                              timeout=60, check=True, **kw)

    try:
        try:
            as_pg(f"{pg}/initdb -D {data} -A trust -U postgres >/dev/null")
            as_pg(f"{pg}/pg_ctl -D {data} -w -o \"-k {sock} -p {port} -c listen_addresses=''\" "
                  f"-l {tmp}/log start >/dev/null")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"could not start a throw-away PostgreSQL server: {exc}")
        rows = []
        for _, r in frame.iterrows():  # a 9-row fixture, written as SQL literals
            amount = "NULL" if pd.isna(r.iloc[1]) else repr(float(r.iloc[1]))
            home = "NULL" if pd.isna(r.iloc[2]) else "'" + r.iloc[2].replace("'", "''") + "'"
            rows.append(f"('{r.iloc[0]}', {amount}, {home})")
        script = (
            'CREATE TABLE applicants (app_id text, "loan ""amount""" double precision, '
            '"home`type" text);\n'
            f"INSERT INTO applicants VALUES {', '.join(rows)};\n"
            + card.to_sql("postgres", id_col="app_id") + ";\n"
        )
        out = as_pg(f"{pg}/../bin/psql -h {sock} -p {port} -U postgres -At -F, -v ON_ERROR_STOP=1",
                    input=script).stdout
        lines = [ln for ln in out.splitlines() if ln.startswith("a")]
        got = np.array([float(ln.split(",")[1]) for ln in lines])
        assert np.array_equal(got, card.predict_points(frame))
    finally:
        subprocess.run(["su", "postgres", "-c", f"{pg}/pg_ctl -D {data} -m immediate stop"],
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.spark
def test_spark_sql_gives_the_same_points(spark):
    """Runs the Spark SQL text in the shared local Spark session (make spark)."""
    card = _odd_card()
    frame = _odd_frame()
    rows = [(r[0], None if pd.isna(r[1]) else float(r[1]), None if pd.isna(r[2]) else r[2])
            for r in frame.itertuples(index=False)]
    schema = 'app_id string, `loan "amount"` double, `home``type` string'
    spark.createDataFrame(rows, schema=schema).createOrReplaceTempView("applicants")
    got = spark.sql(card.to_sql("spark", id_col="app_id")).collect()
    assert [r["app_id"] for r in got] == frame["app_id"].tolist()
    assert np.array_equal(np.array([r["points"] for r in got]), card.predict_points(frame))
