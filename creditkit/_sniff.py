"""What a table file is before it is read: its format, its text encoding, its size in memory.

Format: the suffix, checked against the first bytes (:func:`file_kind`).
Memory: :func:`check_read_memory` refuses a file too large to read. Text
encoding (:func:`detect_bytes`): UTF-8, GB18030 (GBK) or Big5, as follows.

A byte-order mark wins; else strict UTF-8 (pure ASCII included); else the
file is Chinese in a legacy code page, and GB18030 and Big5 must be told
apart: almost any Big5 byte sequence is also valid GB18030, which turns
traditional text into garbage (``賬單號`` becomes ``姐虫腹``). Both readings of
a sample (the first 64 KB) are scored:

1. headers: how many cells of the first line name a creditkit column
   (:func:`creditkit.columns.header_columns`; traditional headers fold to
   simplified there);
2. characters: the share of non-ASCII characters outside each code page's
   common block (GB2312 for GB18030; the frequent-character block
   ``A440``-``C67E`` and the symbols before it for Big5). Real text sits in
   its own common block; the wrong reading scatters into rare characters.

Big5 wins when its headers map better (a garbled reading does not spell
a synonym by chance), or, as well, when it holds at least
:data:`MIN_EVIDENCE` non-ASCII characters of which at most 10 % are rare
while at least 25 % of the GB18030 reading are. Otherwise GB18030 stays,
and :func:`big5_hint` says when Big5 would still have been plausible, for
the error that reports unrecognised headers.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from creditkit.columns import header_columns
from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["GZIP_RATIO", "MIN_EVIDENCE", "READ_EXPANSION", "big5_hint", "check_read_memory",
           "detect_bytes", "file_kind"]

#: Non-ASCII characters needed before the characters alone may pick Big5.
MIN_EVIDENCE = 6
_SAMPLE = 65536
_CELLS = re.compile(r"[,\t;|]")


def _sample(raw: bytes, enc: str) -> str | None:
    """The first 64 KB of ``raw`` decoded strictly (a character cut at the end is dropped)."""
    try:
        return codecs.getincrementaldecoder(enc)("strict").decode(raw[:_SAMPLE], final=False)
    except UnicodeDecodeError:
        return None


def _rare(ch: str, enc: str) -> bool:
    try:
        b = ch.encode("gb2312" if enc == "gb18030" else "big5")
    except UnicodeEncodeError:
        return True
    return enc == "big5" and not 0xA1 <= b[0] <= 0xC6


def _score(text: str, enc: str) -> tuple[int, float, int]:
    """(header cells that map, share of rare characters, non-ASCII characters counted)."""
    first = text.split("\n", 1)[0]
    mapped = sum(bool(header_columns(c.strip().strip('"'))) for c in _CELLS.split(first))
    wide = [ch for ch in text[:20000] if ord(ch) > 127 and not ch.isspace()][:4000]
    rare = sum(_rare(ch, enc) for ch in wide)
    return mapped, rare / len(wide) if wide else 0.0, len(wide)


def _decodes(raw: bytes, enc: str) -> bool:
    try:
        raw.decode(enc)
    except UnicodeDecodeError:
        return False
    return True


def _big5(raw: bytes) -> str | None:
    """``"big5"``, or a superset (Microsoft's ``cp950``, Hong Kong's ``big5hkscs``) that decodes
    all of ``raw``; ``None`` when none does."""
    return next((enc for enc in ("big5", "cp950", "big5hkscs") if _decodes(raw, enc)), None)


def detect_bytes(raw: bytes, where: str) -> str:
    """The encoding of a text table held in ``raw`` (the rules are in the module docstring).

    Parameters
    ----------
    raw : bytes
        The whole file: UTF-8 and the legacy code pages are checked on all of
        it, so a bad byte far down is found before parsing.
    where : str
        The file name, for the error message.

    Returns
    -------
    str
        A Python codec name: ``utf-8-sig``, ``utf-16``, ``utf-8``, ``gb18030``,
        ``big5``, ``cp950`` or ``big5hkscs``.

    Raises
    ------
    DataReadError
        When ``raw`` decodes as none of them.

    Examples
    --------
    >>> detect_bytes("賬單號,金額\\nB1,5\\n".encode("big5"), "b.csv")
    'big5'
    >>> detect_bytes("账单号,金额\\nB1,5\\n".encode("gbk"), "b.csv")
    'gb18030'
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(raw, "utf-8"):
        return "utf-8"
    b5_text = _sample(raw, "big5") or _sample(raw, "cp950") or _sample(raw, "big5hkscs")
    gb_text = _sample(raw, "gb18030")
    if b5_text is not None:
        bm, br, n = _score(b5_text, "big5")
        gm, gr, _ = _score(gb_text, "gb18030") if gb_text is not None else (-1, 1.0, 0)
        better = bm > gm
        clearer = bm == gm and n >= MIN_EVIDENCE and br <= 0.1 and gr >= 0.25
        if (better or clearer) and (enc := _big5(raw)) is not None:
            return enc
    if gb_text is not None and _decodes(raw, "gb18030"):
        return "gb18030"
    if (enc := _big5(raw)) is not None:
        return enc
    raise DataReadError(f"{where} is neither UTF-8, GB18030 nor Big5 text; "
                        "pass encoding= (e.g. 'latin-1' or 'cp1252') if you know it")


