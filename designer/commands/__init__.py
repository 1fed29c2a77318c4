"""One module per `parcours` command; designer/cli.py lists them (see its docstring)."""
