"""DLUHC CORE (social housing lettings) form JSON → journey.

`importer` reads the form's sections and pages, `conditions` its ``depends_on``; `soft` turns
CORE's interruption screens into confirmation questions, with the translations of
`soft_rules`; `model` holds what the form refers to without defining (CORE's Ruby
model, its setup section). Entry point: ``importer.import_dluhc``.
"""
