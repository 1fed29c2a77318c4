"""`obtainable-data` when `prefill` names a provider Parcours does not fill the concept from."""

from __future__ import annotations

from .test_rules import check, journey, lines, marked

TAX = """\
prefill: [{prefill}]
steps:
  a:
    title: Vous
    questions:
      rfr: # here
        type: integer
        label: Votre revenu fiscal de référence
        concept: fiscal.revenu_fiscal_reference
        purpose: Calculer l'aide.
    next: fin
outcomes:
  fin: {{kind: submit, title: Fin}}
"""


def test_a_provider_parcours_does_not_fill_from_leaves_the_finding() -> None:
    # API Particulier v3 has no tax notice: declaring it in `prefill` fills nothing, and the
    # checker says so instead of keeping quiet.
    text = journey(TAX.format(prefill="api-particulier-impot"))
    found = [f for f in check(text) if f.rule == "obtainable-data"]
    assert lines(found, "obtainable-data") == marked(text)
    assert "cannot prefill this from that provider" in found[0].message
    assert "api-particulier-impot" in found[0].message
