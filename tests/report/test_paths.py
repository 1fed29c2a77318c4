"""Path metrics by dynamic programming agree with brute-force enumeration."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.report.paths import CyclicGraph, cost_histogram, count_paths, histograms_by_end


def all_paths(g: nx.DiGraph, start, ends):
    """Every path from start to an end, by depth-first enumeration (the slow reference)."""
    out = []

    def walk(v, path):
        path = path + [v]
        if v in ends:
            out.append(path)
            return
        for s in g.successors(v):
            walk(s, path)

    walk(start, [])
    return out


@st.composite
def dags(draw):
    n = draw(st.integers(min_value=1, max_value=9))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()):
                g.add_edge(i, j)
    cost = {v: draw(st.integers(min_value=0, max_value=4)) for v in range(n)}
    # Ends are some of the sinks; the other sinks are dead ends contributing no path.
    sinks = [v for v in range(n) if g.out_degree(v) == 0]
    ends = {v for v in sinks if draw(st.booleans()) or v == n - 1}
    drop = {e for e in g.edges if draw(st.integers(0, 5)) == 0}
    return g, cost, ends, drop


@settings(max_examples=300, deadline=None)
@given(dags())
def test_dp_equals_brute_force(case):
    g, cost, ends, drop = case
    counts = count_paths(g, 0, ends, drop_edges=drop)
    pruned = nx.DiGraph(g)
    pruned.remove_edges_from(drop)
    paths = all_paths(pruned, 0, ends)
    assert counts.total == len(paths)
    by_end = {e: sum(1 for p in paths if p[-1] == e) for e in ends}
    assert counts.by_end() == {e: n for e, n in by_end.items() if n}
    lengths = sorted(sum(cost[v] for v in p) for p in paths)
    hist = cost_histogram(counts, cost)
    assert hist.total == len(paths)
    if paths:
        assert hist.minimum == lengths[0]
        assert hist.maximum == lengths[-1]
        assert hist.median == lengths[(len(lengths) - 1) // 2]
        assert hist.mean() == pytest.approx(sum(lengths) / len(lengths))
        assert hist.counts() == {k: lengths.count(k) for k in set(lengths)}
        for v in counts.order:
            through = sum(1 for p in paths if v in p)
            assert counts.share(v) == pytest.approx(through / len(paths))
    else:
        assert hist.empty and hist.median is None and hist.minimum is None
    per_end = histograms_by_end(counts, cost)
    for end, h in per_end.items():
        ls = sorted(sum(cost[v] for v in p) for p in paths if p[-1] == end)
        assert h.counts() == {k: ls.count(k) for k in set(ls)}
        assert (h.minimum, h.median, h.maximum) == (ls[0], ls[(len(ls) - 1) // 2], ls[-1])
    assert set(per_end) == {p[-1] for p in paths}


def test_astronomical_counts_are_exact():
    # A chain of 200 diamonds: 2^200 paths, lengths 0..200 with binomial counts.
    g = nx.DiGraph()
    cost = {}
    for i in range(200):
        g.add_edge(("j", i), ("a", i))
        g.add_edge(("j", i), ("b", i))
        g.add_edge(("a", i), ("j", i + 1))
        g.add_edge(("b", i), ("j", i + 1))
        cost[("a", i)] = 1
    counts = count_paths(g, ("j", 0), {("j", 200)})
    assert counts.total == 2**200
    hist = cost_histogram(counts, cost)
    assert hist.minimum == 0 and hist.maximum == 200 and hist.median == 100
    from math import comb

    assert hist.counts()[37] == comb(200, 37)


def test_cycle_is_reported():
    g = nx.DiGraph([(0, 1), (1, 0), (1, 2)])
    with pytest.raises(CyclicGraph):
        count_paths(g, 0, {2})


@settings(max_examples=150, deadline=None)
@given(dags())
def test_path_with_cost_finds_a_path_of_that_cost(case):
    from designer.report.paths import path_with_cost

    g, cost, ends, drop = case
    counts = count_paths(g, 0, ends, drop_edges=drop)
    hist = cost_histogram(counts, cost)
    for target in range(0, 40):
        path = path_with_cost(counts, cost, target)
        if target in hist.counts():
            assert path is not None and path[0] == 0 and path[-1] in ends
            assert all(counts.graph.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))
            assert sum(cost[v] for v in path) == target
        else:
            assert path is None


def test_huge_counts_are_formatted_without_floats():
    from designer.report.html import _count as html_count
    from designer.report.text import _count as text_count

    assert text_count(2**2000) == "1.148e+602"
    assert text_count(123) == "123"
    assert html_count(2**2000).startswith("environ 10^602")
