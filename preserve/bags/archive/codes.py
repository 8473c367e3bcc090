"""The ``SER`` rules: why a serialized bag is refused (docs/reference/rules-profiles.md).

Refusals stop the unpacking (they are :class:`~preserve.bags.archive.ArchiveRefused`
errors carrying the code and the same refusal as a finding); nothing is written outside
the target folder either way. ``preserve verify`` reports them as findings of the bag.
SER-014 is a warning only: it does not stop anything.
"""

from __future__ import annotations

from preserve.findings import Catalog, Rule

SERIALIZATION_RULES = Catalog(
    "serialization",
    [
        Rule(
            "SER-001",
            "error",
            "not a supported archive",
            "{archive} is not a tar (plain, or compressed by gzip, bzip2 or xz) or zip file "
            "by its content; give a bag folder or one of those archives",
        ),
        Rule(
            "SER-002",
            "error",
            "unsafe member name",
            "{archive}: member {member!r} {reason}; the archive is refused (it could write "
            "outside the folder it is unpacked into)",
            example="../../etc/passwd, /tmp/x, C:\\x",
        ),
        Rule(
            "SER-003",
            "error",
            "link member",
            "{archive}: member {member!r} is a {kind}; bags hold only files and folders, "
            "so links are refused (replace the link by the file it points to)",
            example="a symlink data/x -> /etc",
        ),
        Rule(
            "SER-004",
            "error",
            "special file member",
            "{archive}: member {member!r} is a {kind}; bags hold only files and folders",
            example="a character device or FIFO",
        ),
        Rule(
            "SER-005",
            "error",
            "duplicate member",
            "{archive}: member {member!r} {reason}; repack the bag so every path occurs once",
            example="two members named bag/data/a.txt",
        ),
        Rule(
            "SER-006",
            "error",
            "names collide after normalization",
            "{archive}: members {member!r} and {other!r} differ only in case or Unicode "
            "normalization and would overwrite each other on many systems; rename one",
            example="data/Café.txt (NFC) and data/Café.txt (NFD)",
        ),
        Rule(
            "SER-007",
            "error",
            "too many members",
            "{archive} has more than {limit} members; raise the limit if the bag is genuine",
        ),
        Rule(
            "SER-008",
            "error",
            "too large when unpacked",
            "{archive} would unpack to more than {limit} bytes; raise the limit if the "
            "bag is genuine",
        ),
        Rule(
            "SER-009",
            "error",
            "compression ratio too high",
            "{archive} would unpack to {size} bytes from {packed} ({ratio:.0f} times its size, "
            "limit {limit:g}); this looks like a decompression bomb",
            example="a 10 KB .tar.gz holding 10 MB of zeros",
        ),
        Rule(
            "SER-010",
            "error",
            "member size differs from its header",
            "{archive}: member {member!r} holds {found} bytes, not the {declared} its header "
            "declares; the archive is corrupt or hostile",
        ),
        Rule(
            "SER-011",
            "error",
            "not one top-level folder",
            "{archive}: {reason}; a serialized bag has exactly one top-level folder, named "
            "after the bag (RFC 8493 §4.2)",
            example="a zip of bagit.txt and data/ without their folder",
        ),
        Rule(
            "SER-012",
            "error",
            "unsupported member",
            "{archive}: member {member!r} is {kind}, which preserve does not unpack; "
            "repack the bag with plain files",
            example="an encrypted zip member, a sparse tar member",
        ),
        Rule(
            "SER-013",
            "error",
            "corrupt archive",
            "{archive} cannot be read: {error}; check the file was copied completely",
        ),
        Rule(
            "SER-014",
            "warning",
            "top folder not named after the archive",
            "{archive}: its top-level folder is {top!r}, not named after the archive; "
            "RFC 8493 §4.2 says the archive should have the bag folder's name plus an "
            "extension (rename one of them)",
            example="bag.tar holding other-name/bagit.txt",
        ),
    ],
)
