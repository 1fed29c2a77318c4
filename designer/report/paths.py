"""Path metrics by dynamic programming on a step graph, never by listing the paths.

A journey's step graph is a DAG whose runs are the paths from the start to an outcome.
Their number can be astronomical (10^54 on a 2,000-question journey), so every figure
here comes from one pass in topological order:

- the number of paths from each node to an outcome, and from the start to each node;
- the distribution of a per-node integer cost (questions, pages, seconds) over all paths,
  kept per node as a histogram ``length -> number of paths``, propagated along edges:
  ``H(v) = x^cost(v) * sum(H(s) for s in succ(v))``.

The histogram is a polynomial with non-negative integer coefficients; we store it packed
in one Python integer (Kronecker substitution: coefficient ``L`` lives in bits
``[L*w, (L+1)*w)``). Multiplying by ``x^c`` is then a shift and adding histograms is one
big-integer addition, both done in C. No coefficient overflows its ``w`` bits because a
coefficient of ``H(v)`` is at most the number of paths from ``v``, itself at most the
number from the start, and ``w`` is chosen above that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

Node = Any  # any hashable graph node; journeys use step and outcome ids
Edge = tuple[Node, Node]


class CyclicGraph(ValueError):
    """The step graph has a cycle: path metrics are undefined (the format forbids cycles)."""


@dataclass(frozen=True)
class Histogram:
    """How many paths have each total cost: a packed polynomial ``sum(n_L * x^L)``."""

    packed: int
    width: int  # bits per coefficient, a multiple of 8

    @property
    def empty(self) -> bool:
        """Whether no path was counted."""
        return self.packed == 0

    def counts(self) -> dict[int, int]:
        """The histogram as ``{cost: number of paths}``, without zero entries."""
        if not self.packed:
            return {}
        size = self.width // 8
        raw = self.packed.to_bytes((self.packed.bit_length() + 7) // 8 + size, "little")
        out: dict[int, int] = {}
        for i in range(len(raw) // size):
            n = int.from_bytes(raw[i * size : (i + 1) * size], "little")
            if n:
                out[i] = n
        return out

    @property
    def total(self) -> int:
        """The number of paths counted."""
        return sum(self.counts().values())

    @property
    def minimum(self) -> int | None:
        """The smallest cost of a path."""
        if not self.packed:
            return None
        lowest_bit = (self.packed & -self.packed).bit_length() - 1
        return lowest_bit // self.width

    @property
    def maximum(self) -> int | None:
        """The largest cost of a path."""
        if not self.packed:
            return None
        return (self.packed.bit_length() - 1) // self.width

    @property
    def median(self) -> int | None:
        """The lower median: the ceil(N/2)-th smallest cost among the N paths."""
        counts = self.counts()
        n = sum(counts.values())
        if not n:
            return None
        rank = (n + 1) // 2
        seen = 0
        for cost in sorted(counts):
            seen += counts[cost]
            if seen >= rank:
                return cost
        raise AssertionError("unreachable: the ranks add up to n")

    def mean(self) -> float | None:
        """The mean cost over all paths (each path equally likely)."""
        counts = self.counts()
        n = sum(counts.values())
        if not n:
            return None
        return sum(c * k for c, k in counts.items()) / n


@dataclass
class PathCounts:
    """Path counts of a DAG between a start and its ends (the outcomes)."""

    order: list[Node]  # the nodes reachable from the start that lead to an end, topologically
    from_start: dict[Node, int]  # number of paths start -> node
    to_end: dict[Node, int]  # number of paths node -> any end
    ends: frozenset[Node]
    start: Node
    graph: nx.DiGraph  # the graph counted, without the dropped edges

    @property
    def total(self) -> int:
        """The number of paths from the start to an end."""
        return self.to_end.get(self.start, 0)

    def by_end(self) -> dict[Node, int]:
        """Paths ending at each end reachable from the start."""
        return {n: self.from_start[n] for n in self.order if n in self.ends}

    def share(self, node: Node) -> float:
        """Share of all paths that go through ``node``: uniform over paths, not branches."""
        if not self.total:
            return 0.0
        return self.from_start.get(node, 0) * self.to_end.get(node, 0) / self.total


def _pruned(graph: nx.DiGraph, drop_edges: Iterable[Edge]) -> nx.DiGraph:
    drop = set(drop_edges)
    if not drop:
        return graph
    g = nx.DiGraph(graph)
    g.remove_edges_from(e for e in drop if g.has_edge(*e))
    return g


def count_paths(
    graph: nx.DiGraph,
    start: Node,
    ends: Iterable[Node],
    drop_edges: Iterable[Edge] = (),
) -> PathCounts:
    """Count paths start -> end by dynamic programming (Python integers: no overflow).

    ``drop_edges`` are branches proven infeasible by an analysis: they are left out, so
    the counts are over feasible runs. A node that is not an end and has no successor
    is a dead end: it contributes no path.
    """
    g = _pruned(graph, drop_edges)
    end_set = frozenset(ends)
    if start not in g:
        return PathCounts([], {}, {}, end_set, start, g)
    reach = nx.descendants(g, start) | {start}
    sub = g.subgraph(reach)
    try:
        topo = list(nx.topological_sort(sub))
    except nx.NetworkXUnfeasible as exc:
        raise CyclicGraph("the step graph has a cycle") from exc
    to_end: dict[Node, int] = {}
    for v in reversed(topo):
        to_end[v] = 1 if v in end_set else sum(to_end[s] for s in sub.successors(v))
    order = [v for v in topo if to_end[v]]
    from_start: dict[Node, int] = {v: 0 for v in order}
    from_start[start] = 1 if to_end.get(start) else 0
    for v in order:
        for s in sub.successors(v):
            if to_end[s]:
                from_start[s] += from_start[v]
    return PathCounts(order, from_start, {v: to_end[v] for v in order}, end_set, start, g)


def _width(counts: PathCounts) -> int:
    """Bits per coefficient: above the number of paths (which bounds every coefficient),
    rounded up to whole bytes."""
    return max(8, -(-(counts.total.bit_length() + 1) // 8) * 8)


def _to_end(counts: PathCounts, cost: Mapping[Node, int], width: int) -> dict[Node, int]:
    """Each node's packed histogram of the costs of its paths to an end (reverse order)."""
    keep = set(counts.order)
    packed: dict[Node, int] = {}
    for v in reversed(counts.order):
        c = cost.get(v, 0)
        if c < 0:
            raise ValueError(f"negative cost at {v!r}")
        if v in counts.ends:
            acc = 1
        else:
            acc = 0
            for s in counts.graph.successors(v):
                if s in keep:
                    acc += packed[s]
        packed[v] = acc << (c * width)
    return packed


