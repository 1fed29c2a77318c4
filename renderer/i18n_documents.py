# ruff: noqa: E501 - messages are prose, one per line, easier to review unwrapped
"""The messages of the documents (acknowledgement of receipt, decision letters, letters by
post), of the contact question and of the print queue, in French and in English.

Kept beside :mod:`renderer.i18n`, which merges them into its ``MESSAGES``.
"""

from __future__ import annotations

DOCUMENT_MESSAGES: dict[str, dict[str, str]] = {
    # The documents.
    "doc_page": {"fr": "Page", "en": "Page"},
    "doc_receipt_title": {"fr": "Accusé de réception", "en": "Acknowledgement of receipt"},
    "doc_receipt_intro": {
        "fr": "Votre demande « {journey} » a bien été reçue.",
        "en": "Your application “{journey}” has been received.",
    },
    "doc_reference": {"fr": "Numéro de dossier", "en": "Reference number"},
    "doc_sent_on": {"fr": "Reçue le", "en": "Received on"},
    "doc_service": {"fr": "Service chargé du dossier", "en": "Team handling the file"},
    "doc_reissued": {"fr": "Document réédité le {date}.", "en": "Document re-issued on {date}."},
    "doc_answers": {"fr": "Vos réponses", "en": "Your answers"},
    "doc_follow": {
        "fr": "Suivez votre dossier à cette adresse :",
        "en": "Follow your file at this address:",
    },
    "doc_keep": {
        "fr": "Conservez ce document : il prouve le dépôt de votre demande.",
        "en": "Keep this document: it proves that you applied.",
    },
    "doc_dated": {"fr": "Le {date}", "en": "{date}"},
    "doc_subject": {"fr": "Objet : {subject}", "en": "Subject: {subject}"},
    "doc_greeting": {"fr": "Madame, Monsieur,", "en": "Dear Sir or Madam,"},
    "doc_regards": {
        "fr": "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.",
        "en": "Yours faithfully,",
    },
    "doc_decision_title": {"fr": "Décision", "en": "Decision"},
    "doc_decision_subject": {
        "fr": "Objet : décision sur votre dossier {reference}",
        "en": "Subject: decision on your file {reference}",
    },
    "doc_decision_accepte": {
        "fr": "Nous avons le plaisir de vous informer que votre demande « {journey} » est acceptée.",
        "en": "We are pleased to tell you that your application “{journey}” is accepted.",
    },
    "doc_decision_refuse": {
        "fr": "Nous avons le regret de vous informer que votre demande « {journey} » est refusée, pour le motif suivant :",
        "en": "We regret to tell you that your application “{journey}” is refused, for this reason:",
    },
    "doc_decision_classe_sans_suite": {
        "fr": "Votre demande « {journey} » est classée sans suite, pour le motif suivant :",
        "en": "Your application “{journey}” is closed without action, for this reason:",
    },
    "doc_decision_appeal": {
        "fr": "Vous pouvez contester cette décision dans un délai de deux mois : écrivez-nous d'abord depuis la page de suivi de votre dossier.",
        "en": "You may challenge this decision within two months: write to us first from your file's follow-up page.",
    },
    "doc_kind_receipt": {"fr": "Accusé de réception", "en": "Acknowledgement of receipt"},
    "doc_kind_decision": {"fr": "Lettre de décision", "en": "Decision letter"},
    "doc_kind_status": {"fr": "Courrier : changement de statut", "en": "Letter: status change"},
    "doc_kind_message": {"fr": "Courrier : nouveau message", "en": "Letter: new message"},
    "doc_documents": {"fr": "Documents", "en": "Documents"},
    "doc_download_receipt": {
        "fr": "Télécharger l'accusé de réception (PDF)",
        "en": "Download the acknowledgement of receipt (PDF)",
    },
    "doc_pdf": {"fr": "{name} du {date} (PDF)", "en": "{name} of {date} (PDF)"},
    # The citizen's contact choice, on the check page.
    "contact_question": {
        "fr": "Comment voulez-vous être informé du suivi de votre dossier ?",
        "en": "How do you want to hear about your file?",
    },
    "contact_email": {"fr": "Par e-mail", "en": "By email"},
    "contact_email_hint": {
        "fr": "À l'adresse que vous avez donnée.",
        "en": "At the address you gave.",
    },
    "contact_post": {"fr": "Par courrier postal, ou au guichet", "en": "By post, or at the desk"},
    "contact_post_hint": {
        "fr": "Nous vous écrirons sur papier ; vous pouvez aussi retirer nos courriers à l'accueil du service.",
        "en": "We will write to you on paper; you may also collect our letters at the service's desk.",
    },
    "contact_no_email": {
        "fr": "Vous n'avez pas donné d'adresse e-mail : choisissez le courrier, ou suivez votre dossier avec le lien donné à la page suivante.",
        "en": "You gave no email address: choose the post, or follow your file with the link given on the next page.",
    },
    # The agents' side.
    "bo_contact_channel": {"fr": "Contact choisi", "en": "Chosen contact"},
    "contact_channel_email": {"fr": "e-mail", "en": "email"},
    "contact_channel_post": {"fr": "courrier", "en": "post"},
    "bo_contact_share": {"fr": "Contact par e-mail / courrier", "en": "Contact by email / post"},
    "bo_reissue_receipt": {
        "fr": "Rééditer l'accusé de réception (PDF)",
        "en": "Re-issue the acknowledgement of receipt (PDF)",
    },
    "bo_letter_to_print": {"fr": "à imprimer", "en": "to print"},
    "bo_letter_printed": {"fr": "imprimé le {date}", "en": "printed on {date}"},
    "bo_print_queue": {"fr": "Courriers à imprimer", "en": "Letters to print"},
    "bo_print_queue_intro": {
        "fr": "Les courriers des demandeurs qui ont choisi la voie postale, du plus ancien au plus récent. Imprimez-les d'un coup (toute la page ou les courriers cochés) ou un par un, postez-les ou gardez-les à l'accueil, puis marquez-les imprimés.",
        "en": "The letters of the applicants who chose the post, oldest first. Print them at once (the whole page or the letters ticked) or one by one, post them or keep them at the desk, then mark them printed.",
    },
    "bo_print_queue_count": {"fr": "{count} courrier(s) à imprimer", "en": "{count} letter(s) to print"},
    "bo_batch_limit": {
        "fr": "Un lot compte au plus {batch} courriers : la file les présente par pages de {batch}.",
        "en": "A batch holds at most {batch} letters: the queue shows them {batch} to a page.",
    },
    "bo_batch_choose": {"fr": "Choisir", "en": "Choose"},
    "bo_batch_selection": {"fr": "Imprimer la sélection", "en": "Print the selection"},
    "bo_batch_page": {
        "fr": "Imprimer toute la page ({count} courriers)",
        "en": "Print the whole page ({count} letters)",
    },
    "bo_batch_title": {"fr": "Lot de {count} courrier(s) à imprimer", "en": "Batch of {count} letter(s) to print"},
    "bo_batch_intro": {
        "fr": "Téléchargez le lot : un seul PDF, où chaque courrier commence sur une nouvelle page, dans l'ordre de la file. Imprimez-le, puis confirmez : alors seulement ces courriers sortent de la file.",
        "en": "Download the batch: one PDF, each letter starting on a new page, in the order of the queue. Print it, then confirm: only then do these letters leave the queue.",
    },
    "bo_batch_download": {"fr": "Télécharger le lot (PDF, {count} courriers)", "en": "Download the batch (PDF, {count} letters)"},
    "bo_batch_confirm": {"fr": "J'ai imprimé ces {count} courriers", "en": "I have printed these {count} letters"},
    "bo_batch_back": {"fr": "Retour aux courriers à imprimer", "en": "Back to the letters to print"},
    "bo_batch_empty": {
        "fr": "Aucun courrier choisi : cochez les courriers à imprimer.",
        "en": "No letter chosen: tick the letters to print.",
    },
    "bo_batch_too_many": {
        "fr": "Un lot compte au plus {batch} courriers : rien n'a été changé.",
        "en": "A batch holds at most {batch} letters: nothing was changed.",
    },
    "bo_batch_unknown": {
        "fr": "Ce lot contient des courriers que vous ne pouvez pas imprimer (inconnus, ou d'un service qui n'est pas le vôtre) : rien n'a été changé.",
        "en": "This batch holds letters you may not print (unknown, or of a team that is not yours): nothing was changed.",
    },
    "bo_print_queue_empty": {"fr": "Aucun courrier à imprimer.", "en": "No letter to print."},
    "bo_print_queue_printed": {"fr": "Derniers courriers imprimés", "en": "Last letters printed"},
    "bo_mark_printed": {"fr": "Marquer imprimé", "en": "Mark printed"},
    "bo_download": {"fr": "Télécharger", "en": "Download"},
    "bo_letter_written": {"fr": "Écrit le", "en": "Written on"},
    "bo_letter_kind": {"fr": "Courrier", "en": "Letter"},
    "bo_all_services": {"fr": "Tous mes services", "en": "All my teams"},
    # The print queue's filters (renderer.agents.print_filters).
    "bo_queue_filters": {"fr": "Filtrer les courriers", "en": "Filter the letters"},
    "bo_queue_any_kind": {"fr": "Tous les courriers", "en": "All letters"},
    "bo_queue_reference": {"fr": "Numéro de dossier", "en": "File reference"},
    "bo_queue_match": {"fr": "Le numéro de dossier", "en": "The file reference"},
    "bo_queue_match_exact": {"fr": "est exactement celui-ci", "en": "is exactly this one"},
    "bo_queue_match_prefix": {"fr": "commence par", "en": "starts with"},
    "bo_queue_written": {"fr": "Écrit entre (dates UTC)", "en": "Written between (UTC dates)"},
    "bo_queue_since": {"fr": "Le (AAAA-MM-JJ)", "en": "On (YYYY-MM-DD)"},
    "bo_queue_until": {"fr": "Et le (AAAA-MM-JJ)", "en": "And on (YYYY-MM-DD)"},
    "bo_queue_clear": {"fr": "Tous les courriers à imprimer", "en": "All the letters to print"},
    "bo_queue_bad_kind": {
        "fr": "Ce genre de courrier n'existe pas : choisissez-en un dans la liste. Filtre ignoré.",
        "en": "There is no such kind of letter: choose one from the list. Filter ignored.",
    },
    "bo_queue_bad_reference": {
        "fr": "Un numéro de dossier compte au plus {size} caractères. Filtre ignoré.",
        "en": "A file reference is at most {size} characters long. Filter ignored.",
    },
    "bo_queue_bad_since": {
        "fr": "La première date n'en est pas une : écrivez-la AAAA-MM-JJ, par exemple 2026-05-04. Date ignorée.",
        "en": "The first date is not one: write it YYYY-MM-DD, for example 2026-05-04. Date ignored.",
    },
    "bo_queue_bad_until": {
        "fr": "La seconde date n'en est pas une : écrivez-la AAAA-MM-JJ, par exemple 2026-05-04. Date ignorée.",
        "en": "The second date is not one: write it YYYY-MM-DD, for example 2026-05-04. Date ignored.",
    },
    "bo_queue_bad_range": {
        "fr": "La seconde date est avant la première. Dates ignorées.",
        "en": "The second date is before the first. Dates ignored.",
    },
    # Where each answer came from, as the agents read it.
    "bo_provenance": {"fr": "Provenance", "en": "Source"},
    "bo_source_typed": {"fr": "déclaré par le demandeur", "en": "declared by the applicant"},
    "bo_source_certified": {"fr": "{source}, le {date}", "en": "{source}, on {date}"},
    "bo_source_declared": {
        "fr": "déclaré par le demandeur, qui a corrigé la donnée de {provider} le {date}",
        "en": "declared by the applicant, who corrected the data from {provider} on {date}",
    },
}
