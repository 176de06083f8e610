"""Identifiers of synthetic customers: ASCII digit kernels and one identifier per person.

The generator draws ID numbers, unified social credit codes and phones as
``uint8`` ASCII matrices (one row per customer), so ten million of them cost
a few vectorised numpy operations. Real people do not share an ID number, a
nationwide organisation code or (in a book without households) a phone: the
``unique_*`` functions redraw the repeats, leaving the first holder's value
and drawing from ``rng`` only when there is a repeat.

Examples
--------
>>> import numpy as np
>>> ascii_text(ascii_digits(np.array([7, 42]), 3)).to_pylist()
['007', '042']
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.datasets import _text as T
from creditkit.exceptions import ParameterError

__all__ = [
    "ascii_digits",
    "ascii_text",
    "org_check_ascii",
    "unique_code_bodies",
    "unique_id_bodies",
    "unique_phones",
]

_MAX_REDRAWS = 100  # rounds of redrawing repeated identifiers (a few suffice even at 10M)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def ascii_digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as a ``(n, width)`` matrix of ASCII digit bytes.

    Parameters
    ----------
    values : array-like of int
        Non-negative integers below ``10**width``.
    width : int
        Digits per value, zero-padded on the left.

    Returns
    -------
    ndarray of uint8, shape (n, width)

    Examples
    --------
    >>> bytes(ascii_digits([42], 4)[0])
    b'0042'
    """
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((np.asarray(values, dtype=np.int64)[:, None] // powers) % 10 + 48).astype(np.uint8)


def ascii_text(matrix: np.ndarray) -> pa.Array:
    """Rows of an ASCII byte matrix as one Arrow string array.

    Parameters
    ----------
    matrix : ndarray of uint8, shape (n, width)

    Returns
    -------
    pyarrow.Array of string
        One array (never chunked, even past Arrow's 16 MB chunk of fixed-width bytes).

    Examples
    --------
    >>> import numpy as np
    >>> ascii_text(np.full((2, 3), ord("1"), np.uint8)).to_pylist()
    ['111', '111']
    """
    width = matrix.shape[1]
    out = pa.array(np.ascontiguousarray(matrix).view(f"S{width}").ravel())
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return out.cast(pa.string())


def _later_repeats(keys: np.ndarray | pd.Series) -> np.ndarray:
    """True at every occurrence of a key but its first (hash based, O(n))."""
    return pd.Index(keys).duplicated(keep="first")


def _rounds(what: str) -> Iterator[int]:
    """Rounds of redrawing, refusing a pool too small to give everyone their own value."""
    yield from range(_MAX_REDRAWS)
    raise ParameterError(f"could not give every customer their own {what} after "
                         f"{_MAX_REDRAWS} redraws; generate fewer customers")


def unique_id_bodies(rng: np.random.Generator, body: np.ndarray) -> np.ndarray:
    """The first 17 ASCII digits of ID numbers, one per person.

    A repeat (same district, birth date and sequence code) is a different
    person given someone else's number: its 3-digit sequence code is redrawn,
    keeping its parity (odd = man), until no number repeats.

    Parameters
    ----------
    rng : numpy.random.Generator
    body : ndarray of uint8, shape (n, 17)
        Not modified.

    Returns
    -------
    ndarray of uint8, shape (n, 17)

    Raises
    ------
    ParameterError
        When 100 rounds of redrawing leave a repeat (too many people share a
        district and a birth date): generate fewer customers.

    Examples
    --------
    >>> import numpy as np
    >>> body = np.frombuffer(b"11010519900101123" * 2, np.uint8).reshape(2, 17)
    >>> out = unique_id_bodies(np.random.default_rng(0), body)
    >>> bytes(out[0]), bytes(out[1]) != bytes(out[0])
    (b'11010519900101123', True)
    """
    body = np.ascontiguousarray(body).copy()
    for _ in _rounds("ID number"):
        again = _later_repeats(body.view("S17").ravel())
        if not again.any():
            return body
        male = (body[again, 16] - 48) % 2
        body[again, 14:17] = ascii_digits(rng.integers(0, 500, int(again.sum())) * 2 + male, 3)
    raise AssertionError("unreachable")  # pragma: no cover


def org_check_ascii(org: np.ndarray) -> np.ndarray:
    """GB 11714 check characters (ASCII bytes) of 8-digit organisation codes.

    Parameters
    ----------
    org : array-like of int
        Organisation codes as integers below 10**8.

    Returns
    -------
    ndarray of uint8, shape (n,)

    Examples
    --------
    >>> bytes(org_check_ascii([12345678]))
    b'8'
    """
    digits = ascii_digits(org, 8).astype(np.int64) - 48
    c9 = 11 - (digits @ _ORG_WEIGHTS) % 11
    return np.where(c9 == 10, ord("X"), np.where(c9 == 11, ord("0"), c9 + 48)).astype(np.uint8)


def unique_code_bodies(rng: np.random.Generator, body: np.ndarray) -> np.ndarray:
    """The first 17 characters of credit codes, one organisation code per business.

    The organisation code (characters 9-17) is unique nationwide, whatever the
    district or registration type: a repeated one is redrawn (its GB 11714
    check recomputed) until none repeats.

    Parameters
    ----------
    rng : numpy.random.Generator
    body : ndarray of uint8, shape (n, 17)
        Not modified.

    Returns
    -------
    ndarray of uint8, shape (n, 17)

    Raises
    ------
    ParameterError
        When 100 rounds of redrawing leave a repeat.

    Examples
    --------
    >>> import numpy as np
    >>> body = np.frombuffer(b"91110105123456782" * 2, np.uint8).reshape(2, 17)
    >>> out = unique_code_bodies(np.random.default_rng(0), body)
    >>> bytes(out[0][8:16]), bytes(out[1][8:16]) != b"12345678"
    (b'12345678', True)
    """
    body = np.ascontiguousarray(body).copy()
    for _ in _rounds("organisation code"):
        again = _later_repeats(np.ascontiguousarray(body[:, 8:16]).view("S8").ravel())
        if not again.any():
            return body
        org = rng.integers(0, 100_000_000, int(again.sum()))
        body[again, 8:16] = ascii_digits(org, 8)
        body[again, 16] = org_check_ascii(org)
    raise AssertionError("unreachable")  # pragma: no cover


def unique_phones(rng: np.random.Generator, phone: pa.Array) -> pa.Array:
    """Phones with no number shared by two customers: repeats get new last 8 digits.

    The generator draws every customer as an unrelated person or firm (it
    models no households or shared switchboards), so two customers with one
    mobile or one landline would be a coincidence no real book shows. A repeat
    keeps its prefix or area code; landlines stay in 20000000-89999999.

    Parameters
    ----------
    rng : numpy.random.Generator
    phone : pyarrow.Array of string
        Mobiles (11 digits) and landlines (``area-8 digits``); nulls stay null.

    Returns
    -------
    pyarrow.Array of string

    Raises
    ------
    ParameterError
        When 100 rounds of redrawing leave a repeat.

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> out = unique_phones(np.random.default_rng(0), pa.array(["13800138000"] * 2)).to_pylist()
    >>> out[0], out[1] != out[0], out[1][:3]
    ('13800138000', True, '138')
    """
    for _ in _rounds("phone number"):
        again = _later_repeats(T.to_series(phone)) & pc.is_valid(phone).to_numpy(
            zero_copy_only=False)
        if not again.any():
            return phone
        pos = pa.array(np.flatnonzero(again))
        old = phone.take(pos)
        landline = pc.match_substring(old, "-").to_numpy(zero_copy_only=False)
        k = len(landline)
        last8 = np.where(landline, rng.integers(20_000_000, 90_000_000, k),
                         rng.integers(0, 100_000_000, k))
        new = T.join(pc.utf8_slice_codeunits(old, 0, -8), T.digits(last8, 8))
        phone = pc.replace_with_mask(phone, pa.array(again), new)
    raise AssertionError("unreachable")  # pragma: no cover
