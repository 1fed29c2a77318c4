"""XLSForm (ODK) → journey, in the order pyxform works: read the sheets, then interpret them.

`sheets` reads a workbook (.xlsx) or pyxform's markdown tables (.md) into rows and the
survey's group tree; `texts` maps its languages to codes; `question_types` says what each
row becomes; `symbols` declares every row before any is built and translates XPath
against them; `converter` builds the journey (its docstring gives the mapping). Entry
point: ``converter.import_xlsform``.
"""
