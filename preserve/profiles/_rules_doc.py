"""Generate docs/reference/rules-profiles.md from the PRO and SER catalogs.

Run ``python -m preserve.profiles._rules_doc > docs/reference/rules-profiles.md`` after
changing a rule; ``tests/unit/profiles/test_profile_docs.py`` fails while it is stale.
"""

from __future__ import annotations

from preserve.bags.archive.codes import SERIALIZATION_RULES
from preserve.findings import Catalog
from preserve.profiles.codes import PROFILE_RULES


def _table(catalog: Catalog) -> list[str]:
    out = ["| code | severity | rule | message | example |", "|---|---|---|---|---|"]
    for code, rule in catalog.items():
        cells = [code, rule.severity, rule.title, rule.template, rule.example or ""]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return out


def render() -> str:
    """The PRO and SER rules as Markdown tables."""
    return "\n".join(
        [
            "# Rules: profiles (PRO) and serialized bags (SER)",
            "",
            "Generated from `preserve/profiles/codes.py` and `preserve/bags/archive/codes.py` by",
            "`python -m preserve.profiles._rules_doc`; a test keeps it current. Codes are",
            "stable: a code is never reused for another meaning. `{name}` in a message is",
            "filled in from the bag or archive.",
            "",
            "## PRO: a bag does not conform to a BagIt profile",
            "",
            "Reported by `preserve verify BAG --profile PROFILE` (exit status 1) and by",
            "`preserve bag --profile PROFILE`, which refuses to finish such a bag.",
            "",
            *_table(PROFILE_RULES),
            "",
            "## SER: a serialized bag is refused",
            "",
            "A refusal stops unpacking before anything of the offending member is written,",
            "and the temporary folder is removed. `preserve verify` reports it as a finding",
            "of that bag (exit status 1) and goes on with the other bags of the batch.",
            "SER-014 is a warning (an error with `--strict`) and stops nothing.",
            "",
            *_table(SERIALIZATION_RULES),
            "",
        ]
    )


if __name__ == "__main__":
    print(render(), end="")  # a developer tool, not library code
