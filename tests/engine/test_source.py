"""Bad YAML is expected input: every malformed file gives findings with positions."""

from __future__ import annotations

from pathlib import Path

from designer.loading import load_journey, load_text
from designer.source import MAX_BYTES, load_document

from .helpers import HEADER, load, rules


def test_syntax_error_points_at_the_line() -> None:
    loaded = load_text(HEADER + "steps:\n  a: [unclosed\n", "j.yaml")
    assert loaded.journey is None
    [finding] = loaded.findings
    assert finding.rule == "yaml-syntax"
    # libyaml notices at the end of the file; the message names where the list began
    assert finding.line == 8
    assert "started on line 7" in finding.message


def test_duplicate_keys_are_refused_at_the_second() -> None:
    loaded = load("""
        parcours: 1
        id: essai
        title: Essai
        title: Encore
        organisation: Ville
        """)
    assert rules(loaded) == [("yaml-syntax", 4, 1)]
    assert "duplicate key 'title'" in loaded.findings[0].message
    assert "line 3" in loaded.findings[0].message


def test_tab_indentation_is_explained() -> None:
    loaded = load_text(HEADER + "steps:\n\ta: 1\n", "j.yaml")
    [finding] = loaded.findings
    assert finding.rule == "yaml-syntax"
    assert finding.line == 7
    assert "tab" in finding.message


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    loaded = load_text("\n".join(lines) + "\n", "bomb.yaml")
    [finding] = loaded.findings
    assert finding.rule == "yaml-syntax"
    assert "aliases" in finding.message


def test_small_aliases_are_fine() -> None:
    doc, findings = load_document("a: &x [1, 2]\nb: *x\n", "j.yaml")
    assert findings == []
    assert doc is not None and doc.data == {"a": [1, 2], "b": [1, 2]}


def test_fifty_megabyte_file_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    loaded = load_journey(big)
    [finding] = loaded.findings
    assert finding.rule == "yaml-syntax"
    assert "50 MB" in finding.message
    assert loaded.journey is None


def test_oversized_text_is_refused() -> None:
    loaded = load_text(b"a: " + b"x" * (MAX_BYTES + 1), "j.yaml")
    assert [f.rule for f in loaded.findings] == ["yaml-syntax"]


def test_binary_file_is_refused() -> None:
    loaded = load_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.yaml")
    [finding] = loaded.findings
    assert finding.rule == "yaml-syntax"
    assert "binary" in finding.message


def test_non_utf8_text_is_refused_with_its_line() -> None:
    loaded = load_text(b"parcours: 1\ntitle: caf\xe9\n", "latin1.yaml")
    [finding] = loaded.findings
    assert (finding.rule, finding.line) == ("yaml-syntax", 2)
    assert "UTF-8" in finding.message


def test_a_list_is_not_a_journey() -> None:
    loaded = load_text("- a\n- b\n", "list.yaml")
    [finding] = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("schema", 1, 1)
    assert "a list" in finding.message


def test_empty_file() -> None:
    loaded = load_text("# nothing\n", "empty.yaml")
    assert [f.rule for f in loaded.findings] == ["schema"]


def test_several_documents_are_refused() -> None:
    loaded = load_text("a: 1\n---\nb: 2\n", "two.yaml")
    [finding] = loaded.findings
    assert finding.rule == "yaml-syntax"
    assert finding.line == 2


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    loaded = load_journey(tmp_path / "nope.yaml")
    assert [f.rule for f in loaded.findings] == ["yaml-syntax"]


def test_yaml_1_2_scalars() -> None:
    doc, _ = load_document(
        "phone: 0472000000\nanswer: yes\nflag: true\nnone: ~\nn: 12\nx: 2.5\nq: '12'\n", "j"
    )
    assert doc is not None
    assert doc.data == {
        "phone": 472000000,
        "answer": "yes",
        "flag": True,
        "none": None,
        "n": 12,
        "x": 2.5,
        "q": "12",
    }


def test_positions_of_keys_and_values() -> None:
    doc, _ = load_document("a:\n  b:   value\n  c: [1, 2]\n", "j")
    assert doc is not None
    assert doc.key_position(("a", "b")) == (2, 3)
    assert doc.position(("a", "b")) == (2, 8)
    assert doc.position(("a", "c", 1)) == (3, 10)
    # an absent path falls back on its nearest ancestor
    assert doc.position(("a", "zzz")) == (2, 3)


def test_expression_columns_inside_quotes() -> None:
    doc, _ = load_document('w: "age > 3"\nv: age > 3\n', "j")
    assert doc is not None
    assert doc.expression_position(("w",), 4) == (1, 9)
    assert doc.expression_position(("v",), 4) == (2, 8)


def test_quoted_start_of_an_expression_is_explained() -> None:
    loaded = load_text("a:\n  when: \"vegan\" in regimes\n  b: 1\n", "j.yaml")
    [finding] = loaded.findings
    assert (finding.rule, finding.line) == ("yaml-syntax", 2)
    assert "quote the whole expression" in finding.message


def test_colon_inside_a_value_is_explained() -> None:
    loaded = load_text("title: Horaires: 9 h\n", "j.yaml")
    [finding] = loaded.findings
    assert (finding.rule, finding.line) == ("yaml-syntax", 1)
    assert "put the value in quotes" in finding.message


def test_explicit_string_tag_and_merge_keys() -> None:
    doc, findings = load_document(
        "a: !!str 12\nbase: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n", "j"
    )
    assert findings == []
    assert doc is not None
    assert doc.data["a"] == "12"
    assert doc.data["c"] == {"y": 3, "x": 1}
