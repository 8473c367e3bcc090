"""Generate docs/reference/rules-bags.md from the BAG catalog (a test keeps it current).

Run ``python -m preserve.bags._rules_doc > docs/reference/rules-bags.md`` after
changing :mod:`preserve.bags.codes`.
"""

from __future__ import annotations

import re

from preserve.bags.codes import BAG, CONFORMANCE_WARNINGS

_STRICT = " (an error with `--strict`)"

_INTRO = """\
# Bag rules (BAG)

Findings of `preserve verify` (and of building a bag, which verifies what it wrote).
Codes are stable: scripts should test codes, not wording. An **error** makes a bag
invalid (exit status 1); a **warning** is worth a look but the bag stays valid.
Each message says what is wrong and what to do; `{name}` stands for the detail filled
in (a path, an algorithm, a line). The JSON output carries the same details under
`details`, and the location under `path`, `source` (the tag file) and `line`.

## Rules by BagIt version

A bag is checked by the rules of the BagIt version its bagit.txt declares; a rule
applies from the version that introduced it, with a warning where a later version
forbids what an older one allowed:

- **Before 1.0** (0.93-0.97): manifest and fetch.txt paths are read literally, decoding
  only `%0D` and `%0A` (CR and LF), as the writers of those bags encode them:
  bagit-python 1.9 and bagit-java write `%` as it is, so `data/100%25.txt` names a file
  called `100%25.txt`. A path listed twice with the same checksum (BAG-025), a payload
  manifest missing from a tag manifest (BAG-051) and bag-info padding are tolerated.
- **Before 0.97**: a payload manifest may also list tag files; they are verified as tag
  files, with the warning BAG-029.
- **1.0** (RFC 8493) and unknown versions: `%25`, `%0D` and `%0A` are decoded, and
  every rule below is applied as written.

## --strict

`preserve verify --strict` and `preserve audit --strict` ask for a bag that is exactly
RFC 8493, not merely intact: the warnings about conformance become errors (exit status
1). They are BAG-005, BAG-007, BAG-021, BAG-022, BAG-025, BAG-029, BAG-044, BAG-051,
BAG-052, BAG-053, BAG-082 and SER-014 (marked below). The other warnings (links, names
other systems cannot store, algorithms preserve cannot compute, operating-system files)
are about portability or about what could be checked, and stay warnings.

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
            f"**{rule.severity}**{_STRICT if code in CONFORMANCE_WARNINGS else ''}. "
            f"{_template(rule.template)}",
            "",
        ]
        if rule.example:
            out += [f"Example: {rule.example}", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
