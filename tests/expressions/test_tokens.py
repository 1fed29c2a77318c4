"""The tokenizer's fast path (one pattern for well-formed expressions) gives exactly the
tokens of the character-by-character reader, its reference, on any text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from designer.expressions.tokens import read_characters, tokenize

# What expressions are made of, and what designers get wrong: accents, smart quotes,
# escapes, "&&", "=", Python's words, a dot after a number.
PIECES = st.sampled_from([
    " ", "\t", "\n", "a", "b_2", "Z", "é", "ß", "€", "0", "12", "3.5", ".", "1.", "\"", "'",
    "\\", "\\n", "\u201c", "«", "==", "!=", "<=", ">=", "<", ">", "=", "!", "&", "&&", "|",
    "||", "+", "-", "*", "/", "(", ")", "[", "]", ",", "and", "or", "not", "in", "true",
    "null", "True", "NULL", "And", "len", "x_1",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
@example('d0_voie == "gauche" and len(enfants) >= 2')
@example("abé")
@example("12a")
@example("1.5.2")
@example("'it\\'s'")
def test_the_fast_path_reads_like_the_reference(text: str) -> None:
    assert tokenize(text) == read_characters(text)


@given(st.text(max_size=30))
def test_any_text_reads_like_the_reference(text: str) -> None:
    assert tokenize(text) == read_characters(text)
