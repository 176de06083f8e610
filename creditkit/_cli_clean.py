"""``creditkit clean``: the subcommand's arguments (``add_clean``) and what it does (``cmd_clean``).

Registered by :mod:`creditkit.cli` like every subcommand; kept in a module of its
own because its options (encodings, sheets, formats, column maps) and the error
hints that name them are most of the command line's text.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from creditkit.exceptions import CreditkitError, ParameterError

_CLEAN_EPILOG = """\
examples:
  creditkit clean exports/账单.csv --table bills --out cleaned/bills --as-of 2025-06-30
  creditkit clean hk/客戶.csv --table customers --out cleaned/hk --encoding big5
  creditkit clean 回款.xlsx --table payments --out cleaned/pay --sheet 2025年回款
  creditkit clean eu/payments.csv --table payments --out cleaned/eu --decimal , --dayfirst
  creditkit clean bills.csv --table bills --out cleaned/b --column-map '{"Inv. Amt": "amount"}'
  creditkit clean bills.csv --table bills --out cleaned/b --column-map my_headers.json

exits 2 only when the file itself is unusable (missing, unreadable, no recognisable
column) or an option is wrong; bad rows are quarantined, never fatal.
"""

#: keyword of read_table / clean_* named in an error message -> the clean option that sets it.
_CLEAN_FLAGS = {"encoding": "--encoding", "sheet": "--sheet", "column_map": "--column-map",
                "format": "--format",
                "dayfirst": "--dayfirst/--monthfirst", "decimal": "--decimal",
                "as_of": "--as-of", "default_currency": "--currency", "out_dir": "--out"}


def add_clean(sub: Any) -> None:
    p = sub.add_parser(
        "clean", help="clean a customers, bills or payments file; quarantine what is wrong",
        description="Read an export (CSV/TSV/XLSX/Parquet/DuckDB, GBK or UTF-8), normalise "
                    "and validate it, and write clean.parquet, quarantine.csv (UTF-8 with BOM "
                    "for Excel) and quality.json. Nothing is dropped: every row is clean, "
                    "quarantined with a reason, or merged as an exact duplicate.",
        epilog=_CLEAN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="the file to clean")
    p.add_argument("--table", required=True, choices=["customers", "bills", "payments"],
                   help="what the file holds")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the three outputs")
    read = p.add_argument_group("reading the file")
    read.add_argument("--encoding", default=None, metavar="NAME",
                      help="text encoding of a CSV/TSV (big5, latin-1, cp1252...); "
                           "default: detected, UTF-8 or GB18030/GBK")
    read.add_argument("--sheet", default=None, metavar="NAME_OR_N",
                      help="XLSX worksheet by name, or by 0-based position when no sheet "
                           "has that name (1 = the second sheet); default: the first. "
                           "For a DuckDB file: the table")
    read.add_argument("--format", choices=["csv", "tsv", "xlsx", "parquet", "duckdb"],
                      help="read the file as this format whatever its name ends with "
                           "(an .xlsx saved as .csv); default: by the name")
    read.add_argument("--column-map", default=None, metavar="JSON_OR_FILE",
                      help="your headers -> creditkit names, as a JSON object "
                           "('{\"Inv. Amt\": \"amount\"}') or the path of a .json file "
                           "holding one; wins over the built-in synonyms")
    parse = p.add_argument_group("reading the values")
    parse.add_argument("--decimal", choices=[".", ","], default=".", metavar="MARK",
                       help="decimal mark of amounts: '.' (1,234.56) or ',' (1.234,56); "
                            "default: %(default)s")
    order = parse.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       default=None, help="read NN/NN/YYYY dates day first (05/01 = 5 Jan)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read NN/NN/YYYY dates month first (05/01 = 1 May); with neither, "
                            "ambiguous ones are quarantined")
    parse.add_argument("--as-of", default=None, metavar="DATE",
                       help="events dated after it are quarantined (default: no check)")
    parse.add_argument("--currency", default="CNY", metavar="ISO",
                       help="currency of amounts that name none (default: %(default)s)")
    p.set_defaults(func=cmd_clean)


def _column_map(text: str | None) -> dict[str, str] | None:
    """The ``--column-map`` value: a JSON object, or the path of a .json file holding one."""
    if text is None:
        return None
    fix = ("; pass a JSON object like '{\"your header\": \"amount\"}' "
           "or the path of a .json file holding one")
    source = "--column-map"
    body = text
    if not text.lstrip().startswith(("{", "[", '"')):
        path = Path(text)
        if not path.is_file():
            raise ParameterError(f"--column-map is neither a JSON object nor an existing "
                                 f"file: got {text!r}{fix}")
        source = f"--column-map file {text}"
        try:
            body = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ParameterError(f"{source} cannot be read as UTF-8 ({exc}){fix}") from None
    try:
        mapping = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParameterError(f"{source} is not valid JSON ({exc}){fix}") from None
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise ParameterError(f"{source} must be a JSON object of header -> name strings, "
                             f"got {type(mapping).__name__} {body.strip()[:80]!r}{fix}")
    return mapping


def _sheet(source: str, text: str | None) -> str | int | None:
    """``--sheet``: a sheet name, else a digit string is a 0-based position."""
    if text is None or not text.isdigit():
        return text
    if Path(source).suffix.lower() in (".xlsx", ".xlsm") and Path(source).is_file():
        import openpyxl

        try:
            book = openpyxl.load_workbook(source, read_only=True)
        except Exception:  # not a readable workbook: read_table says why
            return int(text)
        try:
            if text in book.sheetnames:
                return text
        finally:
            book.close()
        return int(text)
    return text  # a DuckDB table name, or a file read_table rejects on its own


def _with_cli_flags(exc: CreditkitError) -> CreditkitError:
    """``exc`` with the clean options that set the keywords its message names ("pass encoding=")."""
    message = str(exc)
    # "encoding" or "sheet" may be plain words; with "=" (or an underscore) they are keywords
    flags = []
    for kw, flag in _CLEAN_FLAGS.items():
        if not re.search(rf"\b{kw}\b" if "_" in kw else rf"\b{kw}=", message) \
                or flag in message:
            continue
        # a value the message proposes goes with the flag: encoding='big5' -> --encoding big5
        value = re.search(rf"\b{kw}='([^']+)'", message)
        flags.append(f"{flag} {value.group(1)}" if value and kw != "column_map" else flag)
    if not flags:
        return exc
    return type(exc)(f"{message} (creditkit clean: use {', '.join(flags)})")


def cmd_clean(args: argparse.Namespace) -> int:
    from creditkit.cleaning import clean_file

    column_map = _column_map(args.column_map)
    try:
        s = clean_file(args.input, args.table, args.out, encoding=args.encoding,
                       sheet=_sheet(args.input, args.sheet), column_map=column_map,
                       format=args.format, dayfirst=args.dayfirst, decimal=args.decimal,
                       as_of=args.as_of, default_currency=args.currency)
    except CreditkitError as exc:
        raise _with_cli_flags(exc) from None
    print(f"{s['source']} ({s['encoding'] or 'binary'}): {s['rows_in']} rows in, "
          f"{s['rows_clean']} clean, {s['rows_quarantined']} quarantined, "
          f"{s['rows_merged']} merged duplicates")
    for reason, n in s["quarantine_by_reason"].items():
        print(f"  {reason}: {n}")
    money = ", ".join(f"{c} {v}" for c, v in s["money_in"].items()) or "none"
    print(f"money in (minor units): {money}; invariants ok: {s['invariants_ok']}")
    for name, path in s["outputs"].items():
        print(f"{name}: {path}")
    return 0
