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
            example=(
                "a payload file's digest differs from its manifest (bit flip, truncation, edit)"
            ),
        ),
        Rule(
            "AUD-002",
            "error",
            "payload file missing",
            "{path} is listed in the manifest but is not in the bag; "
            "restore it from a replica and audit the bag again",
            example=(
                "a file the manifest lists is not in the bag (and its content is nowhere else in "
                "it)"
            ),
        ),
        Rule(
            "AUD-003",
            "error",
            "unexpected payload file",
            "{path} is in data/ but in no manifest; find out who added it, then remove it "
            "or rebuild the bag",
            example="a file under data/ is in no manifest (and is not a moved file)",
        ),
        Rule(
            "AUD-004",
            "error",
            "payload file moved",
            "{path} is listed in the manifest but its content is now at {moved_to}; "
            "move it back (or rebuild the bag if the rename was intended)",
            example=(
                "a listed file is gone but its content (same digest) is under another path in the"
                " bag; reported once, as moved, not as missing plus added"
            ),
        ),
        Rule(
            "AUD-005",
            "error",
            "tag file changed",
            "tag file {path} does not match the tag manifest ({algorithm} {found}, "
            "expected {expected}); restore it from a replica",
            example=(
                "a tag file listed in a tag manifest (bag-info.txt, a payload manifest …) does "
                "not match"
            ),
        ),
        Rule(
            "AUD-006",
            "error",
            "manifest changed since last audit",
            "{path} {what} the last passed audit ({last_passed_at}); someone rewrote the "
            "manifests: compare the bag with a replica, and re-audit with "
            "--accept-manifests only if the change was intended",
            example=(
                "a manifest or tag manifest differs (sha256 of the file) from the copy recorded "
                "at the bag's last *passed* check: someone changed payload and manifests "
                "together. Keeps failing until the change is accepted with `--accept-manifests`"
            ),
        ),
        Rule(
            "AUD-007",
            "error",
            "file unreadable",
            "{path} could not be read ({reason}); check permissions and the storage mount, "
            "then audit again (the file is not reported as missing)",
            example=(
                "a file or folder exists but could not be read (EACCES, EIO); the bag is "
                "*inaccessible*, never *missing*"
            ),
        ),
        Rule(
            "AUD-008",
            "error",
            "bag inaccessible",
            "the bag could not be read ({reason}); check that its storage is mounted and "
            "readable, then audit again (nothing is reported as missing)",
            example=(
                "the bag, its folder or its storage root could not be read, or the root holds no "
                "bags at all (an unmounted share)"
            ),
        ),
        Rule(
            "AUD-009",
            "error",
            "bag structure invalid",
            "{reason}; the bag cannot be audited until it is repaired from a replica",
            example=(
                "no bagit.txt, no payload manifest, or a manifest line naming a path outside the "
                "bag; also a bag audited before that is no longer under a readable root"
            ),
        ),
        Rule(
            "AUD-010",
            "warning",
            "budget cannot cover the collection",
            "{reason}; raise the budget, run more often or lengthen --max-age",
            example=(
                "the budget per run, over the runs in `--max-age`, cannot cover the collection "
                "(the message gives the numbers)"
            ),
        ),
        Rule(
            "AUD-011",
            "error",
            "ledger chain broken",
            "ledger row {row} {reason}; the ledger was edited outside preserve: "
            "restore it from a backup and compare with a recorded witness (preserve ledger head)",
            example=(
                "`preserve ledger verify` found a row edited, deleted, inserted or reordered, or "
                "the witness given is not in the chain"
            ),
        ),
        Rule(
            "AUD-012",
            "error",
            "copies of a bag disagree",
            "{reason}; compare the copies (preserve compare) and repair the bad one from a "
            "good one (preserve repair DAMAGED --from GOOD)",
        ),
        Rule(
            "AUD-013",
            "error",
            "recorded move not backed by the chain",
            "{reason}; the ledger was edited outside preserve (no audit recorded this move): "
            "restore the ledger from a backup; until then the move is ignored",
            example=(
                "a row in bag_moves (where moves were kept before migration 5, outside the "
                "hash chain) that no chained checks back, such as one inserted with sqlite3"
            ),
        ),
    ],
)
