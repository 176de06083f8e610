"""The one declarative rule engine: tiers, tags, alerts and restrictions are rule sets.

A rule is an id, conditions on named feature columns combined by ``all`` or
``any``, and outputs (a tier, a tag, a severity and an action, descriptions
in zh and en). What a kind of rule set may say is a :class:`RuleSchema`; the
concepts (``segmentation`` tiers and tags, ``alerts``, restricted customers)
each declare theirs and ship a default file. Rules are read from CSV (one
line per condition, for Excel), YAML, a table or Python lists
(:func:`load_rules`), checked with errors naming the file, line and rule
(:func:`build_rules`), and evaluated vectorised over a features frame:
:func:`first_match` (the first rule that holds: tiers, levels) and
:func:`all_matches` (every rule that holds: tags, alerts), each with the
values the rule saw.

Modules: :mod:`~creditkit.rules.spec` (rules and their checks),
:mod:`~creditkit.rules.files` (reading), :mod:`~creditkit.rules.evaluate`.

Examples
--------
>>> import pandas as pd
>>> schema = RuleSchema("tiers", outputs={"tier": ("good", "bad")}, required=("tier",),
...                     catch_all_last=True)
>>> rs = load_rules([{"id": "late", "when": [["dpd", ">=", 30]], "tier": "bad"},
...                  {"id": "rest", "tier": "good"}], schema)
>>> first_match(pd.DataFrame({"customer_id": ["a", "b"], "dpd": [30, 29]}), rs)["tier"].tolist()
['bad', 'good']
"""

from __future__ import annotations

from creditkit.rules.evaluate import all_matches, first_match, rule_masks, rules_table
from creditkit.rules.files import CSV_COLUMNS, load_rules, shipped_rules_path
from creditkit.rules.spec import (
    FIELD_KINDS,
    MATCHES,
    OPS,
    TEMPLATE_FIELD,
    Condition,
    Rule,
    RuleSchema,
    RuleSet,
    build_rules,
)

__all__ = [
    "CSV_COLUMNS",
    "FIELD_KINDS",
    "MATCHES",
    "OPS",
    "TEMPLATE_FIELD",
    "Condition",
    "Rule",
    "RuleSchema",
    "RuleSet",
    "all_matches",
    "build_rules",
    "first_match",
    "load_rules",
    "rule_masks",
    "rules_table",
    "shipped_rules_path",
]
