"""What a rule is, and the checks that turn raw rule records into one.

A rule has an ``id``, a list of conditions on named feature columns, a
``match`` (``all``: every condition holds; ``any``: at least one does; a rule
with no condition matches every row, the catch-all) and its outputs (a tier,
a tag, a severity and an action, descriptions in zh and en, …). What outputs
a rule set may carry, which values they may take and which fields its
conditions may name is declared by a :class:`RuleSchema`: tiers, tags,
alerts and restrictions are four schemas over this one engine.

Operators (:data:`OPS`): ``>=``, ``>``, ``<=``, ``<`` (a number), ``==`` and
``!=`` (a number, text or true/false), ``in`` and ``not in`` (a list,
written ``a|b|c`` in a CSV cell), ``between`` (two numbers ``lo|hi``, both
included) and ``is_missing`` (true, the default, or false). A missing value
satisfies no condition but ``is_missing``: a customer without a limit is not
"under 80 % utilisation", nor over it.

Every problem is a :class:`~creditkit.exceptions.ParameterError` naming the
source (file), the line (CSV: the header is line 1; YAML: the line of the
rule or condition) and the rule id, what is wrong and the fix.

Examples
--------
>>> schema = RuleSchema("tier rules", outputs={"tier": ("good", "bad")}, required=("tier",))
>>> rs = build_rules([{"id": "late", "when": [("dpd", ">=", 30)], "tier": "bad"},
...                   {"id": "rest", "tier": "good"}], schema)
>>> [r.id for r in rs.rules], rs.rules[0].conditions[0].value
(['late', 'rest'], 30)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from creditkit.exceptions import ParameterError

__all__ = ["FIELD_KINDS", "MATCHES", "OPS", "TEMPLATE_FIELD", "Condition", "Rule", "RuleSchema",
           "RuleSet", "build_rules"]

#: The condition operators.
OPS: tuple[str, ...] = (">=", ">", "<=", "<", "==", "!=", "in", "not in", "between",
                        "is_missing")
#: How a rule combines its conditions.
MATCHES: tuple[str, ...] = ("all", "any")
#: What a field may hold, when a schema declares its fields.
FIELD_KINDS: tuple[str, ...] = ("number", "text", "flag")

_NUMERIC_OPS = (">=", ">", "<=", "<", "between")
#: A ``{field}`` placeholder in an output that allows templates.
TEMPLATE_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class RuleSchema:
    """What a kind of rule set may say.

    Parameters
    ----------
    kind : str
        Its name in messages ("tier rules", "alert rules").
    outputs : mapping of str to tuple of str or None
        Each output column a rule may set, with its allowed values (``None``:
        free text).
    required : tuple of str
        Outputs every rule must set.
    fields : mapping of str to {"number", "text", "flag"}, optional
        The feature columns conditions may name, with what they hold; ``None``
        accepts any name (checked against the frame when evaluated).
    catch_all_last : bool, default False
        The last rule must have no condition, so that every row is placed.
    templates : tuple of str, default ()
        Outputs whose text may hold ``{field}``, filled from each row.

    Examples
    --------
    >>> RuleSchema("tags", outputs={"tag": None}, required=("tag",)).kind
    'tags'
    """

    kind: str
    outputs: Mapping[str, tuple[str, ...] | None]
    required: tuple[str, ...] = ()
    fields: Mapping[str, str] | None = None
    catch_all_last: bool = False
    templates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One test of one feature column (``value`` typed by :func:`build_rules`)."""

    field: str
    op: str
    value: Any
    line: int | None = None

    def text(self) -> str:
        """The condition as a person reads it.

        Examples
        --------
        >>> Condition("dpd", "between", (1, 29)).text()
        'dpd between 1 and 29'
        """
        if self.op == "between":
            return f"{self.field} between {self.value[0]} and {self.value[1]}"
        if self.op in ("in", "not in"):
            return f"{self.field} {self.op} {{{', '.join(map(str, self.value))}}}"
        if self.op == "is_missing":
            return f"{self.field} is missing" if self.value else f"{self.field} is present"
        return f"{self.field} {self.op} {self.value}"


@dataclass(frozen=True)
class Rule:
    """One rule: id, conditions, how they combine, outputs."""

    id: str
    conditions: tuple[Condition, ...]
    match: str = "all"
    outputs: Mapping[str, str] = field(default_factory=dict)
    line: int | None = None

    def fields(self) -> list[str]:
        """The feature columns the rule reads, in order, each once (templates included)."""
        names = [c.field for c in self.conditions]
        for text in self.outputs.values():
            names.extend(TEMPLATE_FIELD.findall(str(text)))
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class RuleSet:
    """Rules in order (the first match wins where one is chosen), their schema and source."""

    rules: tuple[Rule, ...]
    schema: RuleSchema
    source: str = "rules"

    def fields(self) -> list[str]:
        """Every feature column some rule reads."""
        return list(dict.fromkeys(f for r in self.rules for f in r.fields()))


