"""AUD-nnn: what an audit can find (docs/reference/rules-audit.md is written from these)."""

from __future__ import annotations

from preserve.findings import Catalog, Rule

AUDIT_RULES = Catalog(
    "audit",
    [
        Rule(
            "AUD-001",
            "error",
            "payload file changed",
            "{path}: its {algorithm} digest is {found}, the manifest says {expected}; "
            "restore the file from a replica and audit the bag again",
        ),
        Rule(
            "AUD-002",
            "error",
            "payload file missing",
            "{path} is listed in the manifest but is not in the bag; "
            "restore it from a replica and audit the bag again",
        ),
        Rule(
            "AUD-003",
            "error",
            "unexpected payload file",
            "{path} is in data/ but in no manifest; find out who added it, then remove it "
            "or rebuild the bag",
        ),
        Rule(
            "AUD-004",
            "error",
            "payload file moved",
            "{path} is listed in the manifest but its content is now at {moved_to}; "
            "move it back (or rebuild the bag if the rename was intended)",
        ),
        Rule(
            "AUD-005",
            "error",
            "tag file changed",
            "tag file {path} does not match the tag manifest ({algorithm} {found}, "
            "expected {expected}); restore it from a replica",
        ),
        Rule(
            "AUD-006",
            "error",
            "manifest changed since last audit",
            "{path} differs from the copy seen at the last passed audit ({last_passed_at}); "
            "someone rewrote the manifests: compare the bag with a replica, and re-audit with "
            "--accept-manifests only if the change was intended",
        ),
        Rule(
            "AUD-007",
            "error",
            "file unreadable",
            "{path} could not be read ({reason}); check permissions and the storage mount, "
            "then audit again (the file is not reported as missing)",
        ),
        Rule(
            "AUD-008",
            "error",
            "bag inaccessible",
            "the bag could not be read ({reason}); check that its storage is mounted and "
            "readable, then audit again (nothing is reported as missing)",
        ),
        Rule(
            "AUD-009",
            "error",
            "bag structure invalid",
            "{reason}; the bag cannot be audited until it is repaired from a replica",
        ),
        Rule(
            "AUD-010",
            "warning",
            "budget cannot cover the collection",
            "{reason}; raise the budget, run more often or lengthen --max-age",
        ),
        Rule(
            "AUD-011",
            "error",
            "ledger chain broken",
            "ledger row {row} {reason}; the ledger was edited outside preserve: "
            "restore it from a backup and compare with a recorded witness (preserve ledger head)",
        ),
        Rule(
            "AUD-012",
            "error",
            "copies of a bag disagree",
            "{reason}; compare the copies (preserve compare) and repair the bad one from a "
            "good one (preserve repair DAMAGED --from GOOD)",
        ),
    ],
)
