# ruff: noqa: E501 - messages are prose, one per line, easier to review unwrapped
"""The interface messages of FranceConnect sign-in and prefilled answers, in French and
English (merged into :data:`renderer.i18n.MESSAGES`; kept apart to keep that file short)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # FranceConnect's button guidelines: the button says "S'identifier avec FranceConnect",
    # and a link "Qu'est-ce que FranceConnect ?" goes to franceconnect.gouv.fr (new window).
    "fc_button": {"fr": "S'identifier avec FranceConnect", "en": "Sign in with FranceConnect"},
    "fc_what": {"fr": "Qu'est-ce que FranceConnect ?", "en": "What is FranceConnect?"},
    "fc_new_window": {"fr": "nouvelle fenêtre", "en": "new window"},
    "fc_intro": {"fr": "Avec FranceConnect, votre identité est remplie pour vous : vous n'avez qu'à la vérifier.", "en": "With FranceConnect, your identity is filled in for you: you only check it."},
    "fc_or": {"fr": "ou", "en": "or"},
    "fc_without": {"fr": "Continuer sans FranceConnect", "en": "Continue without FranceConnect"},
    "fc_signed_in": {"fr": "Vous êtes identifié avec FranceConnect : {name}.", "en": "You are signed in with FranceConnect: {name}."},
    "fc_logout": {"fr": "Se déconnecter de FranceConnect", "en": "Sign out of FranceConnect"},
    "fc_refused_title": {"fr": "La connexion avec FranceConnect n'a pas abouti", "en": "Signing in with FranceConnect did not work"},
    "fc_refused_body": {"fr": "Rien n'a été enregistré. Vous pouvez réessayer, ou faire la démarche sans FranceConnect depuis sa page d'accueil.", "en": "Nothing was recorded. You can try again, or apply without FranceConnect from the service's start page."},
    "prefill_wrong": {"fr": "Cette information est fausse : je la corrige", "en": "This is wrong: I will correct it"},
    "prefill_check": {"fr": "Vérifiez cette information. Si elle est juste, vous n'avez rien à faire.", "en": "Check this information. If it is right, there is nothing to do."},
    "prefill_consent_title": {"fr": "Récupérer vos informations", "en": "Fetch your information"},
    "prefill_consent_button": {"fr": "Oui, récupérer mes informations", "en": "Yes, fetch my information"},
    "prefill_consent_or": {"fr": "Vous pouvez aussi répondre vous-même aux questions ci-dessous.", "en": "You can also answer the questions below yourself."},
    "prefill_declared": {"fr": "corrigé par vous", "en": "corrected by you"},
    "prefill_typed": {"fr": "saisi par vous", "en": "entered by you"},
}