def big5_hint(raw: bytes) -> str:
    """``"; if ... Big5 ..., pass encoding='big5'"`` when ``raw`` read as GB18030 may be Big5.

    Said when the first 64 KB also decode as Big5 and hold fewer rare
    characters that way; else ``""``.

    Examples
    --------
    >>> "encoding='big5'" in big5_hint("序,戶,額\\n".encode("big5"))
    True
    >>> big5_hint("序,户,额\\n".encode("gbk"))
    ''
    """
    b5_text, gb_text = _sample(raw, "big5"), _sample(raw, "gb18030")
    if b5_text is None or gb_text is None:
        return ""
    if _score(b5_text, "big5")[1] >= _score(gb_text, "gb18030")[1]:
        return ""
    return ("; if the file is Big5 (traditional Chinese), pass encoding='big5' "
            "(read as GB18030 its headers are garbled)")


_TEXT = {".csv", ".tsv", ".tab", ".txt"}
_XLSX = {".xlsx", ".xlsm"}
_PARQUET = {".parquet", ".pq"}
_DUCKDB = {".duckdb", ".ddb", ".db"}
#: What a file's first bytes say it is: (magic, kind, what to tell the user it is).
_MAGIC = ((b"PK\x03\x04", "xlsx", "an Excel workbook (.xlsx)"),
          (b"PAR1", "parquet", "a Parquet file"),
          (b"\xd0\xcf\x11\xe0", "xls", "an old Excel workbook (.xls)"))
_FORMATS = {"csv": "text", "tsv": "text", "text": "text", "xlsx": "xlsx", "parquet": "parquet",
            "duckdb": "duckdb"}


def _magic(head: bytes) -> tuple[str, str] | None:
    if head[8:12] == b"DUCK":
        return "duckdb", "a DuckDB database"
    return next(((kind, what) for magic, kind, what in _MAGIC if head.startswith(magic)), None)


def file_kind(p: Path, fmt: str | None) -> str:
    """What reader a file needs: ``text``, ``xlsx``, ``parquet`` or ``duckdb``.

    ``fmt`` (``read_table``'s ``format=``) wins; else the suffix, except that
    a file named as text whose first bytes say workbook, Parquet or DuckDB is
    refused with what it is (an ``.xlsx`` saved as ``.csv`` is no encoding
    problem); an unknown suffix goes by those bytes.

    Raises
    ------
    ParameterError
        An unknown ``fmt``.
    DataReadError
        A binary file under a text name, or an old ``.xls`` workbook.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"PAR1" + bytes(12))
    >>> file_kind(p, None)
    Traceback (most recent call last):
    ...
    creditkit.exceptions.DataReadError: x.csv is a Parquet file, not text, although its name \
ends .csv; rename it to .parquet, or pass format='parquet'
    >>> file_kind(p, "parquet")
    'parquet'
    """
    if fmt is not None:
        if fmt not in _FORMATS:
            raise ParameterError(f"format={fmt!r} is not one creditkit reads; pass one of "
                                 f"{sorted(_FORMATS)}, or leave it out to go by the file name")
        return _FORMATS[fmt]
    suffix = p.suffix.lower()
    with p.open("rb") as f:
        head = f.read(16)
    found = _magic(head)
    if suffix in _TEXT and found is not None:  # an xlsx saved as .csv: not an encoding issue
        kind, what = found
        if kind == "xls":
            raise DataReadError(f"{p.name} is {what}, not text, although its name ends "
                                f"{suffix}; open it in Excel or WPS and save as .xlsx or CSV")
        if kind == "xlsx" and not _is_workbook(p):
            raise DataReadError(f"{p.name} is a zip archive, not text, although its name ends "
                                f"{suffix}; unzip it and read the table inside")
        raise DataReadError(f"{p.name} is {what}, not text, although its name ends {suffix}; "
                            f"rename it to .{kind}, or pass format={kind!r}")
    for kind, suffixes in (("text", _TEXT), ("xlsx", _XLSX), ("parquet", _PARQUET),
                           ("duckdb", _DUCKDB)):
        if suffix in suffixes:
            return kind
    if found is not None and found[0] == "xls":
        raise DataReadError(f"{p.name} is an old .xls workbook; open it in Excel or WPS and "
                            "save as .xlsx (or CSV)")
    return found[0] if found is not None else "text"


