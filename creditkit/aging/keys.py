"""String keys (customer, currency, bill and invoice ids) to integer codes, with Arrow.

Also :func:`sort_order`, the one sort of the ledger on those codes.

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

    One hash pass (``dictionary_encode`` shares its dictionary across chunks),
    then only the distinct values are sorted. Returns one int64 code array per
    input and the uniques (an Index, with a missing value at the end when any
    value is missing).
    """
    chunks = [c for a in arrays for c in a.chunks]
    allv = pa.chunked_array(chunks, type=pa.large_string())
    if len(allv) and allv.null_count == 0:
        first = allv[0]
        if pc.all(pc.equal(allv, first)).as_py():  # one value (a single currency): no hashing
            index = pd.Index(pd.Series([first.as_py()], dtype="str"))
            return [np.zeros(len(a), dtype=np.int64) for a in arrays], index
    enc = pc.dictionary_encode(allv)
    dic = (enc.chunks[0].dictionary if enc.num_chunks else pa.array([], pa.large_string()))
    n = len(dic)
    order = np.asarray(pc.sort_indices(dic).to_numpy(), dtype=np.int64)
    rank = np.empty(n + 1, dtype=np.int64)
    rank[order] = np.arange(n)
    rank[n] = n
    idx = [np.asarray(pc.fill_null(c.indices, n).to_numpy(), dtype=np.int64)
           for c in enc.chunks]
    flat = rank[np.concatenate(idx)] if idx else np.zeros(0, np.int64)
    out, at = [], 0
    for a in arrays:
        out.append(flat[at:at + len(a)])
        at += len(a)
    values = dic.take(pa.array(order))
    index = pd.Index(pd.Series(values.to_pylist() if n < 1_000 else values.to_pandas(),
                               dtype="str"))
    if allv.null_count > 0:
        index = index.append(pd.Index(pd.Series([None], dtype="str")))
    return out, index


def positions(keys_: pa.ChunkedArray, needles: pa.ChunkedArray) -> np.ndarray | None:
    """Row of each needle in ``keys_`` (−1 when absent), or None if a key repeats or is missing.

    One hash pass over keys and needles together: with unique keys first, the
    dictionary index of key row i is i, and a needle's index below
    ``len(keys_)`` is its row.
    """
    n = len(keys_)
    both = pa.chunked_array(list(keys_.chunks) + list(needles.chunks), type=pa.large_string())
    enc = pc.dictionary_encode(both)
    idx = np.concatenate([np.asarray(pc.fill_null(c.indices, -1).to_numpy(), dtype=np.int64)
                          for c in enc.chunks]) if enc.num_chunks else np.zeros(0, np.int64)
    if keys_.null_count or not np.array_equal(idx[:n], np.arange(n)):
        return None
    pos = idx[n:]
    pos[pos >= n] = -1
    return pos


def lookup(needles: pa.ChunkedArray, haystack: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Position of each needle in ``haystack`` (−1 when absent or missing)."""
    idx = pc.fill_null(pc.index_in(needles, value_set=haystack), -1)
    return np.asarray(idx.to_numpy(), dtype=np.int64) if len(needles) else np.zeros(0, np.int64)


def duplicated_values(arr: pa.ChunkedArray, limit: int = 5) -> list[str]:
    """Up to ``limit`` values that occur more than once (missing ones count as one value)."""
    counts = pc.value_counts(arr)
    vals = counts.field("values")
    many = pc.filter(vals, pc.greater(counts.field("counts"), 1))
    return many.slice(0, limit).to_pylist()


def sort_order(keys: list[np.ndarray], tie: pd.Series | None, rows: np.ndarray) -> np.ndarray:
    """Permutation sorting by non-negative int ``keys`` (first is primary), ties by ``tie``.

    ``tie`` is the string column (full frame) and ``rows`` the frame positions of
    the elements, so the costly string sort only touches tied elements.
    """
    n = len(rows)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    bits = [max(int(k.max()), 1).bit_length() for k in keys]
    if sum(bits) <= 62:
        key = np.zeros(n, dtype=np.int64)
        for k, b in zip(keys, bits, strict=True):
            key = (key << b) | k
        order = np.argsort(key)
        ks = key[order]
        same = ks[1:] == ks[:-1]
    else:  # pragma: no cover - only for absurd date spans
        order = np.lexsort(keys[::-1])
        same = np.ones(n - 1, dtype=bool)
        for k in keys:
            same &= k[order][1:] == k[order][:-1]
        ks = np.cumsum(np.r_[0, ~same])
        ks = ks.astype(np.int64)
    if tie is not None and same.any():
        in_run = np.zeros(n, dtype=bool)
        in_run[1:] |= same
        in_run[:-1] |= same
        pos = np.flatnonzero(in_run)
        sub = pd.DataFrame({"k": ks[pos], "t": tie.take(rows[order[pos]]).to_numpy()})
        perm = sub.sort_values(["k", "t"], kind="stable").index.to_numpy()
        order[pos] = order[pos][perm]
    return order
