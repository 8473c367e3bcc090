"""The ``PRO`` rules: how a bag fails a BagIt profile (docs/reference/rules-profiles.md)."""

from __future__ import annotations

from preserve.findings import Catalog, Rule

PROFILE_RULES = Catalog(
    "profiles",
    [
        Rule(
            "PRO-001",
            "error",
            "no BagIt-Profile-Identifier",
            "bag-info.txt has no BagIt-Profile-Identifier; add "
            "'BagIt-Profile-Identifier: {identifier}' to declare the profile",
            example="a bag-info.txt without the tag",
        ),
        Rule(
            "PRO-002",
            "error",
            "BagIt-Profile-Identifier names another profile",
            "bag-info.txt names the profile(s) {found}, not {identifier}; check you picked "
            "the right profile, or add 'BagIt-Profile-Identifier: {identifier}'",
            example="BagIt-Profile-Identifier: https://example.org/other.json",
        ),
        Rule(
            "PRO-003",
            "error",
            "required bag-info tag missing",
            "bag-info.txt lacks {label}, which the profile requires; add it",
            example="no Bagging-Date when the profile requires one",
        ),
        Rule(
            "PRO-004",
            "error",
            "required bag-info tag empty",
            "{label} in bag-info.txt is empty, but the profile requires a value; fill it in",
            example="Source-Organization:",
        ),
        Rule(
            "PRO-005",
            "error",
            "bag-info value not allowed",
            "{label} is {value!r}, which the profile does not accept; use one of: {allowed}",
            example="Source-Organization: Yale University (profile lists only York)",
        ),
        Rule(
            "PRO-006",
            "error",
            "bag-info tag repeated",
            "{label} occurs {count} times in bag-info.txt, but the profile allows it once; "
            "keep one",
            example="two Bagging-Date lines when repeatable is false",
        ),
        Rule(
            "PRO-007",
            "error",
            "required payload manifest missing",
            "the bag has no manifest-{algorithm}.txt, which the profile requires; "
            "rebuild the bag with {algorithm}",
            example="Manifests-Required [sha512], bag has only manifest-md5.txt",
        ),
        Rule(
            "PRO-008",
            "error",
            "payload manifest not allowed",
            "{path} uses {algorithm}, which the profile does not allow (allowed: {allowed}); "
            "rebuild the bag without it",
            example="manifest-md5.txt when Manifests-Allowed is [sha512]",
        ),
        Rule(
            "PRO-009",
            "error",
            "required tag manifest missing",
            "the bag has no tagmanifest-{algorithm}.txt, which the profile requires; "
            "rebuild the bag with {algorithm} tag manifests",
            example="Tag-Manifests-Required [sha512], no tagmanifest-sha512.txt",
        ),
        Rule(
            "PRO-010",
            "error",
            "tag manifest not allowed",
            "{path} uses {algorithm}, which the profile does not allow for tag manifests "
            "(allowed: {allowed}); rebuild the bag without it",
            example="tagmanifest-md5.txt when Tag-Manifests-Allowed is [sha512]",
        ),
        Rule(
            "PRO-011",
            "error",
            "required tag file missing",
            "{path} is required by the profile but {problem}; add it as a file",
            example="Tag-Files-Required [metadata/record.json], no such file",
        ),
        Rule(
            "PRO-012",
            "error",
            "tag file not allowed",
            "{path} is not allowed by the profile's Tag-Files-Allowed ({allowed}); "
            "remove it or move it into data/",
            example="notes.txt when Tag-Files-Allowed is [metadata/*]",
        ),
        Rule(
            "PRO-013",
            "error",
            "required payload missing",
            "{path} is required by the profile but {problem}; add it to the payload",
            example="Payload-Files-Required [data/LICENSE.txt], no such file",
        ),
        Rule(
            "PRO-014",
            "error",
            "payload file not allowed",
            "{path} is not allowed by the profile's Payload-Files-Allowed ({allowed}); "
            "remove it from the payload",
            example="data/x.exe when Payload-Files-Allowed is [data/*.tif]",
        ),
        Rule(
            "PRO-015",
            "error",
            "fetch.txt not allowed",
            "the bag has a fetch.txt, but the profile forbids it (Allow-Fetch.txt false); "
            "fetch the files into data/ and remove fetch.txt",
        ),
        Rule(
            "PRO-016",
            "error",
            "fetch.txt required",
            "the profile requires a fetch.txt (Fetch.txt-Required) and the bag has none; add one",
        ),
        Rule(
            "PRO-017",
            "error",
            "payload not empty",
            "the profile requires an empty payload (Data-Empty), but data/ holds {count} "
            "file(s) of {size} bytes; leave data/ empty or with one zero-byte file",
            example="Data-Empty true, data/a.txt of 3 bytes",
        ),
        Rule(
            "PRO-018",
            "error",
            "serialization forbidden",
            "the bag is serialized ({mime}), but the profile forbids serialization; "
            "send the bag as a folder",
        ),
        Rule(
            "PRO-019",
            "error",
            "serialization required",
            "the bag is a folder, but the profile requires a serialized bag ({accepted}); "
            "use 'preserve bag --serialize' or an archiver",
        ),
        Rule(
            "PRO-020",
            "error",
            "serialization type not accepted",
            "the archive's content is {mime}, which the profile does not accept (accepted: "
            "{accepted}); serialize the bag in an accepted format",
            example="a .tar.gz (application/gzip) when only application/zip is accepted",
        ),
        Rule(
            "PRO-021",
            "error",
            "BagIt version not accepted",
            "the bag declares BagIt-Version {version}, which the profile does not accept "
            "(accepted: {accepted}); rebuild the bag with an accepted version",
            example="BagIt-Version 0.97 when the profile accepts 1.0",
        ),
        Rule(
            "PRO-022",
            "error",
            "BagIt version unknown",
            "the bag's bagit.txt is missing or has no BagIt-Version, so the profile's "
            "Accept-BagIt-Version cannot be checked; add a valid bagit.txt",
        ),
        Rule(
            "PRO-023",
            "error",
            "bag-info line unreadable",
            "bag-info.txt cannot be read as 'label: value' lines at line {line} ({text}); "
            "fix or remove the line",
            example="a line without a colon",
        ),
    ],
)
