"""Spark DataFrames in and out of creditkit's pandas functions, partitioned by customer.

The ledger functions are per-customer pure: a customer's result depends on
that customer's rows alone. So every Spark function of creditkit does the
same three things:

1. **Check** the Spark schema against the canonical table
   (:data:`creditkit.schema.TABLES`) on the driver, before any job runs:
   a missing column or a wrong type is a :class:`~creditkit.exceptions.SchemaError`
   naming the column and the cast that fixes it.
2. **Partition by customer**: each row gets ``pmod(xxhash64(customer_id), n)``
   and ``groupBy(...).applyInPandas`` (or ``cogroup`` for two tables) hands
   each of the ``n`` slices, with all the rows of its customers, to the
   *same* pandas function a single machine calls. Arrow carries the rows.
3. **Combine**: per-customer rows are a union (a Spark DataFrame, lazy);
   portfolio aggregates come back to the driver and are added as Python
   integers (exact at any size, never through a float).

Errors a pandas function raises on an executor surface on the driver as a
``PythonException``; :func:`to_pandas` (and every creditkit function that
collects) turns them back into the creditkit error the executor raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from creditkit import exceptions
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import TABLES
from creditkit.spark.session import quiet, require_spark

__all__ = ["PARTITION_COLUMN", "check_table", "customer_partitions", "from_pandas", "spark_schema",
           "spark_types", "to_pandas"]

#: The column holding a row's customer partition (dropped before the pandas call).
PARTITION_COLUMN = "__creditkit_partition"

_ERROR_RE = re.compile(r"creditkit\.\w+(?:\.\w+)*\.(\w+Error): (.+)")
_INTEGRAL = ("tinyint", "smallint", "int", "bigint")


def _types() -> Any:
    require_spark()
    from pyspark.sql import types as T

    return T


def _is_spark_frame(obj: object) -> bool:
    try:
        from pyspark.sql import DataFrame
    except ImportError:
        return False
    return isinstance(obj, DataFrame)


def check_table(sdf: Any, table: str, *, where: str | None = None,
                need: Sequence[str] | None = None) -> dict[str, str]:
    """Check a Spark DataFrame against a canonical table; its column types by name.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
    table : str
        A table of :data:`creditkit.schema.TABLES` (``"bills"``, ``"payments"``, …).
    where : str, optional
        The name used in messages (default ``table``).
    need : sequence of str, optional
        Columns required (default: the table's required columns).

    Returns
    -------
    dict
        Column name → Spark type (``simpleString``).

    Raises
    ------
    ParameterError
        ``sdf`` is not a Spark DataFrame.
    SchemaError
        A required column is missing, or a canonical column has the wrong
        type: ids and codes must be strings, dates ``date`` (or a timestamp
        at midnight), money integer minor units (``bigint``).

    Examples
    --------
    >>> try:
    ...     check_table("bills.csv", "bills")
    ... except ParameterError as e:
    ...     print(str(e)[:40])
    bills must be a Spark DataFrame; got str
    """
    where = where or table
    types = spark_types(sdf, where)
    spec = TABLES[table]
    missing = [c for c in (need if need is not None else spec.required) if c not in types]
    if missing:
        raise SchemaError(
            f"missing column(s) {missing} in {where}; got {sorted(types)}; rename yours with "
            "withColumnRenamed to the canonical names (creditkit.schema.TABLES)")
    for col in spec.columns:
        got = types.get(col.name)
        if got is None:
            continue
        if col.dtype == "money" and got not in _INTEGRAL:
            raise SchemaError(
                f"{where}.{col.name} is {got}; money is integer minor units (bigint): convert "
                "the amounts exactly (creditkit.money.parse, or Decimal * 100 then "
                f"F.col('{col.name}').cast('bigint'))")
        if col.dtype == "date" and got not in ("date", "timestamp", "timestamp_ntz"):
            raise SchemaError(
                f"{where}.{col.name} is {got}; dates must be date (or timestamp) columns: "
                f"F.to_date(F.col('{col.name}'), 'yyyy-MM-dd')")
        if col.dtype == "string" and got != "string":
            raise SchemaError(
                f"{where}.{col.name} is {got}; ids and codes are strings: "
                f"F.col('{col.name}').cast('string')")
    return types


def spark_types(sdf: Any, where: str) -> dict[str, str]:
    """Column name → Spark type (``simpleString``) of a Spark DataFrame.

    Raises
    ------
    ParameterError
        ``sdf`` is not a Spark DataFrame.

    Examples
    --------
    >>> spark_types(spark.createDataFrame([(1,)], "n bigint"), "t")  # doctest: +SKIP
    {'n': 'bigint'}
    """
    if not _is_spark_frame(sdf):
        raise ParameterError(
            f"{where} must be a Spark DataFrame; got {type(sdf).__name__}; read it with "
            "spark.read (e.g. spark.read.parquet(path)) or spark.createDataFrame(pandas_frame)")
    return {f.name: f.dataType.simpleString() for f in sdf.schema.fields}


def customer_partitions(spark: Any, partitions: int | None) -> int:
    """The number of customer slices: ``partitions`` or ``spark.sql.shuffle.partitions``.

    Raises
    ------
    ParameterError
        ``partitions`` not a positive int.

    Examples
    --------
    >>> customer_partitions(None, 8)
    8
    """
    if partitions is None:
        return int(spark.conf.get("spark.sql.shuffle.partitions"))
    if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
        raise ParameterError(f"partitions must be a positive int or None; got {partitions!r}")
    return partitions


def spark_schema(frame: pd.DataFrame) -> Any:
    """The Spark schema of a pandas result: int → bigint, float → double, bool → boolean,
    datetime → date, everything else (ids, categories, text) → string.

    Examples
    --------
    >>> s = spark_schema(pd.DataFrame({"a": [1], "b": ["x"]}))  # doctest: +SKIP
    >>> s.simpleString()  # doctest: +SKIP
    'struct<a:bigint,b:string>'
    """
    T = _types()
    fields = []
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            t = T.BooleanType()
        elif pd.api.types.is_integer_dtype(dtype):
            t = T.LongType()
        elif pd.api.types.is_float_dtype(dtype):
            t = T.DoubleType()
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            t = T.DateType()
        else:
            t = T.StringType()
        fields.append(T.StructField(str(name), t, True))
    return T.StructType(fields)


def empty_frame(types: dict[str, str]) -> pd.DataFrame:
    """An empty pandas frame with the dtypes a Spark schema arrives with."""
    dt = {"date": "datetime64[ns]", "timestamp": "datetime64[ns]",
          "timestamp_ntz": "datetime64[ns]", "double": "float64", "float": "float64",
          "boolean": "bool", **dict.fromkeys(_INTEGRAL, "int64")}
    return pd.DataFrame({c: pd.Series(dtype=dt.get(t, object)) for c, t in types.items()})


def from_arrow(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """A slice as creditkit expects it: no partition column, dates as datetime64, integer
    columns with nulls as ``Int64`` (Arrow hands them over as floats)."""
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith("__creditkit")])
    for col in frame.columns:
        t = types.get(col)
        if t in ("date", "timestamp", "timestamp_ntz"):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
        elif t in _INTEGRAL and frame[col].dtype.kind == "f":
            frame[col] = frame[col].astype("Int64")
    return frame


def to_arrow(frame: pd.DataFrame, schema: Any) -> pd.DataFrame:
    """A pandas result in the column order and types of ``schema``."""
    T = _types()
    out = {}
    for field in schema.fields:
        s = frame[field.name]
        if isinstance(field.dataType, T.StringType):
            s = s.astype(object).where(s.notna(), None)
        elif isinstance(field.dataType, T.DateType):
            s = pd.to_datetime(s).astype("datetime64[ns]")
        out[field.name] = s.reset_index(drop=True)
    return pd.DataFrame(out, columns=[f.name for f in schema.fields])


def keyed(sdf: Any, key: Any, n: int) -> Any:
    """``sdf`` with its customer slice (``pmod(xxhash64(key), n)``) in :data:`PARTITION_COLUMN`."""
    from pyspark.sql import functions as F

    return sdf.withColumn(PARTITION_COLUMN, F.pmod(F.xxhash64(key), F.lit(n)))


def apply_by_customer(func: Callable[..., pd.DataFrame], frames: Sequence[Any],
                      keys: Sequence[Any], *, n: int, schema: Any) -> Any:
    """Run ``func`` on each customer slice of one or two Spark frames; the union of its results.

    ``func`` takes the slices as pandas frames (canonical dtypes) and returns
    a pandas frame with the columns of ``schema``.
    """
    types = [{f.name: f.dataType.simpleString() for f in s.schema.fields} for s in frames]

    def ready(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
        frames = [from_arrow(p if len(p.columns) else empty_frame(t), t)
                  for p, t in zip(parts, types, strict=True)]
        return to_arrow(func(*frames), schema)

    def one(part: pd.DataFrame) -> pd.DataFrame:
        return ready([part])

    def two(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
        return ready([left, right])

    slices = [keyed(s, k, n) for s, k in zip(frames, keys, strict=True)]
    with quiet():
        if len(slices) == 1:
            return slices[0].groupBy(PARTITION_COLUMN).applyInPandas(one, schema)
        if len(slices) == 2:
            return (slices[0].groupBy(PARTITION_COLUMN)
                    .cogroup(slices[1].groupBy(PARTITION_COLUMN)).applyInPandas(two, schema))
    raise ParameterError("apply_by_customer takes one or two Spark frames")


_TABLE = "__creditkit_table"


def _unpack(wide: pd.DataFrame, name: str, types: dict[str, str]) -> pd.DataFrame:
    """One table's rows of a packed slice, in the dtypes its own Spark frame would give."""
    rows = wide[wide[_TABLE] == name]
    out = {}
    for col, t in types.items():
        s = rows[f"{name}__{col}"]
        if t in _INTEGRAL:  # sent as (value or 0, is-null): exact, no float on the way
            null = rows[f"{name}__{col}__null"].to_numpy(dtype=bool)
            s = s.astype("int64")
            s = s.astype("Int64").mask(null) if null.any() else s
        elif t == "boolean" and s.notna().all():
            s = s.astype(bool)
        out[col] = s.reset_index(drop=True)
    return from_arrow(pd.DataFrame(out, columns=list(types)), types)


def apply_by_customer_tables(func: Callable[[dict[str, pd.DataFrame]], pd.DataFrame],
                             frames: dict[str, Any], keys: dict[str, Any], *, n: int,
                             schema: Any) -> Any:
    """Run ``func`` on each customer slice of several Spark frames; the union of its results.

    :func:`apply_by_customer` for any number of tables: each table's columns
    are prefixed with its name, the tables are stacked into one frame with the
    customer slice of every row, and each slice is split back into its tables
    (canonical dtypes, integers exact) before ``func(tables)`` runs on it.
    """
    from pyspark.sql import functions as F

    types = {name: {f.name: f.dataType.simpleString() for f in s.schema.fields}
             for name, s in frames.items()}
    # every row carries every table's columns: integers as (value or 0, is-null), so that no
    # integer column holds a null and Arrow never hands one over as a float
    wide = []
    for name, t in types.items():
        for col, kind in t.items():
            if kind in _INTEGRAL:
                wide += [(name, col, f"{name}__{col}", "bigint"),
                         (name, col, f"{name}__{col}__null", "null")]
            else:
                wide.append((name, col, f"{name}__{col}", kind))
    stacked = None
    for name, sdf in frames.items():
        cols = [F.lit(name).alias(_TABLE)]
        for owner, col, alias, kind in wide:
            if kind == "bigint":
                value = F.coalesce(F.col(col).cast("bigint"), F.lit(0)) if owner == name \
                    else F.lit(0).cast("bigint")
            elif kind == "null":
                value = F.col(col).isNull() if owner == name else F.lit(True)
            else:
                value = F.col(col) if owner == name else F.lit(None).cast(kind)
            cols.append(value.alias(alias))
        part = keyed(sdf, keys[name], n).select(PARTITION_COLUMN, *cols)
        stacked = part if stacked is None else stacked.unionByName(part)

    def one(wide: pd.DataFrame) -> pd.DataFrame:
        return to_arrow(func({name: _unpack(wide, name, t) for name, t in types.items()}),
                        schema)

    with quiet():
        return stacked.groupBy(PARTITION_COLUMN).applyInPandas(one, schema)


def check_unique(sdf: Any, column: str, where: str) -> None:
    """Refuse repeated ids across the whole table (a slice sees only its customers' rows).

    One small job: the ids seen more than once, at most five of them.
    """
    from pyspark.sql import functions as F

    with quiet():
        twice = (sdf.where(F.col(column).isNotNull()).groupBy(column).count()
                 .where(F.col("count") > 1).limit(5).collect())
    if twice:
        raise SchemaError(f"{where}.{column} must be unique; repeated: "
                          f"{sorted(str(r[column]) for r in twice)}; keep one row per id "
                          "(creditkit.cleaning.dedupe) before running creditkit on Spark")


@contextmanager
def executor_errors():
    """Re-raise a creditkit error raised on an executor as that error on the driver."""
    try:
        yield
    except Exception as e:
        if type(e).__name__ not in ("PythonException", "Py4JJavaError", "SparkRuntimeException"):
            raise
        found = _ERROR_RE.search(str(e))
        cls = getattr(exceptions, found.group(1), None) if found else None
        if cls is None or not issubclass(cls, exceptions.CreditkitError):
            raise
        raise cls(f"{found.group(2).strip()} (raised on a Spark executor)") from None


def from_pandas(spark: Any, frame: pd.DataFrame) -> Any:
    """A pandas frame as a Spark DataFrame in creditkit's types (dates as ``date``).

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    frame : DataFrame
        A canonical table (or any frame of ids, dates, integers and floats).

    Returns
    -------
    pyspark.sql.DataFrame
        Integers as ``bigint``, datetimes as ``date`` (creditkit's dates are
        days), text as ``string``.

    Raises
    ------
    ParameterError
        ``frame`` is not a pandas DataFrame.

    Examples
    --------
    >>> sdf = from_pandas(spark, bills)  # doctest: +SKIP
    >>> sdf.schema["due_date"].dataType.simpleString()  # doctest: +SKIP
    'date'
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"from_pandas takes a pandas DataFrame; got {type(frame).__name__}")
    require_spark()
    schema = spark_schema(frame)
    with quiet():
        return spark.createDataFrame(to_arrow(frame, schema), schema=schema)


def to_pandas(sdf: Any) -> pd.DataFrame:
    """Collect a Spark DataFrame of creditkit results to pandas (dates as datetime64).

    A creditkit error raised while computing it on an executor is raised
    here as the same creditkit error, not as a Java stack trace.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame

    Returns
    -------
    DataFrame

    Raises
    ------
    ParameterError
        ``sdf`` is not a Spark DataFrame.
    CreditkitError
        The error an executor raised.

    Examples
    --------
    >>> to_pandas([1, 2])
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: to_pandas takes a Spark DataFrame; got list
    """
    if not _is_spark_frame(sdf):
        raise ParameterError(f"to_pandas takes a Spark DataFrame; got {type(sdf).__name__}")
    types = {f.name: f.dataType.simpleString() for f in sdf.schema.fields}
    with quiet(), executor_errors():
        frame = sdf.toPandas()
    return from_arrow(frame, types)
