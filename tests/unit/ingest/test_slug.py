"""Bag names from untrusted text are always safe folder names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preserve.ingestion.slug import MAX_SLUG, bag_name, slugify

SAFE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        pytest.param(
            "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99",
            "avp-rf-f-0104-op-19-p-124-d-3-ll-97-99",
            id="citation",
        ),
        pytest.param("../../etc/passwd", "etc-passwd", id="traversal"),
        pytest.param("/abs/path", "abs-path", id="absolute"),
        pytest.param(".hidden", "hidden", id="leading-dot"),
        pytest.param("Ré­sumé", "resume", id="accents-and-soft-hyphen"),
        pytest.param("Résumé", "resume", id="nfd-equals-nfc"),
        pytest.param("АВП РФ", "", id="cyrillic-only"),
        pytest.param("CON", "con-record", id="windows-device"),
        pytest.param("a\x00b\nc", "a-b-c", id="control-characters"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@given(st.text())
def test_any_text_gives_a_safe_name_or_nothing(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or SAFE.match(slug)
    assert len(slug) <= MAX_SLUG


@given(st.lists(st.one_of(st.none(), st.text()), max_size=3), st.text())
def test_bag_name_is_never_empty_or_unsafe(candidates: list[str | None], key: str) -> None:
    name = bag_name(*candidates, key=key)
    assert SAFE.match(name)


def test_fallbacks_in_order() -> None:
    assert bag_name(None, "record-177827", "001", key="k") == "record-177827"
    assert bag_name("АВП", None, "001_92db", key="k") == "001-92db"
    assert bag_name("АВП", None, "", key="k").startswith("record-")
    assert bag_name(None, key="a") != bag_name(None, key="b")
