# ruff: noqa: E501 - messages are prose, one per line, easier to review unwrapped
"""The mandate's receipt and the citizen's withdrawal of a mandate, in French and in English:
what a citizen reads, in plain words (docs/mediation.md, "The citizen withdraws").

Kept beside :mod:`renderer.i18n_mediation` (the mediators' own pages) and merged by
:mod:`renderer.i18n` into one catalogue.
"""

from __future__ import annotations

MANDATE_MESSAGES: dict[str, dict[str, str]] = {
    # The receipt: the mediator's page (renderer/mediators/pages.py) and its PDF.
    "mr_title": {"fr": "Récépissé de mandat", "en": "Mandate receipt"},
    "mr_intro": {
        "fr": "Vous avez donné votre accord à {structure} pour faire avec vous la démarche ci-dessous et l'envoyer en votre nom. Gardez ce papier.",
        "en": "You allowed {structure} to do the procedure below with you and to send it on your behalf. Keep this paper.",
    },
    "mr_mediator": {"fr": "Avec qui", "en": "With whom"},
    "mr_mediator_value": {"fr": "{mediator}, de {structure}", "en": "{mediator}, of {structure}"},
    "mr_given": {"fr": "Accord donné le", "en": "Consent given on"},
    "mr_consent": {"fr": "Comment vous avez donné votre accord", "en": "How you gave your consent"},
    "mr_consent_ecran": {
        "fr": "Vous avez lu et accepté le mandat sur l'écran",
        "en": "You read and accepted the mandate on the screen",
    },
    "mr_consent_papier": {
        "fr": "Vous avez signé le mandat papier",
        "en": "You signed the paper mandate",
    },
    "mr_scope": {
        "fr": "Cet accord sert pour un seul dossier. Il prend fin quand le dossier est envoyé, à la date ci-dessus, ou quand vous le retirez.",
        "en": "This consent is for one file only. It ends when the file is sent, on the date above, or when you withdraw it.",
    },
    "mr_withdraw_title": {"fr": "Retirer votre accord", "en": "Withdraw your consent"},
    "mr_withdraw_how": {
        "fr": "Vous pouvez retirer votre accord à tout moment, sans donner de raison. Pour cela, ouvrez ce lien :",
        "en": "You can withdraw your consent at any time, without giving a reason. To do so, open this link:",
    },
    "mr_withdraw_code": {
        "fr": "Ou allez sur {address} et tapez ce code de retrait :",
        "en": "Or go to {address} and type this withdrawal code:",
    },
    "mr_code": {"fr": "Code de retrait", "en": "Withdrawal code"},
    "mr_link": {"fr": "Lien de retrait", "en": "Withdrawal link"},
    "mr_without_internet": {
        "fr": "Sans internet : demandez à {structure} de retirer votre accord, ou faites-vous aider par une personne de confiance.",
        "en": "Without internet: ask {structure} to withdraw your consent, or get help from someone you trust.",
    },
    "mr_print": {
        "fr": "L'accord est enregistré. Imprimez ce récépissé (Ctrl + P) et remettez-le à la personne.",
        "en": "The consent is recorded. Print this receipt (Ctrl + P) and give it to the person.",
    },
    "mr_pdf": {"fr": "Télécharger le récépissé (PDF)", "en": "Download the receipt (PDF)"},
    "mr_continue": {
        "fr": "Commencer la démarche avec la personne",
        "en": "Start the procedure with the person",
    },
    "mr_receipt_link": {"fr": "Récépissé", "en": "Receipt"},
    "mr_state": {"fr": "État", "en": "Status"},
    "mr_state_active": {"fr": "En cours", "en": "In force"},
    "mr_state_withdrawn": {
        "fr": "Retiré par la personne le {date}",
        "en": "Withdrawn by the person on {date}",
    },
    # The citizen's withdrawal (renderer/citizens/mandate_withdrawal.py).
    "mw_code_title": {
        "fr": "Retirer votre accord à un médiateur",
        "en": "Withdraw your consent to a mediator",
    },
    "mw_code_intro": {
        "fr": "Tapez le code de retrait écrit sur le récépissé qui vous a été remis quand vous avez donné votre accord.",
        "en": "Type the withdrawal code written on the receipt you were given when you gave your consent.",
    },
    "mw_code_label": {"fr": "Code de retrait", "en": "Withdrawal code"},
    "mw_code_button": {"fr": "Continuer", "en": "Continue"},
    "mw_code_wrong": {
        "fr": "Ce code n'est pas reconnu. Vérifiez-le sur votre récépissé.",
        "en": "This code is not recognised. Check it on your receipt.",
    },
    "mw_link_wrong_title": {"fr": "Ce lien ne fonctionne pas", "en": "This link does not work"},
    "mw_link_wrong_body": {
        "fr": "Vérifiez que vous avez copié le lien en entier, ou tapez le code de retrait écrit sur votre récépissé.",
        "en": "Check that you copied all of the link, or type the withdrawal code written on your receipt.",
    },
    "mw_title": {"fr": "Votre accord à {structure}", "en": "Your consent to {structure}"},
    "mw_intro": {
        "fr": "Vous avez autorisé {structure} à faire cette démarche avec vous et à l'envoyer en votre nom.",
        "en": "You allowed {structure} to do this procedure with you and to send it on your behalf.",
    },
    "mw_structure": {"fr": "Structure", "en": "Organisation"},
    "mw_button": {"fr": "Retirer mon accord", "en": "Withdraw my consent"},
    "mw_button_hint": {
        "fr": "Ensuite, {structure} ne pourra plus envoyer cette démarche en votre nom. Vous pourrez toujours la faire vous-même, ou donner un nouvel accord.",
        "en": "After that, {structure} can no longer send this procedure on your behalf. You can still do it yourself, or give a new consent.",
    },
    "mw_done": {
        "fr": "Votre accord est retiré. {structure} ne peut plus envoyer cette démarche en votre nom.",
        "en": "Your consent is withdrawn. {structure} can no longer send this procedure on your behalf.",
    },
    "mw_withdrawn": {
        "fr": "Cet accord a été retiré le {date}. Il ne permet plus rien.",
        "en": "This consent was withdrawn on {date}. It no longer allows anything.",
    },
    "mw_used": {
        "fr": "Cet accord a déjà servi : le dossier a été envoyé. Il ne permet plus rien. Pour suivre le dossier, utilisez la fiche de remise.",
        "en": "This consent has already been used: the file was sent. It no longer allows anything. To follow the file, use the handover sheet.",
    },
    "mw_expired": {
        "fr": "Cet accord a pris fin le {date}. Il ne permet plus rien.",
        "en": "This consent ended on {date}. It no longer allows anything.",
    },
}
