"""What a node of a journey leads to, compared without hashing the whole journey.

`equivalent-branches` asks whether two targets of a `next` lead to the same content: the
same questions, conditions and outcomes, all the way down. :func:`signatures` says it with
a content hash per node (each step's text: its questions, then for each branch its
condition and its target's hash). Most targets differ on their first question, though:
:class:`Signatures` compares two nodes' hashed texts piece by piece, and only reads as far
as they agree. Two branches' targets that lead on to one same node agree there without
reading it; a hash is computed only where a text compares with a node without one.

Equal texts and equal hashes are the same thing (a sha256 collision aside), so
:meth:`Signatures.same` says what comparing :func:`signatures` says
(tests/analysis/test_signature.py holds them to each other).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import NamedTuple

from designer.labels import normalise_label

from .context import Context

#: Beyond this many nested comparisons (pages after pages that agree), the hashes are
#: computed instead: no recursion limit to meet on a long chain of identical pages.
_DEEPEST = 100


class _Target(NamedTuple):
    """In a step's text: where the hash of a branch's target (or its id) is written."""

    node: str


def _pieces(ctx: Context, node: str) -> Iterator[str | _Target]:
    """The text :func:`signatures` hashes for a step, its targets' hashes left as marks."""
    journey = ctx.journey
    text = journey.text
    for q in ctx.interpreter.by_step.get(node, ()):
        label = q.label
        yield repr((
            q.type, normalise_label(text(label) if label is not None else ""),
            sorted(q.options or {}), ctx.source(q.path + ("when",)), q.repeat is not None,
        ))
    for b in journey.branches(node):
        yield repr(ctx.source(b.path + ("when",)) if b.when else None)
        yield _Target(b.target)


class _Read:
    """The pieces of a text, made as far as they are read (and kept for the next read)."""

    __slots__ = ("made", "rest")

    def __init__(self, pieces: Iterator[str | _Target]) -> None:
        self.made: list[str | _Target] = []
        self.rest: Iterator[str | _Target] | None = pieces

    def at(self, i: int) -> str | _Target | None:
        """Piece ``i``, or None past the end."""
        made = self.made
        while len(made) <= i:
            if self.rest is None:
                return None
            piece = next(self.rest, None)
            if piece is None:
                self.rest = None
                return None
            made.append(piece)
        return made[i]


def _is_detour(ctx: Context, node: str) -> bool:
    """A page that asks nothing and always goes on: it leads where its target leads."""
    branches = ctx.journey.branches(node)
    return not ctx.interpreter.page.get(node) and len(branches) == 1 and branches[0].default


def signatures(ctx: Context) -> dict[str, str]:
    """A content hash of what each node leads to: its questions, conditions and outcomes."""
    journey = ctx.journey
    sig: dict[str, str] = {}
    for node in reversed(ctx.facts.order):
        if journey.is_outcome(node):
            sig[node] = hashlib.sha256(f"outcome:{node}".encode()).hexdigest()
            continue
        if _is_detour(ctx, node):
            target = journey.branches(node)[0].target
            sig[node] = sig.get(target, target)
            continue
        # The hashed text, gathered and hashed at once (the same bytes as hashing each
        # piece in turn, in one call).
        text = "".join(
            p if type(p) is str else sig.get(p.node, p.node)  # type: ignore[union-attr]
            for p in _pieces(ctx, node)
        )
        sig[node] = hashlib.sha256(text.encode()).hexdigest()
    return sig


class Signatures:
    """Whether two nodes have the same :func:`signatures` hash, read lazily."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._hashed = set(ctx.facts.order)  # the nodes :func:`signatures` gives a hash
        self._keys: dict[str, tuple[str, str]] = {}
        self._texts: dict[str, _Read] = {}
        self._same: dict[tuple[tuple[str, str], tuple[str, str]], bool] = {}
        self._all: dict[str, str] | None = None

    def same(self, a: str, b: str) -> bool:
        """Whether ``signatures(ctx).get(a, a) == signatures(ctx).get(b, b)``."""
        return a == b or self._equal(self.key(a), self.key(b), 0)

    def key(self, node: str) -> tuple[str, str]:
        """What the hash of a node is made of: ("id", node) for a node without a hash
        (its id stands for it), ("outcome", node), ("step", node), detours followed."""
        found = self._keys.get(node)
        if found is not None:
            return found
        current = node
        while True:  # the graph is acyclic: detours end
            if current not in self._hashed:
                found = ("id", current)
            elif self.ctx.journey.is_outcome(current):
                found = ("outcome", current)
            elif _is_detour(self.ctx, current):
                current = self.ctx.journey.branches(current)[0].target
                continue
            else:
                found = ("step", current)
            break
        self._keys[node] = found
        return found

    def _hash(self, key: tuple[str, str]) -> str:
        """What stands for a key in a hashed text: its node's hash, or its id."""
        if key[0] == "id":
            return key[1]
        if self._all is None:
            self._all = signatures(self.ctx)
        return self._all[key[1]]

    def _text(self, key: tuple[str, str]) -> _Read:
        """The hashed text of a key that has a hash, in pieces."""
        found = self._texts.get(key[1])
        if found is None:
            pieces = (iter([f"outcome:{key[1]}"]) if key[0] == "outcome"
                      else _pieces(self.ctx, key[1]))
            found = self._texts[key[1]] = _Read(pieces)
        return found

    def _equal(self, a: tuple[str, str], b: tuple[str, str], depth: int) -> bool:
        if a == b:
            return True
        if a[0] == "id" or b[0] == "id" or depth > _DEEPEST:
            return self._hash(a) == self._hash(b)
        pair = (a, b) if a <= b else (b, a)
        done = self._same.get(pair)
        if done is None:
            done = self._same[pair] = self._equal_texts(self._text(a), self._text(b), depth)
        return done

    def _piece(self, piece: str | _Target) -> str:
        return piece if type(piece) is str else self._hash(self.key(piece.node))  # type: ignore[union-attr]

    def _equal_texts(self, a: _Read, b: _Read, depth: int) -> bool:
        """Whether two texts are equal once joined, their marks replaced by hashes."""
        i = j = 0
        x = y = ""  # what is left to compare of the current piece of each
        while True:
            p, q = a.at(i) if not x else None, b.at(j) if not y else None
            if type(p) is _Target and type(q) is _Target:
                # Two hashes at the same place: equal when their nodes' texts are.
                if not (p.node == q.node
                        or self._equal(self.key(p.node), self.key(q.node), depth + 1)):
                    return False
                i += 1
                j += 1
                continue
            if p is not None:
                x = self._piece(p)
                i += 1
                continue
            if q is not None:
                y = self._piece(q)
                j += 1
                continue
            if not x or not y:
                return not x and not y  # one text is over: equal if the other one is too
            n = min(len(x), len(y))
            if x[:n] != y[:n]:
                return False
            x, y = x[n:], y[n:]


__all__ = ["Signatures", "signatures"]
