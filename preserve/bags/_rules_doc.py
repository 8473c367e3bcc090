"""Generate docs/reference/rules-bags.md from the BAG catalog (a test keeps it current).

Run ``python -m preserve.bags._rules_doc > docs/reference/rules-bags.md`` after
changing :mod:`preserve.bags.codes`.
"""

from __future__ import annotations

import re

from preserve.bags.codes import BAG

_INTRO = """\
# Bag rules (BAG)

Findings of `preserve verify` (and of building a bag, which verifies what it wrote).
Codes are stable: scripts should test codes, not wording. An **error** makes a bag
invalid (exit status 1); a **warning** is worth a look but the bag stays valid.
Each message says what is wrong and what to do; `{name}` stands for the detail filled
in (a path, an algorithm, a line). The JSON output carries the same details under
`details`, and the location under `path`, `source` (the tag file) and `line`.

Generated from `preserve/bags/codes.py` by `python -m preserve.bags._rules_doc`.
"""


def _template(text: str) -> str:
    # {path!r} and {path} read the same to a person.
    return re.sub(r"\{(\w+)(![rsa])?\}", r"{\1}", text)


def render() -> str:
    """The rules reference as Markdown, one section per code."""
    out = [_INTRO]
    for code in BAG:
        rule = BAG[code]
        out += [
            f"## {code}: {rule.title}",
            "",
            f"**{rule.severity}**. {_template(rule.template)}",
            "",
        ]
        if rule.example:
            out += [f"Example: {rule.example}", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
