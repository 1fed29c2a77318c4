"""Journey-complexity reports: how hard a procedure is, for whom, and what would simplify it.

`build` measures one journey, a portfolio or two versions into the models of `model`;
`formats.render` writes them as JSON, HTML or text. The commands are
designer/commands/report.py and diff.py.
"""