def cost_histogram(counts: PathCounts, cost: Mapping[Node, int]) -> Histogram:
    """The histogram of ``sum(cost[v] for v on the path)`` over all counted paths.

    Costs are non-negative integers; a missing node costs 0. One pass in reverse
    topological order, O(|A|) big-integer additions of O(Lmax * log2(paths)) bits.
    """
    width = _width(counts)
    return Histogram(_to_end(counts, cost, width).get(counts.start, 0), width)


def path_with_cost(counts: PathCounts, cost: Mapping[Node, int], target: int) -> list[Node] | None:
    """One path whose total cost is ``target`` (for instance the median), or None.

    Keeps every node's histogram, so it is meant for graphs small enough to draw. The
    walk goes from the start, always to the first successor (in graph order) whose own
    histogram still has a path of the remaining cost.
    """
    width = _width(counts)
    mask = (1 << width) - 1
    keep = set(counts.order)
    packed = _to_end(counts, cost, width)

    def has(v: Node, total: int) -> bool:
        return total >= 0 and (packed[v] >> (total * width)) & mask != 0

    if counts.start not in packed or not has(counts.start, target):
        return None
    path = [counts.start]
    remaining = target - cost.get(counts.start, 0)
    v = counts.start
    while v not in counts.ends:
        nxt = next(s for s in counts.graph.successors(v) if s in keep and has(s, remaining))
        path.append(nxt)
        remaining -= cost.get(nxt, 0)
        v = nxt
    return path


def histograms_by_end(counts: PathCounts, cost: Mapping[Node, int]) -> dict[Node, Histogram]:
    """For each end, the histogram of the costs of the paths ending there, in one forward
    pass: ``F(start) = x^cost(start)``, ``F(s) = x^cost(s) * sum(F(v) for v in pred(s))``.

    A coefficient of ``F(v)`` counts paths start -> v that go on to an end, at most the
    total number of paths: the same width as :func:`cost_histogram` suffices. The sum of
    the histograms of all ends is the histogram of all paths (``cost_histogram``).

    Two things keep the big integers small: each node's polynomial is stored divided by
    ``x^m(v)``, where ``m(v)`` is the cheapest cost of reaching ``v`` (its low
    coefficients are all zero), so its size follows the spread of the costs rather than
    their magnitude; and a node's polynomial is dropped as soon as its last successor has
    read it.
    """
    width = _width(counts)
    keep = set(counts.order)
    graph = counts.graph
    low: dict[Node, int] = {}  # m(v): the cheapest cost from the start to v
    packed: dict[Node, int] = {}  # F(v) / x^m(v)
    readers: dict[Node, int] = {}  # successors still to read packed[v]
    out: dict[Node, Histogram] = {}
    for v in counts.order:
        c = cost.get(v, 0)
        if c < 0:
            raise ValueError(f"negative cost at {v!r}")
        if v == counts.start:
            acc, m = 1, 0
        else:
            preds = [u for u in graph.predecessors(v) if u in keep]
            m = min(low[u] for u in preds)
            acc = 0
            for u in preds:
                acc += packed[u] << ((low[u] - m) * width) if low[u] != m else packed[u]
                readers[u] -= 1
                if not readers[u]:
                    del packed[u]
        low[v] = m + c
        if v in counts.ends:
            out[v] = Histogram(acc << (low[v] * width), width)
        n = sum(1 for s in graph.successors(v) if s in keep)
        if n:
            packed[v] = acc
            readers[v] = n
    return {v: out[v] for v in counts.order if v in out}
