"""Collection defaults fill only absent fields, never overwrite, and are marked as supplied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preserve.errors import DefaultsError
from preserve.records.defaults import apply_defaults, load_defaults
from preserve.records.extract.run import extract_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "extract"
RIGHTS = {
    "statement": "Reproduced by permission.",
    "uri": "http://rightsstatements.org/vocab/InC-EDU/1.0/",
}


def test_fills_absent_fields_and_lists_their_pointers() -> None:
    record: dict[str, Any] = {"title": "T", "archive_reference": {"fond": "1"}}
    defaults = {"rights": RIGHTS, "archive_reference": {"repository": "AVP RF", "fond": "9"}}
    out = apply_defaults(record, defaults)
    assert out["rights"] == RIGHTS
    assert out["archive_reference"] == {"fond": "1", "repository": "AVP RF"}
    assert out["extraction"]["supplied"] == [
        "/rights/statement",
        "/rights/uri",
        "/archive_reference/repository",
    ]
    assert record == {"title": "T", "archive_reference": {"fond": "1"}}  # input untouched


def test_never_overwrites_even_empty_values() -> None:
    record: dict[str, Any] = {"translators": [], "summary": "", "copy_number": 0}
    out = apply_defaults(record, {"translators": ["X"], "summary": "S", "copy_number": 1})
    assert out == {"translators": [], "summary": "", "copy_number": 0}


def test_appends_to_existing_supplied_without_duplicates() -> None:
    record: dict[str, Any] = {"extraction": {"supplied": ["/summary"], "source": "a.txt"}}
    out = apply_defaults(record, {"summary": "S", "author": "A"})
    assert out["extraction"] == {"supplied": ["/summary", "/author"], "source": "a.txt"}


def test_pointer_escaping_and_reserved_keys() -> None:
    out = apply_defaults({}, {"a/b~c": 1, "extraction": {"x": 1}, "schema_version": "9"})
    assert out == {"a/b~c": 1, "extraction": {"supplied": ["/a~1b~0c"]}}


def test_extracted_record_gets_defaults_marked(tmp_path: Path) -> None:
    result = extract_file(FIXTURES / "pdf-hard-wrapped.md", defaults={"rights": RIGHTS})
    assert result.record is not None
    assert result.record["rights"] == RIGHTS
    assert result.record["extraction"]["supplied"] == ["/rights/statement", "/rights/uri"]
    kept = extract_file(FIXTURES / "pdf-hard-wrapped.md", defaults={"copy_number": 99})
    assert kept.record is not None
    assert kept.record["copy_number"] == 3
    assert kept.record["extraction"]["supplied"] == []


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)
_objects = st.dictionaries(st.text(min_size=1, max_size=3), _json, max_size=4)


@given(_objects, _objects)
def test_no_value_the_record_carries_is_changed(
    record: dict[str, Any], defaults: dict[str, Any]
) -> None:
    record.pop("extraction", None)
    out = apply_defaults(record, defaults)
    out.pop("extraction", None)

    carried = _leaves(record)
    filled = _leaves(out)
    assert all(filled[path] == value for path, value in carried.items())


def _leaves(obj: Any, base: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every non-object value by its key path (an empty object has none: defaults may fill it)."""
    if isinstance(obj, dict):
        return {p: v for key, val in obj.items() for p, v in _leaves(val, (*base, key)).items()}
    return {base: obj}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "d.json", '{"rights": {"statement": "S"}}', {"rights": {"statement": "S"}}, id="json"
        ),
        pytest.param(
            "d.toml", '[rights]\nstatement = "S"\n', {"rights": {"statement": "S"}}, id="toml"
        ),
    ],
)
def test_load_defaults(tmp_path: Path, name: str, text: str, expected: dict[str, Any]) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert load_defaults(path) == expected


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        pytest.param("d.json", '{\n  "a": 1,\n  oops\n}', r"d\.json, line 3", id="json-line"),
        pytest.param("d.toml", "a = 1\nb = = 2\n", r"d\.toml, line 2", id="toml-line"),
        pytest.param("d.json", "[1, 2]", "must be an object", id="not-object"),
        pytest.param("d.yaml", "a: 1", r"\.json or \.toml", id="suffix"),
        pytest.param("d.json", '{"extraction": {}}', "cannot set extraction", id="reserved"),
    ],
)
def test_malformed_defaults_name_file_and_line(
    tmp_path: Path, name: str, text: str, match: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefaultsError, match=match):
        load_defaults(path)