def _where(source: str, line: int | None, rule_id: object = None) -> str:
    at = f"{source}, line {line}" if line is not None else source
    return f"{at} (rule {rule_id!r})" if rule_id not in (None, "") else at


def _number(value: Any) -> int | float | None:
    """A threshold as a number (int when whole), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if value == value else None
    try:
        d = Decimal(str(value).strip().replace("_", ""))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    return int(d) if d == d.to_integral_value() and "." not in str(value) else float(d)


def _items(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [v.strip() for v in value.split("|") if v.strip() != ""]
    if isinstance(value, Sequence):
        return list(value)
    return [value]


def _scalar(value: Any, kind: str | None = None) -> Any:
    """A cell for ==, != or in: a number, true/false, or text.

    A text field keeps the text as written (a code ``007`` stays ``007``); without
    a declared kind, only a number written plainly (``90``, ``0.8``) becomes one.
    """
    if isinstance(value, bool | int | float):
        return str(value) if kind == "text" else value
    text = str(value).strip()
    if kind == "text":
        return text
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    num = _number(text)
    if num is None or (kind is None and str(num) != text):
        return text
    return num


def _threshold(op: str, value: Any, fld: str, kind: str | None, where: str) -> Any:
    """The typed threshold of a condition, or a ParameterError naming where and the fix."""
    blank = value is None or (isinstance(value, str) and value.strip() == "")
    if op == "is_missing":
        if blank:
            return True
        flag = _scalar(value)
        if not isinstance(flag, bool):
            raise ParameterError(f"{where}: is_missing takes true or false; got {value!r}; "
                                 "write true (the field is missing) or false (it is present)")
        return flag
    if blank:
        raise ParameterError(f"{where}: condition {fld} {op} has no threshold; write one "
                             "(a number for >=, >, <=, <; lo|hi for between; a|b for in)")
    if kind in ("text", "flag") and op in _NUMERIC_OPS:
        raise ParameterError(f"{where}: field {fld!r} holds {kind}, op {op!r} needs a number "
                             "field; compare it with ==, !=, in or not in")
    if op in (">=", ">", "<=", "<"):
        num = _number(value)
        if num is None:
            raise ParameterError(f"{where}: threshold {value!r} of {fld} {op} is not a number; "
                                 "write a plain number such as 90 or 0.8 (no unit, no %)")
        return num
    if op == "between":
        parts = _items(value)
        nums = [_number(p) for p in parts]
        if len(parts) != 2 or any(n is None for n in nums) or nums[0] > nums[1]:
            raise ParameterError(f"{where}: threshold {value!r} of {fld} between must be two "
                                 "numbers lo|hi with lo <= hi, such as 1|29 (both included)")
        return (nums[0], nums[1])
    if op in ("in", "not in"):
        values = tuple(_scalar(v, kind) for v in _items(value))
        if not values:
            raise ParameterError(f"{where}: {fld} {op} needs at least one value; write a|b|c")
        _check_kind(values, fld, op, kind, value, where)
        return values
    scalar = _scalar(value, kind)
    _check_kind((scalar,), fld, op, kind, value, where)
    return scalar


def _check_kind(values: tuple, fld: str, op: str, kind: str | None, raw: Any,
                where: str) -> None:
    if kind == "number" and not all(isinstance(v, int | float) and not isinstance(v, bool)
                                    for v in values):
        raise ParameterError(f"{where}: threshold {raw!r} of {fld} {op} is not a number but "
                             f"{fld!r} holds numbers; write a plain number such as 90")
    if kind == "flag" and not all(isinstance(v, bool) for v in values):
        raise ParameterError(f"{where}: threshold {raw!r} of {fld} {op} must be true or false "
                             f"({fld!r} is a yes/no field)")


def _condition(raw: Any, schema: RuleSchema, source: str, rule_id: str,
               line: int | None) -> Condition:
    if isinstance(raw, Mapping):
        line = raw.get("__line__", line)
        unknown = sorted(set(raw) - {"field", "op", "value", "__line__"})
        if unknown:
            raise ParameterError(f"{_where(source, line, rule_id)}: a condition has unknown "
                                 f"key(s) {unknown}; a condition has field, op and value")
        fld, op, value = raw.get("field"), raw.get("op"), raw.get("value")
    elif isinstance(raw, Sequence) and not isinstance(raw, str) and len(raw) in (2, 3):
        fld, op, value = (*raw, None) if len(raw) == 2 else raw
    else:
        raise ParameterError(f"{_where(source, line, rule_id)}: condition {raw!r} is neither "
                             "{field, op, value} nor [field, op, value]; write e.g. "
                             "[dpd, '>=', 30]")
    where = _where(source, line, rule_id)
    fld = "" if fld is None else str(fld).strip()
    op = "" if op is None else " ".join(str(op).strip().lower().split())
    if not fld:
        raise ParameterError(f"{where}: a condition names no field; write the feature column "
                             "it tests" + _valid_fields(schema))
    if schema.fields is not None and fld not in schema.fields:
        raise ParameterError(f"{where}: unknown field {fld!r}" + _valid_fields(schema))
    if op not in OPS:
        raise ParameterError(f"{where}: unknown op {op!r} in the condition on {fld}; use one of "
                             f"{list(OPS)}")
    kind = None if schema.fields is None else schema.fields[fld]
    return Condition(fld, op, _threshold(op, value, fld, kind, where), line)


def _valid_fields(schema: RuleSchema) -> str:
    if schema.fields is None:
        return ""
    return f"; valid fields: {sorted(schema.fields)}"


def build_rules(records: Sequence[Mapping[str, Any]], schema: RuleSchema, *,
                source: str = "rules") -> RuleSet:
    """Check rule records and return the :class:`RuleSet`.

    Parameters
    ----------
    records : sequence of mapping
        One per rule, in order: ``id``, optional ``match`` ("all"), optional
        ``when`` (conditions: ``{"field", "op", "value"}`` mappings or
        ``(field, op, value)`` triples), the outputs of ``schema``, and
        optionally ``__line__`` (where the rule starts in its file).
    schema : RuleSchema
    source : str, default "rules"
        Named in every error (the file name when read from one).

    Returns
    -------
    RuleSet

    Raises
    ------
    ParameterError
        Empty rule set; missing or duplicate id; unknown key, field, op or
        match; a threshold of the wrong type; an output value not allowed
        (an unknown severity or tier); a missing required output; a
        template naming an unknown field; no catch-all last rule where the
        schema asks for one. The message names the source, line and rule.

    Examples
    --------
    >>> schema = RuleSchema("alert rules", outputs={"severity": ("low", "high")})
    >>> try:
    ...     build_rules([{"id": "a", "severity": "urgent"}], schema)
    ... except ParameterError as err:
    ...     print(err)
    rules (rule 'a'): unknown severity 'urgent'; use one of ['low', 'high']
    """
    if isinstance(records, str | bytes | Mapping) or not isinstance(records, Sequence):
        raise ParameterError(f"{source}: {schema.kind} must be a list of rules; got "
                             f"{type(records).__name__}")
    if len(records) == 0:
        raise ParameterError(f"{source}: the {schema.kind} are empty; give at least one rule "
                             "(see the shipped default file for the layout)")
    keys = {"id", "match", "when", "__line__", *schema.outputs}
    rules: list[Rule] = []
    seen: dict[str, int | None] = {}
    for raw in records:
        if not isinstance(raw, Mapping):
            raise ParameterError(f"{source}: every rule is a mapping with id, when and outputs; "
                                 f"got {raw!r}")
        line = raw.get("__line__")
        rid = "" if raw.get("id") is None else str(raw.get("id")).strip()
        where = _where(source, line, rid)
        if not rid:
            raise ParameterError(f"{where}: a rule has no id; give every rule a unique id")
        if rid in seen:
            first = f" (first on line {seen[rid]})" if seen[rid] is not None else ""
            raise ParameterError(f"{where}: duplicate rule id {rid!r}{first}; every rule needs "
                                 "its own id: rename one")
        seen[rid] = line
        unknown = sorted(set(raw) - keys)
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {unknown}; a {schema.kind} rule "
                                 f"has {sorted(keys - {'__line__'})}")
        match = str(raw.get("match") or "all").strip().lower()
        if match not in MATCHES:
            raise ParameterError(f"{where}: unknown match {raw.get('match')!r}; use 'all' "
                                 "(every condition) or 'any' (at least one)")
        when = raw.get("when") or []
        if isinstance(when, Mapping | str):
            when = [when]
        conds = tuple(_condition(c, schema, source, rid, line) for c in when)
        outputs = _outputs(raw, schema, where)
        rules.append(Rule(rid, conds, match, outputs, line))
    if schema.catch_all_last and rules[-1].conditions:
        last = rules[-1]
        raise ParameterError(f"{_where(source, last.line, last.id)}: the last of the "
                             f"{schema.kind} must be a catch-all (a rule with no condition), so "
                             "that every customer is placed; add one at the end")
    return RuleSet(tuple(rules), schema, source)


def _outputs(raw: Mapping[str, Any], schema: RuleSchema, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, allowed in schema.outputs.items():
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in schema.required:
                raise ParameterError(f"{where}: no {name}; every rule of the {schema.kind} sets "
                                     f"one" + (f" of {list(allowed)}" if allowed else ""))
            continue
        text = str(value).strip()
        if allowed is not None and text not in allowed:
            raise ParameterError(f"{where}: unknown {name} {text!r}; use one of {list(allowed)}")
        for ref in TEMPLATE_FIELD.findall(text):
            if name not in schema.templates:
                raise ParameterError(f"{where}: {name} {text!r} holds {{{ref}}}, but {name} is "
                                     "fixed text; remove the braces")
            if schema.fields is not None and ref not in schema.fields:
                raise ParameterError(f"{where}: {name} {text!r} names unknown field {ref!r}"
                                     + _valid_fields(schema))
        out[name] = text
    return out
