"""The REC rule catalog: every finding about records, with its code and wording.

Codes are grouped by kind: ``REC-00x`` input problems (a file or line that cannot
be read as records), ``REC-02x`` schema errors, ``REC-03x``/``REC-04x`` checks of one
record beyond the schema, ``REC-05x`` checks across the records given together.
A code is never reused for another meaning. docs/reference/rules-records.md is
generated from this module (by :mod:`preserve.rules_doc`).
"""

from __future__ import annotations

from preserve.findings import Catalog, Rule

RULES = (
    # Input problems: the file, line or row cannot be read as a record.
    Rule(
        "REC-001",
        "error",
        "file cannot be read",
        "cannot read this file ({reason}); check that it exists and that you may read it",
        example="a path that does not exist, or a file without read permission",
    ),
    Rule(
        "REC-002",
        "error",
        "not valid UTF-8",
        "{where} is not valid UTF-8 (at byte {offset}); save the file as UTF-8 and check again",
        example="a CSV saved as Windows-1251",
    ),
    Rule(
        "REC-003",
        "error",
        "binary file",
        "this looks like a binary file, not records ({reason}); "
        "give .json, .jsonl, .csv or a record document (.txt, .md, .html)",
        example="a PDF or image renamed to records.json",
    ),
    Rule(
        "REC-004",
        "error",
        "empty file",
        "the file is empty; remove it or write records into it",
        example="a zero-byte records.jsonl",
    ),
    Rule(
        "REC-005",
        "error",
        "malformed JSON",
        "not valid JSON: {reason}; fix the syntax near line {at_line}",
        example='{"title": "x",}',
    ),
    Rule(
        "REC-006",
        "error",
        "malformed JSON Lines line",
        "line {line} is not valid JSON: {reason}; each line of a .jsonl file must be "
        "one complete JSON object",
        example='a line that reads {"title": "x"',
    ),
    Rule(
        "REC-007",
        "error",
        "malformed CSV",
        "CSV row {row} cannot be read: {reason}; check quoting and the number of columns",
        example="a row with more values than the header has columns",
    ),
    Rule(
        "REC-008",
        "error",
        "CSV value cannot be converted",
        "column {column} of row {row} holds {value!r}, which is not {expected}; {advice}",
        example='copy_number "one", archive_reference.leaves "97-9x"',
    ),
    Rule(
        "REC-009",
        "error",
        "not a record object",
        "expected a JSON object (one record) but found {found}; "
        "write each record as an object {{...}}",
        example="[1, 2, 3] in a .json file",
    ),
    Rule(
        "REC-010",
        "error",
        "too large to check",
        "{what} is {size} bytes, more than the {limit} bytes preserve reads at once; {advice}",
        example="a 1 GB .json file (write it as .jsonl, one record per line)",
    ),
    Rule(
        "REC-011",
        "error",
        "unsupported file type",
        "preserve does not read {suffix!r} files as records; give .json, .jsonl, .csv, "
        ".tsv, .xlsx, .txt, .md or .html, or leave this file out",
        example="records.xls",
    ),
    Rule(
        "REC-012",
        "error",
        "nested too deeply",
        "the JSON is nested too deeply to check (about {limit} levels or more); a record "
        "is a flat object with a few nested parts, so fix the structure",
        example="[[[[[...]]]]] ten thousand levels deep",
    ),
    Rule(
        "REC-013",
        "error",
        "document cannot be extracted",
        "no record could be extracted from this document ({reason}); check it is a "
        "record page or PDF text, or write the record as JSON",
        example="a .txt file that is not a record document",
    ),
    Rule(
        "REC-014",
        "warning",
        "link leads outside",
        "skipped a symbolic link that leads outside {root}; copy the file in if it "
        "belongs to the batch",
        example="records/x.json -> /etc/passwd",
    ),
    Rule(
        "REC-015",
        "error",
        "CSV header problem",
        "the CSV header {problem}; {advice}",
        example="a header with two columns named title",
    ),
    Rule(
        "REC-016",
        "warning",
        "CSV read with a detected delimiter or encoding",
        "read as {delimiter}-separated {encoding}, not comma-separated UTF-8; if the "
        "records look wrong, export the sheet again as CSV UTF-8 (comma-separated)",
        example="a semicolon-separated export, or UTF-16 'Unicode text' with tabs",
    ),
    Rule(
        "REC-017",
        "error",
        "unknown CSV column",
        "the column {column!r} is not a field of the record schema{suggestion}; rename it "
        "to a dotted field name (docs/reference/record-schema) or remove the column",
        example="a column named archive_reference.fnod",
    ),
    Rule(
        "REC-018",
        "warning",
        "other sheets not read",
        "only the first sheet, {sheet!r}, was read; the other sheets ({others}) were not "
        "checked: put every record on the first sheet or save each sheet as its own file",
        example="a workbook with a second sheet of notes",
    ),
    Rule(
        "REC-019",
        "error",
        "workbook cannot be read",
        "no records were read from this workbook: {reason}; {advice}",
        example="records.ods, or a damaged records.xlsx",
    ),
    # Schema errors (schemas/record.schema.json).
    Rule(
        "REC-020",
        "error",
        "required field missing",
        "the required field {missing} is missing; add it",
        example="a record without /title",
    ),
    Rule(
        "REC-021",
        "error",
        "wrong type",
        "{value} is {found} but must be {expected}; {advice}",
        example='"copy_number": "1" (a string, not an integer)',
    ),
    Rule(
        "REC-022",
        "error",
        "value not in the vocabulary",
        "{value} is not allowed here; use one of: {allowed}",
        example='"document_type": "memo"',
    ),
    Rule(
        "REC-023",
        "error",
        "value has the wrong form",
        "{value} does not have the form of {what}; write it as {form}",
        example='"document_date": "3 April 1963" (write 1963-04-03)',
    ),
    Rule(
        "REC-024",
        "error",
        "unknown field",
        "{names} {verb} not part of the record schema; remove {them} or check the "
        "spelling against docs/reference/record-schema",
        example='"copy_numbr": 1',
    ),
    Rule(
        "REC-025",
        "error",
        "number out of range",
        "{value} is {problem}; {advice}",
        example='"copy_number": 0',
    ),
    Rule(
        "REC-026",
        "error",
        "schema constraint",
        "{detail}; correct the value",
        example='"translators": [] (an empty list: leave the field out instead)',
    ),
    # Checks of one record beyond the schema (records.md).
    Rule(
        "REC-030",
        "error",
        "leaf range reversed",
        "leaves {first}-{last} run backwards; write the lower leaf first ({last}-{first})",
        example="ll. 99-97",
    ),
    Rule(
        "REC-031",
        "error",
        "leaf ranges overlap",
        "leaves {this} overlap leaves {other} of the same record; merge them into one "
        "range or correct the numbers",
        example="ll. 5-7 and ll. 7-9 in one record",
    ),
    Rule(
        "REC-032",
        "error",
        "citation disagrees with its parts",
        "{problem}; make the citation and the structured archive_reference fields agree",
        example='citation "... d. 3, ll. 97-99" but "delo": "4"',
    ),
    Rule(
        "REC-033",
        "error",
        "conversation after the document",
        "the conversation date {conversation} is after the document date {document}; "
        "a record cannot describe a later conversation: check both dates",
        example="conversation 1963-04-05, document 1963-04-03",
    ),
    Rule(
        "REC-034",
        "error",
        "title date disagrees",
        "the title says {title_date!r} but the record's dates are {dates}; correct the "
        "title or the dates",
        example="title '... 28 February 1963', conversation_date 1963-02-27",
    ),
    Rule(
        "REC-035",
        "error",
        "marking disagrees with Original Classification",
        "the header marking {marking!r} disagrees with the Original Classification "
        "{original!r}; check the document header and the catalogue entry",
        example="marking Secret, Original Classification Top Secret",
    ),
    Rule(
        "REC-036",
        "error",
        "classified without copy number",
        "a {level} document must carry a copy number; add /copy_number from the header "
        '("Copy Nº 1")',
        example="classification secret, no copy_number",
    ),
    Rule(
        "REC-037",
        "error",
        "number disagrees with its printed form",
        "{field_name} is {value!r} but the document prints {printed!r} (read as "
        "{normalised!r}); correct the number",
        example='outgoing_number "100" but printed "Outgoing Nº 10"',
    ),
    Rule(
        "REC-038",
        "error",
        "letter O in a number",
        "{value!r} contains the letter O where a digit belongs; replace it with the "
        "digit 0 ({fixed!r})",
        example='"outgoing_number": "1O0"',
    ),
    Rule(
        "REC-039",
        "error",
        "translation without translator",
        "the contents say this is a translation but no translator is named; add "
        '/translators ("translated by ...")',
        example='contents "Translation - English", no translators',
    ),
    Rule(
        "REC-040",
        "error",
        "record id disagrees with URL",
        "the record id {record_id!r} does not appear in the URL {url}; correct one of "
        "them (the id is usually the URL's last path segment: {expected!r})",
        example='record_id "177828", url ".../document/177827"',
    ),
    Rule(
        "REC-041",
        "error",
        "no rights statement",
        "the record carries no rights statement; add /rights/statement and /rights/uri, "
        "or supply them for the whole batch with --defaults",
        example="seed 001 (the PDF text has no rights section)",
    ),
    Rule(
        "REC-042",
        "error",
        "rights URI not a rightsstatements.org statement",
        "{value!r} is not one of the 12 rightsstatements.org statements; {advice}",
        example='"uri": "https://rightsstatements.org/page/UND/1.0/"',
    ),
    Rule(
        "REC-043",
        "error",
        "level disagrees with the marking",
        "the level {level!r} disagrees with the {field_name} {printed!r}, which means "
        "{means!r}; correct /classification/level or the marking",
        example='level "unclassified", marking "Secret"',
    ),
    Rule(
        "REC-044",
        "error",
        "placeholder instead of a value",
        "{value!r} is a placeholder (copied from a template or the docs), not a value; "
        "put the real value from the document here or leave the field out",
        example='"rights": {"statement": "..."}',
    ),
    Rule(
        "REC-045",
        "error",
        "no such day",
        "{value!r} is not a real day ({problem}); correct the date from the document",
        example='"document_date": "1962-02-30" (February 1962 has 28 days)',
    ),
    Rule(
        "REC-046",
        "error",
        "date interval reversed",
        "the interval {value!r} ends before it starts; write the earlier date first ({fixed!r})",
        example='"conversation_date": "1962-03-03/1962-03-02"',
    ),
    # Checks across the records given together.
    Rule(
        "REC-050",
        "error",
        "duplicate record id or URL",
        "the {key_name} {key_value!r} is also used by record {other} ({other_source}); each "
        "record is deposited once: remove the duplicate or correct the {key_name}",
        example="two records with record_id 177827",
    ),
    Rule(
        "REC-051",
        "error",
        "duplicate reference and leaves",
        "the same archive reference and leaves as record {other} ({other_source}); "
        "remove the duplicate or correct the reference",
        example="two records citing f. 0104, op. 19, p. 124, d. 3, ll. 97-99",
    ),
    Rule(
        "REC-052",
        "warning",
        "duplicate title and date",
        "the same title and date as record {other} ({other_source}); check whether "
        "one is a duplicate",
        example="two records titled '... 28 February 1963' dated 1963-04-03",
    ),
    Rule(
        "REC-053",
        "error",
        "duplicate text",
        "the same text (SHA-256 {digest}) as record {other} ({other_source}); remove the duplicate",
        example="one page scraped twice under two names",
    ),
    Rule(
        "REC-054",
        "error",
        "leaves overlap another record",
        "leaves {this} overlap leaves {other_leaves} of record {other} in the same delo; "
        "two documents cannot share a leaf side: correct the leaves",
        example="ll. 5-7 and ll. 6-8 in d. 3",
    ),
    Rule(
        "REC-055",
        "warning",
        "outgoing numbers out of date order",
        "outgoing No. {number} dated {date} breaks the date order of the other numbers "
        "in the same delo and year (No. {other_number} is dated {other_date}, record "
        "{other}); check the number and the date",
        example="No. 90 on 1963-04-10 beside No. 83 on 1963-03-23 and No. 100 on 1963-04-03",
    ),
    Rule(
        "REC-056",
        "warning",
        "leading zeros missing",
        "{value!r} is written without the leading zeros of {where}; a spreadsheet drops "
        "them from numbers: write {padded!r} and format the column as text",
        example='fond "104" beside fond "0104" in another record or the defaults',
    ),
    # The batch as a whole: what could not be walked, or held nothing to check.
    Rule(
        "REC-060",
        "error",
        "folder cannot be read",
        "cannot read this folder ({reason}), so nothing in it was checked; give the "
        "user running preserve permission to read it, or leave it out",
        example="a folder with mode 000 inside the batch",
    ),
    Rule(
        "REC-061",
        "error",
        "nothing to check",
        "no record was found here, so nothing was checked; give .json, .jsonl, .csv, "
        ".txt, .md, .html or .xlsx files, or a folder holding them",
        example="an empty folder, or a folder of images",
    ),
    Rule(
        "REC-062",
        "warning",
        "file given twice",
        "this is the same file as {first}, which was already read, so it was checked "
        "once; leave out the repeat (a second name or a link to the file)",
        example="preserve validate a.json a.json, or alias.json -> a.json in the folder",
    ),
)

CATALOG = Catalog("records", RULES)
"""All ``REC`` rules by code."""