def _is_workbook(p: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(p) as z:
            return any(n.startswith("xl/") for n in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return True  # a damaged workbook: the xlsx reader says why


#: Peak memory of reading a file, as a multiple of its size on disk, measured on a bills
#: export (300,000 rows of CSV and Parquet, 20,000 rows of XLSX): pandas string columns take
#: about 6x a CSV; Parquet compresses repeated text (dictionaries), workbooks are zipped XML.
READ_EXPANSION = {"text": 6.0, "xlsx": 55.0, "parquet": 26.0}
#: How much gzipped CSV expands when decompressed (typical of exports).
GZIP_RATIO = 6.0


def _size(n: float) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}" if n < 10 * scale else f"{n / scale:.0f} {unit}"
    return f"{n / 1024:.0f} KiB"


def check_read_memory(p: Path, kind: str, fraction: float | None, free: int | None) -> None:
    """Refuse, before reading, a file whose estimated in-memory size passes ``fraction`` of RAM.

    The estimate is the file's size times :data:`READ_EXPANSION` of its kind
    (times :data:`GZIP_RATIO` more for gzipped text); ``free`` is the memory
    available (``None``: unknown, no check).

    Raises
    ------
    ParameterError
        ``fraction`` not a number > 0 nor ``None``.
    DataReadError
        The estimate passes ``fraction * free``: the message names the size,
        the memory and the ways out.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "big.csv"
    >>> _ = p.write_bytes(b"a,b\\n" * 100_000)
    >>> check_read_memory(p, "text", 0.8, free=2**30) is None
    True
    >>> check_read_memory(p, "text", 0.8, free=2**20)
    Traceback (most recent call last):
    ...
    creditkit.exceptions.DataReadError: big.csv is 391 KiB; reading it needs about 2.3 MiB of \
memory (6x the file), but 1.0 MiB is available and memory_fraction=0.8 allows 819 KiB; split it \
and clean each part on its own (creditkit clean per file), convert it to Parquet and read the \
columns you need, or process it with Spark (the ledger functions run per customer); \
memory_fraction=None reads it anyway
    """
    if fraction is None:
        return
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not fraction > 0:
        raise ParameterError(f"memory_fraction must be a number > 0 (0.8 = 80% of the memory "
                             f"available) or None for no check; got {fraction!r}")
    if kind not in READ_EXPANSION:
        return
    size = p.stat().st_size
    factor = READ_EXPANSION[kind]
    if kind == "text":
        with p.open("rb") as f:
            if f.read(2) == b"\x1f\x8b":
                factor *= GZIP_RATIO
    need = size * factor
    if free is None or need <= fraction * free:
        return
    raise DataReadError(
        f"{p.name} is {_size(size)}; reading it needs about {_size(need)} of memory "
        f"({factor:g}x the file), but {_size(free)} is available and memory_fraction="
        f"{fraction:g} allows {_size(fraction * free)}; split it and clean each part on its "
        "own (creditkit clean per file), convert it to Parquet and read the columns you need, "
        "or process it with Spark (the ledger functions run per customer); "
        "memory_fraction=None reads it anyway")
