"""XGov digital form builder and DEFRA forms engine definitions → journey.

`importer` walks the pages (its docstring gives the mapping); `components` says what each
component becomes; `conditions` translates the named conditions. Entry point:
``importer.import_formbuilder``.
"""
