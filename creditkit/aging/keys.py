"""String keys (customer, currency, bill and invoice ids) to integer codes, with Arrow.

Hashing ten million ids through Python objects costs seconds; Arrow's
``unique`` / ``index_in`` kernels do it in C++ on the column's own buffers
(pandas 3 keeps ``str`` columns in Arrow), so the ledger only ever handles
int64 codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def text(s: pd.Series, rows: np.ndarray | None = None) -> pa.ChunkedArray:
    """The values of a text column (rows ``rows`` only) as an Arrow large_string array."""
    try:
        arr = pa.array(s, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array(s.astype("str"), from_pandas=True)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        if pa.types.is_null(arr.type):
            arr = arr.cast(pa.large_string())
        else:
            arr = pa.array(s.astype("str"), from_pandas=True)
    arr = arr.cast(pa.large_string())
    if not isinstance(arr, pa.ChunkedArray):
        arr = pa.chunked_array([arr])
    if rows is not None and not (len(rows) == len(s) and _is_identity(rows)):
        arr = arr.take(pa.array(rows))
    return arr


def _is_identity(rows: np.ndarray) -> bool:
    return bool(len(rows) == 0 or (rows[0] == 0 and (np.diff(rows) == 1).all()))


def codes_sorted(*arrays: pa.ChunkedArray) -> tuple[list[np.ndarray], pd.Index]:
    """Codes of the values of ``arrays`` in one sorted dictionary; missing values last.

    Returns one int64 code array per input and the uniques (an Index, with a
    missing value at the end when any value is missing).
    """
    allv = pa.chunked_array([c for a in arrays for c in a.chunks], type=pa.large_string())
    uniq = pc.unique(allv).drop_null()
    uniq = uniq.take(pc.sort_indices(uniq))
    n = len(uniq)
    has_null = allv.null_count > 0
    out = []
    for a in arrays:
        idx = pc.fill_null(pc.index_in(a, value_set=uniq), n)
        out.append(np.asarray(idx.to_numpy(), dtype=np.int64) if len(a) else
                   np.zeros(0, np.int64))
    values = pd.Series(uniq.to_pylist() if n < 1_000 else uniq.to_pandas(), dtype="str")
    index = pd.Index(values)
    if has_null:
        index = index.append(pd.Index(pd.Series([None], dtype="str")))
    return out, index


def lookup(needles: pa.ChunkedArray, haystack: pa.ChunkedArray) -> np.ndarray:
    """Position of each needle in ``haystack`` (−1 when absent or missing)."""
    idx = pc.fill_null(pc.index_in(needles, value_set=haystack), -1)
    return np.asarray(idx.to_numpy(), dtype=np.int64) if len(needles) else np.zeros(0, np.int64)


def duplicated_values(arr: pa.ChunkedArray, limit: int = 5) -> list[str]:
    """Up to ``limit`` values that occur more than once (empty when all are unique)."""
    if pc.count_distinct(arr, mode="all").as_py() == len(arr):
        return []
    counts = pc.value_counts(arr)
    vals = counts.field("values")
    many = pc.filter(vals, pc.greater(counts.field("counts"), 1))
    return many.slice(0, limit).to_pylist()