def test_unreadable_defaults(tmp_path: Path) -> None:
    with pytest.raises(DefaultsError, match="cannot read defaults file"):
        load_defaults(tmp_path / "missing.toml")
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(DefaultsError, match="UTF-8"):
        load_defaults(bad)


def test_toml_dates_become_iso_strings(tmp_path: Path) -> None:
    # Unquoted, these are TOML dates, date-times and times, not strings: JSON has none.
    path = tmp_path / "t.toml"
    path.write_text(
        "summary = 1962-03-10T09:30:00Z\nauthor = 09:30:00\n"
        "[dates]\ndocument_date = 1962-03-10\n"
        "[[related]]\ntitle = 'A'\ndate = 1962-03-09\n",
        encoding="utf-8",
    )
    assert load_defaults(path) == {
        "summary": "1962-03-10T09:30:00+00:00",
        "author": "09:30:00",
        "dates": {"document_date": "1962-03-10"},
        "related": [{"title": "A", "date": "1962-03-09"}],
    }


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        pytest.param("typo.json", '{"rightz": {"statement": "ok"}}',
                     ["rightz: not a record field (did you mean rights?)"], id="typo"),
        pytest.param("t.toml", "[rights]\nstatement = 5\n",
                     ["rights.statement: 5 must be text in quotes"], id="number-for-text"),
        pytest.param("null.json", '{"rights": null}', ["rights: null is no value"], id="null"),
        pytest.param("t.toml", "[archive_reference]\nfnod = '0104'\n[dates]\n"
                     "document_date = 1962-03-10T10:00:00\n",
                     ["archive_reference.fnod: not a record field (did you mean fond?)",
                      'dates.document_date: "1962-03-10T10:00:00" does not have the form '
                      "YYYY-MM-DD"], id="nested-and-datetime"),
        pytest.param("t.toml", "[[related]]\ntitle = 'A'\ndate = 'March'\n",
                     ['related[0].date: "March" does not have the form'], id="list-item"),
        pytest.param("lang.json", '{"languages": {"content": "english"}, "copy_number": 0}',
                     ["languages.content: \"english\" is not allowed; use an ISO 639-2/B code",
                      "copy_number: 0 is below 1"], id="vocabulary-and-minimum"),
        pytest.param("e.json", '{"summary": "", "translators": []}',
                     ['summary: "" is empty; give a value or leave the key out',
                      "translators: [] is empty"], id="empty"),
        pytest.param("r.json", '{"rights": {"uri": "x"}}', ["rights.uri: \"x\" is not allowed"],
                     id="rights-uri"),
    ],
)  # fmt: skip
def test_defaults_that_do_not_fit_the_schema_name_the_file_and_key(
    tmp_path: Path, name: str, text: str, said: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefaultsError) as caught:
        load_defaults(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: the defaults do not fit the record schema")
    for line in said:
        assert f"\n  {line}" in message


def test_defaults_need_no_required_field() -> None:
    # A record requires a title, dates a document_date: defaults fill only part of a record.
    from preserve.records.defaults import check_defaults

    check_defaults({"rights": {"statement": "S"}, "dates": {}}, source="d.json")
    check_defaults({"archive_reference": {"repository": "AVP RF"}}, source="d.json")
    with pytest.raises(DefaultsError, match=r"^the defaults: .*\n  summry: not a record field"):
        check_defaults({"summry": "S"}, source="the defaults")
