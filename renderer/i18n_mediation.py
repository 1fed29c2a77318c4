# ruff: noqa: E501 - messages are prose, one per line, easier to review unwrapped
"""The mediators' pages' messages (assisted mode), and what agents and citizens read of a
mediated dossier, in French and in English.

Kept beside :mod:`renderer.i18n` (which merges them into its ``MESSAGES``, as it does
:mod:`renderer.i18n_backoffice`'s), so that ``t`` and the completeness test see one catalogue.
"""

from __future__ import annotations

MEDIATION_MESSAGES: dict[str, dict[str, str]] = {
    # The dossier's channel, as the agents read it.
    "channel_en_ligne": {"fr": "en ligne", "en": "online"},
    "channel_accompagne": {"fr": "accompagné", "en": "assisted"},
    "channel_papier": {"fr": "papier", "en": "paper"},
    "bo_channel": {"fr": "Canal", "en": "Channel"},
    "bo_channels": {"fr": "Dossiers par canal", "en": "Files by channel"},
    "bo_channel_share": {"fr": "{count} ({share} %)", "en": "{count} ({share}%)"},
    "bo_helped_by": {
        "fr": "Saisi avec l'aide de {mediator} ({structure})",
        "en": "Keyed with the help of {mediator} ({structure})",
    },
    # The mediators' pages.
    "med_name": {"fr": "Accompagnement numérique", "en": "Digital assistance"},
    "med_home": {"fr": "Dossiers accompagnés", "en": "Assisted files"},
    "med_structure": {"fr": "Structure : {structure}", "en": "Organisation: {structure}"},
    "med_new": {
        "fr": "Commencer une démarche avec une personne",
        "en": "Start a procedure with someone",
    },
    "med_none": {
        "fr": "Vous n'avez encore accompagné aucun dossier.",
        "en": "You have not assisted with any file yet.",
    },
    "med_handover_link": {"fr": "Fiche de remise", "en": "Handover sheet"},
    "med_mandate_title": {
        "fr": "Recueillir l'accord de la personne",
        "en": "Record the person's consent",
    },
    "med_mandate_intro": {
        "fr": "Avant de faire une démarche pour une personne, vous recueillez son accord : elle vous autorise à saisir cette démarche avec elle, pour une durée limitée. Lisez-lui ce mandat, ou faites-lui signer le mandat papier et gardez-le.",
        "en": "Before you do a procedure for someone, record their consent: they allow you to key this procedure with them, for a limited time. Read this mandate to them, or have them sign the paper mandate and keep it.",
    },
    "med_mandate_text": {
        "fr": "J'autorise {mediator}, de la structure {structure}, à saisir en mon nom la démarche choisie ci-dessous, avec moi, et à la transmettre. Je peux retirer mon accord à tout moment.",
        "en": "I allow {mediator}, of {structure}, to key on my behalf the procedure chosen below, with me, and to send it. I may withdraw my consent at any time.",
    },
    "med_journey": {"fr": "Démarche", "en": "Procedure"},
    "med_citizen_name": {"fr": "Nom et prénom de la personne", "en": "The person's full name"},
    "med_duration": {"fr": "Durée du mandat", "en": "Length of the mandate"},
    "med_duration_1": {"fr": "Une journée", "en": "One day"},
    "med_duration_30": {"fr": "Un mois", "en": "One month"},
    "med_duration_365": {"fr": "Un an", "en": "One year"},
    "med_consent": {
        "fr": "Comment la personne donne son accord",
        "en": "How the person gives their consent",
    },
    "med_consent_ecran": {
        "fr": "Elle a lu et accepté le mandat sur cet écran",
        "en": "They read and accepted the mandate on this screen",
    },
    "med_consent_papier": {
        "fr": "Elle a signé le mandat papier, que je conserve",
        "en": "They signed the paper mandate, which I keep",
    },
    "med_attest": {
        "fr": "J'atteste que la personne a donné son accord comme indiqué ci-dessus.",
        "en": "I attest that the person gave their consent as stated above.",
    },
    "med_start": {"fr": "Enregistrer l'accord et commencer", "en": "Record the consent and start"},
    "med_not_mediator": {
        "fr": "Seul un médiateur rattaché à une structure peut recueillir un mandat.",
        "en": "Only a mediator of an organisation may record a mandate.",
    },
    "med_name_missing": {
        "fr": "Indiquez le nom et le prénom de la personne.",
        "en": "Enter the person's full name.",
    },
    "med_name_long": {
        "fr": "Le nom doit faire 200 caractères au plus.",
        "en": "The name must be 200 characters or fewer.",
    },
    "med_consent_missing": {
        "fr": "Indiquez comment la personne a donné son accord.",
        "en": "Say how the person gave their consent.",
    },
    "med_duration_missing": {
        "fr": "Choisissez la durée du mandat.",
        "en": "Choose the length of the mandate.",
    },
    "med_journey_missing": {"fr": "Choisissez la démarche.", "en": "Choose the procedure."},
    "med_attest_missing": {
        "fr": "Attestez que la personne a donné son accord.",
        "en": "Attest that the person gave their consent.",
    },
    "med_banner": {
        "fr": "Démarche saisie par {mediator} ({structure}) avec {citizen}, qui a donné son accord jusqu'au {until}.",
        "en": "Procedure keyed by {mediator} ({structure}) with {citizen}, who consented until {until}.",
    },
    "med_mandate_over_title": {
        "fr": "Le mandat ne couvre plus cette démarche",
        "en": "The mandate no longer covers this procedure",
    },
    "med_mandate_over_body": {
        "fr": "Le mandat a expiré ou un dossier a déjà été envoyé avec lui. Recueillez à nouveau l'accord de la personne.",
        "en": "The mandate expired or a file was already sent under it. Record the person's consent again.",
    },
    "med_handover_title": {
        "fr": "Fiche de remise – dossier {reference}",
        "en": "Handover sheet – file {reference}",
    },
    "med_handover_intro": {
        "fr": "Votre dossier a été envoyé le {sent_on}, saisi avec l'aide de {structure}. Gardez cette fiche : elle vous permet de suivre votre dossier.",
        "en": "Your file was sent on {sent_on}, keyed with the help of {structure}. Keep this sheet: it lets you follow your file.",
    },
    "med_handover_reference": {"fr": "Numéro de dossier", "en": "File number"},
    "med_handover_link_label": {
        "fr": "Adresse de suivi (à taper dans un navigateur)",
        "en": "Follow-up address (type it in a browser)",
    },
    "med_mandates": {"fr": "Mandats en cours", "en": "Mandates in force"},
    "med_dossiers": {"fr": "Dossiers envoyés", "en": "Files sent"},
    "med_mandate_for": {"fr": "Pour", "en": "For"},
    "med_mandate_until": {"fr": "Valable jusqu'au", "en": "Valid until"},
    "med_withdraw": {"fr": "Retirer le mandat", "en": "Withdraw the mandate"},
    "med_withdrawn": {
        "fr": "Le mandat est retiré : la démarche ne peut plus être envoyée avec lui.",
        "en": "The mandate is withdrawn: the procedure can no longer be sent under it.",
    },
    "med_handover_code": {"fr": "Code de suivi", "en": "Follow-up code"},
    "med_handover_by_code": {
        "fr": "Sans le lien, allez sur {address} et tapez le numéro de dossier et le code de suivi.",
        "en": "Without the link, go to {address} and type the file number and the follow-up code.",
    },
    "med_handover_pdf": {"fr": "Télécharger la fiche (PDF)", "en": "Download the sheet (PDF)"},
    # The citizen's follow-up by number and code (renderer/citizens/follow_code.py).
    "follow_code_title": {"fr": "Suivre un dossier", "en": "Follow a file"},
    "follow_code_intro": {
        "fr": "Tapez le numéro de dossier et le code de suivi écrits sur la fiche qui vous a été remise.",
        "en": "Type the file number and the follow-up code written on the sheet you were given.",
    },
    "follow_code_reference": {"fr": "Numéro de dossier", "en": "File number"},
    "follow_code_reference_hint": {"fr": "Par exemple : K7QM-4TZ2", "en": "For example: K7QM-4TZ2"},
    "follow_code_code": {"fr": "Code de suivi", "en": "Follow-up code"},
    "follow_code_code_hint": {
        "fr": "12 caractères, par exemple : ABCD-EF23-GH45. Majuscules ou minuscules, avec ou sans tirets.",
        "en": "12 characters, for example: ABCD-EF23-GH45. Upper or lower case, with or without dashes.",
    },
    "follow_code_button": {"fr": "Voir mon dossier", "en": "See my file"},
    "follow_code_wrong": {
        "fr": "Ce numéro de dossier et ce code de suivi ne vont pas ensemble. Vérifiez-les sur votre fiche.",
        "en": "This file number and this follow-up code do not match. Check them on your sheet.",
    },
    "med_handover_next": {
        "fr": "À cette adresse, vous verrez où en est votre dossier et les messages du service, et vous pourrez leur répondre. Sans internet, revenez voir {structure} avec cette fiche.",
        "en": "At this address you will see how your file is going and the team's messages, and you can answer them. Without internet, come back to {structure} with this sheet.",
    },
    "med_handover_print": {
        "fr": "Imprimez cette fiche (Ctrl + P) et remettez-la à la personne.",
        "en": "Print this sheet (Ctrl + P) and give it to the person.",
    },
    "med_finish": {"fr": "Terminer l'accompagnement", "en": "End the assisted session"},
    "med_finish_hint": {
        "fr": "Une fois la fiche remise : la personne suivante ne pourra pas revenir sur les pages de cette démarche.",
        "en": "Once the sheet is handed over: the next person cannot come back to this procedure's pages.",
    },
    "med_confirmation_handover": {
        "fr": "Imprimer la fiche de remise pour la personne",
        "en": "Print the handover sheet for the person",
    },
    # Keying a paper form at the desk.
    "key_title": {"fr": "Saisir un formulaire papier", "en": "Key in a paper form"},
    "key_intro": {
        "fr": "Choisissez la démarche du formulaire papier reçu. Le dossier créé suit le même circuit qu'un dossier déposé en ligne.",
        "en": "Choose the procedure of the paper form received. The file it makes follows the same course as one sent online.",
    },
    "key_journey_title": {"fr": "Saisie papier : {journey}", "en": "Paper keying: {journey}"},
    "key_screen_intro": {
        "fr": "Saisissez les réponses dans l'ordre et avec les numéros du formulaire papier. Les réponses aux questions que le formulaire fait sauter ne sont pas gardées.",
        "en": "Key the answers in the paper form's order and numbers. Answers to questions the form skips are not kept.",
    },
    "key_scan": {"fr": "Scan du formulaire papier", "en": "Scan of the paper form"},
    "key_scan_hint": {
        "fr": "PDF, JPG ou PNG, 10 Mo au plus, avec les pièces jointes.",
        "en": "PDF, JPG or PNG, 10 MB at most, with the documents attached.",
    },
    "key_scan_missing": {
        "fr": "Joignez le scan du formulaire papier.",
        "en": "Attach the scan of the paper form.",
    },
    "key_scan_bad": {
        "fr": "Le scan doit être un PDF, JPG ou PNG de 10 Mo au plus.",
        "en": "The scan must be a PDF, JPG or PNG of 10 MB at most.",
    },
    "key_not_submitted": {
        "fr": "Ces réponses mènent à « {outcome} » : elles ne font pas de dossier.",
        "en": "These answers lead to “{outcome}”: they make no file.",
    },
    "key_part": {"fr": "Partie {n}. {title}", "en": "Part {n}. {title}"},
    "key_error": {"fr": "Question {n} : {message}", "en": "Question {n}: {message}"},
    "key_item_error": {
        "fr": "{item}, question {n} : {message}",
        "en": "{item}, question {n}: {message}",
    },
    "key_unasked_tick": {
        "fr": "d'après les réponses saisies, cette question ne se pose pas ; la case « Document joint au formulaire » a été décochée. Vérifiez les réponses qui y mènent, puis enregistrez à nouveau.",
        "en": "given the answers keyed, this question is not asked; the “Document attached to the form” box has been unticked. Check the answers that lead to it, then save again.",
    },
    "key_stray_tick": {
        "fr": "Question {n} : la case « Document joint au formulaire » est cochée pour un bloc qui n'est pas sur l'écran de saisie. Rien n'a été enregistré : vérifiez la saisie et enregistrez-la à nouveau, avec le scan.",
        "en": "Question {n}: the “Document attached to the form” box is ticked for a block that is not on the keying screen. Nothing was saved: check what was keyed and save it again, with the scan.",
    },
    "key_attached": {
        "fr": "Document joint au formulaire (dans le scan)",
        "en": "Document attached to the form (in the scan)",
    },
    "key_submit": {"fr": "Enregistrer le dossier", "en": "Save the file"},
    "key_sent_elsewhere": {
        "fr": "Le dossier {reference} est enregistré et transmis au service concerné.",
        "en": "File {reference} is saved and sent to the team concerned.",
    },
    "bo_keyed_scan": {"fr": "Scan du formulaire papier", "en": "Scan of the paper form"},
}
