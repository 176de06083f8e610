"""Reading rules from a CSV or YAML file, a table, or Python lists and dicts.

**CSV** (what an analyst edits in Excel or WPS): one line per condition,
columns ``id``, ``match``, ``field``, ``op``, ``value`` and the outputs of
the schema. The lines of one rule follow each other; its outputs are written
on its first line (later lines leave them blank or repeat them). A rule with
one line and an empty ``field`` is a catch-all. ``in``, ``not in`` and
``between`` separate their values with ``|``. UTF-8 (with or without BOM) or
GB18030.

**YAML** (or the same structure as Python objects)::

    rules:
      - id: dpd_30
        match: all            # or any; default all
        when:
          - [dpd, ">=", 30]
          - {field: utilisation, op: between, value: [0.8, 1.0]}
        tier: high_risk
        description_en: 30 days or more past due

A bare list of rules is accepted as well.

Examples
--------
>>> from creditkit.rules.spec import RuleSchema
>>> schema = RuleSchema("tags", outputs={"tag": None}, required=("tag",))
>>> table = pd.DataFrame({"id": ["young", "busy", "busy"], "field": ["age", "n", "m"],
...                       "op": ["<", ">=", ">="], "value": ["25", "3", "2"],
...                       "tag": ["young", "busy", ""], "match": ["", "any", ""]})
>>> rs = load_rules(table, schema)
>>> [(r.id, r.match, len(r.conditions)) for r in rs.rules]
[('young', 'all', 1), ('busy', 'any', 2)]
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.rules.spec import RuleSchema, RuleSet, build_rules

__all__ = ["CSV_COLUMNS", "load_rules", "shipped_rules_path"]

#: The columns of a rule CSV besides the outputs of its schema.
CSV_COLUMNS: tuple[str, ...] = ("id", "match", "field", "op", "value")


def shipped_rules_path(package: str, name: str) -> Path:
    """The path of a rule file shipped inside a creditkit package's ``data`` folder.

    Examples
    --------
    >>> shipped_rules_path("creditkit.segmentation", "tier_rules.csv").name
    'tier_rules.csv'
    """
    return Path(str(resources.files(package).joinpath("data", name)))


def load_rules(source: Any, schema: RuleSchema) -> RuleSet:
    """Rules from a file, a table or Python objects, checked against ``schema``.

    Parameters
    ----------
    source : str, path, DataFrame, list, dict or RuleSet
        A ``.csv``, ``.yaml`` or ``.yml`` file; a DataFrame in the CSV layout;
        a list of rule dicts or ``{"rules": [...]}`` in the YAML layout; a
        :class:`RuleSet` of the same schema (returned as it is).
    schema : RuleSchema

    Returns
    -------
    RuleSet

    Raises
    ------
    DataReadError
        The file is missing, empty, not text, or not valid YAML.
    ParameterError
        A rule is wrong (see :func:`creditkit.rules.build_rules`); the message
        names the file, the line and the rule.

    Examples
    --------
    >>> from creditkit.rules.spec import RuleSchema
    >>> schema = RuleSchema("tags", outputs={"tag": None}, required=("tag",))
    >>> rs = load_rules({"rules": [{"id": "x", "when": [["n", ">=", 2]], "tag": "many"}]}, schema)
    >>> rs.rules[0].conditions[0].text()
    'n >= 2'
    """
    if isinstance(source, RuleSet):
        if source.schema != schema:
            raise ParameterError(f"these are {source.schema.kind}, not {schema.kind}; pass a "
                                 f"{schema.kind} file or rule list")
        return source
    if isinstance(source, pd.DataFrame):
        return build_rules(_csv_records(source, schema, "rule table"), schema,
                           source="rule table")
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".yaml", ".yml"):
            raise DataReadError(f"rule file {path.name!r} is neither .csv nor .yaml/.yml; save "
                                "the rules as CSV (one line per condition) or YAML")
        if not path.is_file():
            raise DataReadError(f"rule file {str(path)!r} does not exist (working directory "
                                f"{os.getcwd()!r}); check the path")
        if suffix == ".csv":
            return build_rules(_csv_records(_read_csv(path), schema, path.name), schema,
                               source=path.name)
        return build_rules(_yaml_records(path), schema, source=path.name)
    if isinstance(source, Mapping):
        if "rules" not in source:
            raise ParameterError(f"{schema.kind}: a mapping of rules needs the key 'rules' "
                                 f"holding the list; got keys {sorted(map(str, source))}")
        return build_rules(source["rules"], schema, source="rules")
    if isinstance(source, Sequence) and not isinstance(source, bytes):
        return build_rules(source, schema, source="rules")
    raise ParameterError(f"{schema.kind} must be a .csv/.yaml file, a DataFrame or a list of "
                         f"rules; got {type(source).__name__}")


def _read_csv(path: Path) -> pd.DataFrame:
    from creditkit.io import detect_encoding

    try:
        encoding = detect_encoding(path)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except pd.errors.EmptyDataError as exc:
        raise DataReadError(f"rule file {path.name} is empty; it needs a header line "
                            f"{list(CSV_COLUMNS)} + outputs, and one line per condition") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, DataReadError) as exc:
        raise DataReadError(f"rule file {path.name} is not a readable CSV ({exc}); save it from "
                            "Excel or WPS as 'CSV UTF-8'") from exc
    return raw


def _csv_records(table: pd.DataFrame, schema: RuleSchema, source: str) -> list[dict]:
    """Rule records from the CSV layout (row i is line i + 2, the header being line 1)."""
    cols = [str(c).strip() for c in table.columns]
    valid = [*CSV_COLUMNS, *schema.outputs]
    unknown = [c for c in cols if c not in valid]
    if unknown:
        raise ParameterError(f"{source}, line 1: unknown column(s) {unknown}; the columns of "
                             f"{schema.kind} are {valid}")
    if "id" not in cols:
        raise ParameterError(f"{source}, line 1: no id column; the columns of {schema.kind} "
                             f"are {valid}")
    text = table.set_axis(cols, axis=1).astype("string").fillna("")
    records: list[dict] = []
    current: dict | None = None
    for i, row in enumerate(text.to_dict("records")):
        line = i + 2
        row = {k: str(v).strip() for k, v in row.items()}
        if not any(row.values()):
            continue  # a blank line between rules
        rid = row.get("id", "")
        if not rid:
            raise ParameterError(f"{source}, line {line}: no id; write the rule's id on every "
                                 "line of it")
        if current is None or rid != current["id"]:
            current = {"id": rid, "__line__": line, "when": [],
                       "match": row.get("match", "")}
            for name in schema.outputs:
                current[name] = row.get(name, "")
            records.append(current)
        else:
            for name in ("match", *schema.outputs):
                value = row.get(name, "")
                if value and current.get(name) and value != current[name]:
                    raise ParameterError(f"{source}, line {line} (rule {rid!r}): {name} "
                                         f"{value!r} differs from {current[name]!r} on line "
                                         f"{current['__line__']}; write it once, on the rule's "
                                         "first line")
                if value and not current.get(name):
                    current[name] = value
        if row.get("field", "") or row.get("op", ""):
            current["when"].append({"field": row.get("field", ""), "op": row.get("op", ""),
                                    "value": row.get("value", ""), "__line__": line})
    return records


def _yaml_records(path: Path) -> Any:
    import yaml

    class _LineLoader(yaml.SafeLoader):
        """SafeLoader that keeps the line of every mapping as ``__line__``."""

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        out = loader.construct_mapping(node, deep=True)
        out["__line__"] = node.start_mark.line + 1
        return out

    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_LineLoader)
    except UnicodeDecodeError as exc:
        raise DataReadError(f"rule file {path.name} is not UTF-8 text; save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        raise DataReadError(f"rule file {path.name} is not valid YAML ({exc}); check the "
                            "indentation and quote values holding ':' or '#'") from exc
    if data is None:
        raise DataReadError(f"rule file {path.name} is empty; write 'rules:' and a list of rules")
    if isinstance(data, Mapping):
        if "rules" not in data:
            raise ParameterError(f"{path.name}: no 'rules:' key; the file holds 'rules:' and "
                                 "under it a list of rules")
        data = data["rules"]
    return data
