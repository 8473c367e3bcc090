"""Write the ISO 639-2/B language codes into schemas/record.schema.json.

Run by hand when the code list changes (rarely: ISO 639-2 is stable):

    python tools/update_language_codes.py [/usr/share/iso-codes/json/iso_639-2.json]

The source is the Debian/Ubuntu ``iso-codes`` package (``apt-get install iso-codes``),
which carries the ISO 639-2 table maintained by the Library of Congress. For each
language the bibliographic (B) code is used where it differs from the terminology
(T) code (``ger`` not ``deu``); reserved ranges such as ``qaa-qtz`` are left out.
The enum lives in the schema itself so that preserve needs no extra dependency at
run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT_SOURCE = Path("/usr/share/iso-codes/json/iso_639-2.json")
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "record.schema.json"


def bibliographic_codes(source: Path) -> list[str]:
    """The sorted ISO 639-2/B codes in the iso-codes JSON file *source*."""
    entries = json.loads(source.read_text(encoding="utf-8"))["639-2"]
    codes = {e.get("bibliographic", e["alpha_3"]) for e in entries}
    return sorted(c for c in codes if len(c) == 3 and c.isalpha())


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["$defs"]["language"]["enum"] = bibliographic_codes(source)
    SCHEMA.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{SCHEMA}: {len(schema['$defs']['language']['enum'])} ISO 639-2/B codes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
