"""The ``BAG`` catalog: one stable code per check of a BagIt bag (RFC 8493).

Codes are never reused for another meaning. ``docs/reference/rules-bags.md`` is
generated from this catalog (a test keeps the two in step). Severity is the
default; the verifier lowers a few errors to warnings for bags older than
BagIt 1.0 where the older specifications allowed the form (noted in the title).
"""

from __future__ import annotations

from preserve.findings import Catalog, Rule

_RULES = (
    # --- bag structure and bagit.txt (RFC 8493 §2.1.1, §2.1.2) -----------------
    Rule(
        "BAG-001",
        "error",
        "bagit.txt missing",
        "the bag has no bagit.txt; every bag declares its version there: add "
        "'BagIt-Version: 1.0' and 'Tag-File-Character-Encoding: UTF-8'",
        "a folder with data/ and manifests but no bagit.txt",
    ),
    Rule(
        "BAG-002",
        "error",
        "bagit.txt not in the exact form",
        "bagit.txt {problem}; it must be exactly two lines, 'BagIt-Version: M.N' then "
        "'Tag-File-Character-Encoding: ENCODING', with one space after each colon",
        "BagIt-Version : 1.0",
    ),
    Rule(
        "BAG-003",
        "error",
        "bagit.txt not plain UTF-8",
        "bagit.txt {problem}; save it as UTF-8 without a byte order mark",
        "bagit.txt starting with the bytes EF BB BF",
    ),
    Rule(
        "BAG-004",
        "error",
        "BagIt-Version not M.N",
        "BagIt-Version {version!r} is not of the form M.N (digits); write for example 1.0",
        "BagIt-Version: .97",
    ),
    Rule(
        "BAG-005",
        "warning",
        "BagIt-Version not known",
        "BagIt-Version {version} is not one preserve knows (0.93-0.97, 1.0); the bag was "
        "checked by the rules of BagIt 1.0: check the version it was made for",
        "BagIt-Version: 2.3",
    ),
    Rule(
        "BAG-006",
        "error",
        "tag file encoding unknown",
        "Tag-File-Character-Encoding {encoding!r} is not an encoding preserve can read, so "
        "tag files were read as UTF-8: declare a standard name such as UTF-8",
        "Tag-File-Character-Encoding: klingon",
    ),
    Rule(
        "BAG-007",
        "warning",
        "tag file encoding not UTF-8",
        "tag files are declared as {encoding}; BagIt 1.0 recommends UTF-8: use UTF-8 when "
        "the bag is next rewritten",
        "Tag-File-Character-Encoding: ISO-8859-1",
    ),
    Rule(
        "BAG-010",
        "error",
        "data/ missing",
        "the bag has no data/ directory; the payload must be in data/ (an empty payload "
        "still needs the empty directory)",
        "a bag whose files sit beside bagit.txt",
    ),
    Rule(
        "BAG-011",
        "error",
        "no payload manifest",
        "the bag has no payload manifest (manifest-ALGORITHM.txt) that preserve can check; "
        "add manifest-sha512.txt listing every file under data/",
        "a bag with only tagmanifest-md5.txt",
    ),
    Rule(
        "BAG-012",
        "error",
        "bag unreadable",
        "the bag's folder cannot be read ({reason}); nothing in it could be checked: "
        "check its permissions and the storage",
        "a bag directory with mode 000",
    ),
    # --- manifests (RFC 8493 §2.1.3, §2.4, §6.1.3) ------------------------------
    Rule(
        "BAG-020",
        "error",
        "manifest line malformed",
        "this line is not 'CHECKSUM PATH' ({problem}); fix or regenerate the manifest",
        "a line with a checksum only",
    ),
    Rule(
        "BAG-021",
        "warning",
        "md5sum-style '*' before a path",
        "the path is written with md5sum's binary marker '*'; it was accepted, but strict "
        "BagIt validators reject it: remove the '*'",
        "b1946ac92492d2347c6235b4d2611184 *data/hello.txt",
    ),
    Rule(
        "BAG-022",
        "warning",
        "path starts with './'",
        "the path starts with './'; it was read as {normalized!r}, but BagIt paths are "
        "relative to the bag without './': remove it",
        "./data/hello.txt",
    ),
    Rule(
        "BAG-023",
        "error",
        "payload manifest entry outside data/",
        "a payload manifest may list only files under data/, not {path!r}: move the entry "
        "to a tag manifest or fix the path",
        "manifest-sha256.txt listing bag-info.txt",
    ),
    Rule(
        "BAG-024",
        "error",
        "path escapes the bag",
        "the path {path!r} {reason}; it was not read: a bag may name only files inside "
        "itself, with '/' as separator",
        "../../etc/passwd",
    ),
    Rule(
        "BAG-025",
        "error",
        "path listed twice in one manifest",
        "{path!r} is listed {count} times in {source} ({same}); list each file once "
        "(warning for bags older than 1.0 when the checksums agree)",
        "data/README on two lines of manifest-sha256.txt",
    ),
    Rule(
        "BAG-026",
        "error",
        "checksum of the wrong length",
        "the checksum has {found} hex digits but {algorithm} has {expected}: the manifest "
        "is damaged or names the wrong algorithm",
        "a 32-digit checksum in manifest-sha256.txt",
    ),
    Rule(
        "BAG-027",
        "warning",
        "checksum algorithm not supported",
        "{source} uses the algorithm {algorithm!r}, which preserve cannot compute; its "
        "checksums were not checked: add a sha512 or sha256 manifest",
        "manifest-whirlpool.txt",
    ),
    Rule(
        "BAG-028",
        "error",
        "manifest lists a directory",
        "{path!r} is a directory; manifests list files only: remove the entry",
        "a line naming data/images",
    ),
    # --- completeness (RFC 8493 §3) ---------------------------------------------
    Rule(
        "BAG-030",
        "error",
        "listed file missing",
        "{path!r} is listed in {source} but is not in the bag: restore it from a copy",
        "a manifest entry whose file was deleted",
    ),
    Rule(
        "BAG-031",
        "error",
        "payload file not in any manifest",
        "{path!r} is in data/ but no payload manifest lists it: remove it, or rebuild the "
        "manifests if it belongs to the bag",
        "a file added to data/ after the bag was made",
    ),
    Rule(
        "BAG-032",
        "error",
        "payload file missing from one manifest",
        "{path!r} is not listed in {source}; in BagIt 1.0 every payload manifest lists every "
        "payload file: regenerate that manifest",
        "a file in manifest-sha512.txt but not in manifest-sha256.txt",
    ),
    Rule(
        "BAG-029",
        "warning",
        "payload manifest lists a tag file (before BagIt 0.97)",
        "{source} lists the tag file {path!r}; BagIt {version} allowed it, and its checksum "
        "was verified, but since 0.97 a payload manifest lists only files under data/: "
        "move the entry to a tag manifest when the bag is next rewritten",
        "a 0.96 manifest-md5.txt listing bag-info.txt",
    ),
    Rule(
        "BAG-033",
        "error",
        "file cannot be read",
        "{path!r} exists but cannot be read ({reason}): check its permissions and the "
        "storage, then verify again",
        "a payload file with mode 000",
    ),
    Rule(
        "BAG-034",
        "error",
        "symbolic link leaves the bag",
        "{path!r} is a symbolic link {reason}; it was not followed: replace it with the "
        "file itself",
        "data/passwd -> /etc/passwd",
    ),
    Rule(
        "BAG-035",
        "warning",
        "symbolic link in the bag",
        "{path!r} is a symbolic link to {target!r} inside the bag; it was verified through "
        "the link, but links do not survive every copy or archive: store the file itself",
        "data/latest.tif -> 2024.tif",
    ),
    Rule(
        "BAG-036",
        "error",
        "not a regular file",
        "{path!r} is a {kind}, not a regular file; it was not read: remove it from the bag",
        "a named pipe under data/",
    ),
    Rule(
        "BAG-037",
        "error",
        "file changed while verified",
        "{path!r} changed (size or modification time) while it was read; something is "
        "writing to the bag: stop it and verify again",
        "a log file still being appended to",
    ),
    # --- fixity (RFC 8493 §3, §2.2.2) -------------------------------------------
    Rule(
        "BAG-040",
        "error",
        "payload checksum mismatch",
        "{path!r} does not match its {algorithm} checksum in {source} (expected {expected}, "
        "found {found}): the file changed or is damaged; restore it from a copy",
        "one byte of data/scan.tif flipped",
    ),
    Rule(
        "BAG-041",
        "error",
        "tag file checksum mismatch",
        "tag file {path!r} does not match its {algorithm} checksum in {source} (expected "
        "{expected}, found {found}): the tag file was edited or damaged",
        "bag-info.txt edited after the bag was made",
    ),
    Rule(
        "BAG-042",
        "error",
        "Payload-Oxum mismatch",
        "Payload-Oxum says {declared} (bytes.files) but data/ holds {actual}: files were "
        "added, removed or changed in size",
        "Payload-Oxum: 58.2 with three payload files",
    ),
    Rule(
        "BAG-043",
        "error",
        "Payload-Oxum malformed",
        "Payload-Oxum {value!r} is not OCTETS.FILES (two whole numbers): fix or remove it",
        "Payload-Oxum: 12 KB",
    ),
    Rule(
        "BAG-044",
        "warning",
        "reserved bag-info element repeated",
        "{label} appears {count} times in bag-info.txt but should appear once: keep one",
        "two Bagging-Date lines",
    ),
    Rule(
        "BAG-045",
        "error",
        "Payload-Oxum repeated",
        "Payload-Oxum appears {count} times in bag-info.txt; it must appear at most once: "
        "keep the one that matches the payload",
        "two Payload-Oxum lines",
    ),
    Rule(
        "BAG-046",
        "warning",
        "no Payload-Oxum: sizes not checked (--fast)",
        "bag-info.txt has no Payload-Oxum, so the fast check could compare neither the "
        "payload's size nor its number of files with what was bagged: only that every "
        "listed file is present was checked; verify without --fast to read the checksums",
        "preserve verify --fast on a bag whose bag-info.txt has no Payload-Oxum line",
    ),
    # --- tag manifests (RFC 8493 §2.2.1, §2.2.4) ---------------------------------
    Rule(
        "BAG-050",
        "error",
        "tag manifest entry misplaced",
        "{source} lists {path!r}, but {reason}: remove the entry",
        "tagmanifest-md5.txt listing data/hello.txt",
    ),
    Rule(
        "BAG-051",
        "error",
        "payload manifest not in tag manifest",
        "{source} does not list the payload manifest {path!r}; a tag manifest must list "
        "every payload manifest: regenerate the tag manifest (warning before BagIt 1.0)",
        "tagmanifest-sha512.txt without manifest-sha512.txt",
    ),
    Rule(
        "BAG-052",
        "warning",
        "tag file not in tag manifest",
        "tag file {path!r} is not listed in {source}, so its fixity is not protected: "
        "regenerate the tag manifests",
        "a README beside bagit.txt",
    ),
    Rule(
        "BAG-053",
        "warning",
        "tag manifests list different files",
        "{source} lists {path!r} but {other} does not; all tag manifests should list the "
        "same tag files: regenerate them",
        "bag-info.txt in tagmanifest-md5.txt only",
    ),
    # --- bag-info.txt and tag-file text (RFC 8493 §2.2.2, §2.3) -------------------
    Rule(
        "BAG-060",
        "error",
        "bag-info line malformed",
        "this bag-info line is not 'Label: value' ({problem}): fix the line",
        "a line without a colon",
    ),
    Rule(
        "BAG-061",
        "error",
        "bag-info whitespace not as BagIt 1.0 requires",
        "the element {label!r} {problem}; BagIt 1.0 wants 'Label: value' with one space "
        "after the colon (older bags may pad)",
        "Contact-Name :  Edna",
    ),
    Rule(
        "BAG-062",
        "error",
        "tag file line too long",
        "line {line} of {source} is longer than {limit} characters and was not read; a "
        "tag file line this long is damage or an attack: fold or shorten the value",
        "a 10 MB bag-info line",
    ),
    Rule(
        "BAG-063",
        "error",
        "tag file not in the declared encoding",
        "{source} is not valid {encoding} at line {line}; it was read with the bad bytes "
        "kept as they are: re-save the file as {encoding} (or fix the declaration)",
        "a Latin-1 manifest in a bag declared UTF-8",
    ),
    Rule(
        "BAG-064",
        "error",
        "byte order mark in a UTF-8 tag file",
        "{source} starts with a byte order mark, which UTF-8 tag files must not have: remove it",
        "manifest-sha256.txt starting with EF BB BF",
    ),
    Rule(
        "BAG-065",
        "error",
        "tag file too large",
        "{source} is larger than {limit} bytes and was not parsed: a bag-info file this "
        "large is damage or an attack",
        "a 100 MB bag-info.txt",
    ),
    Rule(
        "BAG-066",
        "error",
        "tag manifest lists a missing tag file",
        "{path!r} is listed in {source} but is not in the bag: restore it",
        "tagmanifest-md5.txt listing a deleted bag-info.txt",
    ),
    # --- fetch.txt (RFC 8493 §2.2.3, §5.3) ---------------------------------------
    Rule(
        "BAG-070",
        "error",
        "fetch.txt line malformed",
        "this fetch.txt line is not 'URL LENGTH PATH' ({problem}): fix the line",
        "http://example.org/a.txt data/a.txt",
    ),
    Rule(
        "BAG-071",
        "error",
        "fetch.txt entry outside data/",
        "fetch.txt names {path!r}, which is not inside data/: fetched files must be payload files",
        "a fetch line naming bagit.txt",
    ),
    Rule(
        "BAG-072",
        "error",
        "fetch.txt file not in every manifest",
        "{path!r} is in fetch.txt but not in {source}: every fetched file must be in every "
        "payload manifest",
        "a fetch line for a file no manifest lists",
    ),
    Rule(
        "BAG-073",
        "error",
        "fetch.txt file not fetched",
        "{path!r} is listed in fetch.txt and in {source} but is not in the bag; preserve "
        "never downloads: fetch it from {url} and verify again",
        "a holey bag before fetching",
    ),
    # --- names (RFC 8493 §6.1.1.3, §6.1.2) --------------------------------------
    Rule(
        "BAG-080",
        "warning",
        "names differ only in case",
        "{path!r} and {other!r} differ only in upper and lower case; they collide on Windows "
        "and macOS: rename one",
        "data/hello.txt and data/HELLO.txt",
    ),
    Rule(
        "BAG-081",
        "warning",
        "names differ only in Unicode normalization",
        "{path!r} and {other!r} are the same name in different Unicode forms (NFC/NFD); "
        "they collide on macOS and confuse tools: keep one (NFC)",
        "data/Núñez in NFC and in NFD",
    ),
    Rule(
        "BAG-082",
        "warning",
        "name matches only after Unicode normalization",
        "the manifest writes {path!r} in another Unicode form than the file {other!r}; it "
        "was matched after normalization, but strict tools will miss it: rewrite the entry",
        "manifest in NFD, file name in NFC",
    ),
    Rule(
        "BAG-083",
        "warning",
        "name not portable to Windows",
        "{path!r} {reason}; Windows cannot store it: rename the file",
        "data/CON.txt or data/a:b",
    ),
    Rule(
        "BAG-084",
        "warning",
        "path longer than 255 characters",
        "{path!r} is {length} characters long; many systems refuse paths over 255: shorten "
        "the folder or file names",
        "a deeply nested payload file",
    ),
    Rule(
        "BAG-085",
        "warning",
        "operating-system file in the payload",
        "{path!r} is a file the operating system makes ({kind}), usually not meant to be "
        "preserved: remove it and rebuild the manifests unless it belongs to the record",
        "data/.DS_Store or data/Thumbs.db",
    ),
    Rule(
        "BAG-086",
        "warning",
        "name holds '%'",
        "{path!r} holds '%'; the manifests encode it as '%25' (RFC 8493), which readers "
        "older than RFC 8493 (bagit-python 1.9, bagit-java, DART) read literally, so they "
        "cannot find the file: rename it if the bag must be read by such tools",
        "data/100% cotton.txt (when building a bag)",
    ),
)

CONFORMANCE_WARNINGS = frozenset(
    {
        "BAG-005",
        "BAG-007",
        "BAG-021",
        "BAG-022",
        "BAG-025",
        "BAG-029",
        "BAG-044",
        "BAG-051",
        "BAG-052",
        "BAG-053",
        "BAG-082",
        "SER-014",
    }
)
"""Warnings about departures from RFC 8493 itself (a SHOULD, or a rule of an older
version), which ``--strict`` makes errors. The others (links, names other systems
cannot store, unsupported algorithms) are about portability or what preserve could
check, and stay warnings."""

BAG = Catalog("BAG", _RULES)
"""The bag rules by code (``BAG["BAG-040"].title``)."""
