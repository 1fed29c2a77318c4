# ruff: noqa: E501 - messages are prose, one per line, easier to review unwrapped
"""Every message of the citizen's interface, in French and in English.

Journey texts come from the journey (``CompiledJourney.text``); the interface's own words are
here, one key per message, so that a test can check that both languages are complete.
"""

from __future__ import annotations

import re
from typing import Any

LANGUAGES = ("fr", "en")
DEFAULT = "fr"

MESSAGES: dict[str, dict[str, str]] = {
    "service_name": {"fr": "Démarches en ligne", "en": "Online services"},
    "skip_to_content": {"fr": "Aller au contenu", "en": "Skip to main content"},
    "language_switch": {"fr": "English", "en": "Français"},
    "language_switch_label": {"fr": "Read this page in English", "en": "Lire cette page en français"},
    "falc_switch": {"fr": "Version facile à lire", "en": "Easy-read version"},
    "falc_leave": {"fr": "Revenir à la version habituelle", "en": "Back to the usual version"},
    "paper_form": {"fr": "Télécharger le formulaire papier (PDF)", "en": "Download the paper form (PDF)"},
    "paper_form_hint": {
        "fr": "À imprimer et remplir à la main, puis à envoyer ou à apporter.",
        "en": "To print and fill in by hand, then to send or bring.",
    },
    "paper_unavailable_title": {"fr": "Formulaire papier indisponible", "en": "Paper form unavailable"},
    "paper_unavailable_body": {
        "fr": "Le formulaire papier de cette démarche ne peut pas être fait pour le moment. Faites la démarche en ligne, ou adressez-vous à l'accueil.",
        "en": "The paper form of this service cannot be made at the moment. Apply online, or ask at the desk.",
    },
    "home": {"fr": "Accueil", "en": "Home"},
    "colon": {"fr": " :", "en": ":"},
    "back": {"fr": "Retour", "en": "Back"},
    "continue": {"fr": "Continuer", "en": "Continue"},
    "start_now": {"fr": "Commencer", "en": "Start now"},
    "start_again": {"fr": "Recommencer depuis le début", "en": "Start again from the beginning"},
    "continue_draft": {"fr": "Reprendre ma demande en cours", "en": "Continue my application"},
    "front_title": {"fr": "Faire une démarche en ligne", "en": "Apply or report online"},
    "front_intro": {
        "fr": "Toutes les démarches proposées ici, au même endroit.",
        "en": "Every service offered here, in one place.",
    },
    "search_label": {"fr": "Rechercher une démarche", "en": "Search for a service"},
    "search_button": {"fr": "Rechercher", "en": "Search"},
    "search_results": {
        "fr": "{count} démarche(s) pour « {q} »",
        "en": "{count} service(s) for “{q}”",
    },
    "search_none": {
        "fr": "Aucune démarche ne correspond. Essayez d'autres mots.",
        "en": "No service matches. Try other words.",
    },
    "show_all": {"fr": "Voir toutes les démarches", "en": "Show every service"},
    "before_you_start": {"fr": "Avant de commencer", "en": "Before you start"},
    "what_you_need": {"fr": "Ce qu'il vous faut", "en": "What you will need"},
    "need_document": {"fr": "{label} ({kinds}, {size} au plus)", "en": "{label} ({kinds}, {size} at most)"},
    "need_each": {"fr": "{label}, pour chaque {item}", "en": "{label}, for each {item}"},
    "need_when": {"fr": "{label}, {when}", "en": "{label}, {when}"},
    "nothing_to_prepare": {
        "fr": "Aucun document à préparer.",
        "en": "You do not need any documents.",
    },
    "time_estimate": {
        "fr": "Cela prend environ {minutes} minutes.",
        "en": "It takes about {minutes} minutes.",
    },
    "time_estimate_one": {"fr": "Cela prend environ 1 minute.", "en": "It takes about 1 minute."},
    "other_channels": {"fr": "Autres moyens de faire la démarche", "en": "Other ways to apply"},
    "desk": {"fr": "Au guichet", "en": "In person"},
    "phone": {"fr": "Par téléphone", "en": "By phone"},
    "email": {"fr": "Par e-mail", "en": "By email"},
    "website": {"fr": "Site web", "en": "Website"},
    "resume_title": {"fr": "Reprendre une demande", "en": "Continue an application"},
    "resume_intro": {
        "fr": "Saisissez le code de reprise qui vous a été donné, par exemple ABCD-EFGH-JKLM.",
        "en": "Enter the resume code you were given, for example ABCD-EFGH-JKLM.",
    },
    "resume_code_label": {"fr": "Code de reprise", "en": "Resume code"},
    "resume_button": {"fr": "Reprendre", "en": "Continue"},
    "resume_unknown": {
        "fr": "Ce code ne correspond à aucune demande en cours : vérifiez-le",
        "en": "This code matches no application in progress: check it",
    },
    "resume_link_start": {"fr": "Vous avez un code de reprise ?", "en": "Do you have a resume code?"},
    "save_later": {"fr": "Enregistrer et reprendre plus tard", "en": "Save and come back later"},
    "saved_title": {"fr": "Votre demande est enregistrée", "en": "Your application has been saved"},
    "saved_intro": {
        "fr": "Pour la reprendre, gardez ce lien ou notez ce code. Ils restent valables 30 jours.",
        "en": "To continue it, keep this link or write down this code. They work for 30 days.",
    },
    "saved_link": {"fr": "Lien de reprise", "en": "Resume link"},
    "saved_code": {"fr": "Code de reprise", "en": "Resume code"},
    "saved_warning": {
        "fr": "Toute personne qui a ce lien ou ce code peut voir vos réponses : ne les partagez pas.",
        "en": "Anyone with this link or code can see your answers: do not share them.",
    },
    "saved_continue": {"fr": "Continuer maintenant", "en": "Continue now"},
    "progress": {
        "fr": "Étape {current} sur {total}",
        "en": "Step {current} of {total}",
    },
    "progress_range": {
        "fr": "Étape {current} sur {low} à {high}, selon vos réponses",
        "en": "Step {current} of {low} to {high}, depending on your answers",
    },
    "optional": {"fr": "(facultatif)", "en": "(optional)"},
    "choose": {"fr": "Choisissez…", "en": "Choose…"},
    "day": {"fr": "Jour", "en": "Day"},
    "month": {"fr": "Mois", "en": "Month"},
    "year": {"fr": "Année", "en": "Year"},
    "date_hint": {"fr": "Par exemple 27 3 2007", "en": "For example 27 3 2007"},
    "street": {"fr": "Numéro et voie", "en": "Number and street"},
    "postcode": {"fr": "Code postal", "en": "Postcode"},
    "commune": {"fr": "Commune", "en": "Town or city"},
    "file_hint": {
        "fr": "Formats acceptés : {kinds}. Taille maximale : {size}.",
        "en": "Accepted formats: {kinds}. Maximum size: {size}.",
    },
    "file_current": {"fr": "Fichier joint : {name}", "en": "File attached: {name}"},
    "file_replace": {
        "fr": "Pour le remplacer, choisissez un autre fichier.",
        "en": "To replace it, choose another file.",
    },
    "item": {"fr": "{label} {n}", "en": "{label} {n}"},
    "add_another": {"fr": "Ajouter un autre élément : {label}", "en": "Add another: {label}"},
    "remove": {"fr": "Retirer {label} {n}", "en": "Remove {label} {n}"},
    "repeat_limits": {
        "fr": "Entre {min} et {max}.",
        "en": "Between {min} and {max}.",
    },
    "repeat_min": {
        "fr": "Ajoutez au moins {min} élément(s)",
        "en": "Add at least {min} item(s)",
    },
    "repeat_max": {
        "fr": "Vous ne pouvez pas ajouter plus de {max} élément(s)",
        "en": "You cannot add more than {max} item(s)",
    },
    "error_summary_title": {"fr": "Il y a un problème", "en": "There is a problem"},
    "error_prefix": {"fr": "Erreur :", "en": "Error:"},
    "error_title_prefix": {"fr": "Erreur", "en": "Error"},
    "check_title": {"fr": "Vérifiez vos réponses", "en": "Check your answers"},
    "check_intro": {
        "fr": "Vérifiez vos réponses avant d'envoyer votre demande.",
        "en": "Check your answers before sending your application.",
    },
    "change": {"fr": "Modifier", "en": "Change"},
    "not_answered": {"fr": "Pas de réponse", "en": "Not answered"},
    "send_title": {"fr": "Envoyer votre demande", "en": "Send your application"},
    "send_declaration": {
        "fr": "En envoyant cette demande, vous confirmez que vos réponses sont exactes.",
        "en": "By sending this application, you confirm that your answers are correct.",
    },
    "send_button": {"fr": "Accepter et envoyer", "en": "Accept and send"},
    "confirmation_reference": {"fr": "Votre numéro de dossier", "en": "Your reference number"},
    "feedback_title": {"fr": "Votre avis", "en": "Your feedback"},
    "feedback_hint": {"fr": "Facultatif et anonyme : vos réponses sont seulement comptées avec celles des autres personnes.", "en": "Optional and anonymous: your answers are only counted together with other people's."},
    "feedback_question": {"fr": "Comment s'est passée votre démarche ?", "en": "How did it go?"},
    "feedback_good": {"fr": "Bien", "en": "Well"},
    "feedback_average": {"fr": "Moyennement", "en": "Neither well nor badly"},
    "feedback_bad": {"fr": "Mal", "en": "Badly"},
    "feedback_help": {"fr": "Avez-vous eu besoin d'aide ?", "en": "Did you need help?"},
    "feedback_send": {"fr": "Envoyer mon avis", "en": "Send my feedback"},
    "feedback_thanks": {"fr": "Merci pour votre avis.", "en": "Thank you for your feedback."},
    "what_next": {"fr": "Et maintenant ?", "en": "What happens next"},
    "print_receipt": {"fr": "Voir le récapitulatif à imprimer", "en": "View a printable receipt"},
    "receipt_title": {"fr": "Récapitulatif de votre demande", "en": "Receipt of your application"},
    "receipt_sent_on": {"fr": "Envoyée le {date}", "en": "Sent on {date}"},
    "print_hint": {
        "fr": "Pour imprimer cette page, utilisez la fonction Imprimer de votre navigateur.",
        "en": "To print this page, use your browser's Print function.",
    },
    "exit_next": {"fr": "Que faire ?", "en": "What you can do"},
    "already_sent": {
        "fr": "Cette demande a déjà été envoyée.",
        "en": "This application has already been sent.",
    },
    "new_application": {"fr": "Faire une nouvelle demande", "en": "Start a new application"},
    "not_found_title": {"fr": "Page introuvable", "en": "Page not found"},
    "not_found_body": {
        "fr": "Si vous avez saisi l'adresse, vérifiez-la. Sinon, revenez à l'accueil.",
        "en": "If you typed the web address, check it is correct. Otherwise go back home.",
    },
    "gone_title": {
        "fr": "Cette démarche n'est plus proposée en ligne",
        "en": "This procedure is no longer offered online",
    },
    "gone_body": {
        "fr": "Le service qui la proposait l'a retirée. Les demandes déjà envoyées sont "
              "toujours traitées, et vous pouvez les suivre avec le lien ou le code de votre "
              "accusé de réception. Pour une demande que vous n'aviez pas envoyée, "
              "contactez ce service.",
        "en": "The service that offered it has taken it offline. Applications already sent "
              "are still processed, and you can follow them with the link or the code of your "
              "acknowledgement. For an application you had not sent, contact that service.",
    },
    "error_title": {"fr": "Désolé, un problème technique est survenu", "en": "Sorry, there is a problem with the service"},
    "error_body": {
        "fr": "Réessayez dans quelques minutes. Vos réponses enregistrées sont conservées.",
        "en": "Try again in a few minutes. Your saved answers have been kept.",
    },
    "forbidden_title": {"fr": "Votre session a expiré", "en": "Your session has expired"},
    "forbidden_body": {
        "fr": "Pour votre sécurité, rien n'a été enregistré. Revenez en arrière, rechargez la page et recommencez.",
        "en": "For your security, nothing was saved. Go back, reload the page and try again.",
    },
    "too_large_title": {"fr": "Les données envoyées sont trop volumineuses", "en": "What you sent is too large"},
    "too_large_body": {
        "fr": "La limite est de {size}. Si vous joignez un fichier, choisissez-en un plus petit.",
        "en": "The limit is {size}. If you are attaching a file, choose a smaller one.",
    },
    "method_title": {"fr": "Action impossible", "en": "This action is not possible"},
    "conflict_body": {
        "fr": "Vos réponses ont été modifiées dans une autre fenêtre. Vérifiez-les puis recommencez.",
        "en": "Your answers were changed in another window. Check them and try again.",
    },
    "no_js_note": {
        "fr": "Certaines questions dépendent de vos réponses : elles s'afficheront sur la page suivante.",
        "en": "Some questions depend on your answers: they will appear on the next page.",
    },
    "footer_accessibility": {"fr": "Accessibilité : partiellement conforme", "en": "Accessibility: partially compliant"},
    "footer_privacy": {
        "fr": "Vos réponses ne servent qu'à traiter votre demande.",
        "en": "Your answers are only used to handle your application.",
    },
    "footer_reports": {
        "fr": "Rapports de complexité de ces démarches, pour les auditeurs et les équipes qualité",
        "en": "Complexity reports of these services, for auditors and quality teams (in French)",
    },
    "theme_other": {"fr": "Autres démarches", "en": "Other services"},
    "by_org": {"fr": "Proposé par {org}", "en": "Provided by {org}"},
    "hidden_reveal_note": {
        "fr": "D'autres questions peuvent apparaître selon votre réponse.",
        "en": "More questions may appear depending on your answer.",
    },
    # Resuming safely, and the pages of a busy or refused request (docs/operations.md).
    "saved_once": {
        "fr": "Le code et le lien ne servent qu'une fois : après avoir repris votre demande, enregistrez-la à nouveau pour en obtenir de nouveaux. Ils ne servent plus une fois la demande envoyée.",
        "en": "The code and the link work once: after continuing your application, save it again to get new ones. They stop working once the application is sent.",
    },
    "resume_confirm_title": {"fr": "Reprendre une demande enregistrée ?", "en": "Continue a saved application?"},
    "resume_confirm_body": {
        "fr": "Ce lien ouvre une demande enregistrée. Ne continuez que si vous l'avez enregistrée vous-même : toute personne qui vous envoie un lien pourrait lire ce que vous y saisirez.",
        "en": "This link opens a saved application. Only continue if you saved it yourself: anyone who sends you a link could read what you type into it.",
    },
    "resume_replace_title": {"fr": "Vous avez déjà une demande en cours", "en": "You already have an application in progress"},
    "resume_replace_body": {
        "fr": "Si vous reprenez l'autre demande, celle en cours dans cette fenêtre ne sera plus accessible ici. Pour la garder, enregistrez-la d'abord.",
        "en": "If you continue the other application, the one in progress in this window will no longer be reachable here. To keep it, save it first.",
    },
    "resume_replace_button": {"fr": "Reprendre l'autre demande", "en": "Continue the other application"},
    "resume_keep": {"fr": "Garder ma demande en cours", "en": "Keep my application in progress"},
    "resume_locked": {
        "fr": "Trop de codes erronés ont été saisis : réessayez dans 30 minutes, ou utilisez le lien de reprise",
        "en": "Too many wrong codes were entered: try again in 30 minutes, or use the resume link",
    },
    "resumed_elsewhere": {
        "fr": "Votre demande a été reprise sur un autre appareil : elle n'est plus accessible dans cette fenêtre.",
        "en": "Your application was continued on another device: it is no longer reachable in this window.",
    },
    "bad_request_title": {"fr": "Requête incorrecte", "en": "Bad request"},
    "bad_request_body": {
        "fr": "Le serveur n'a pas pu lire ce qui a été envoyé. Revenez en arrière et réessayez.",
        "en": "The server could not read what was sent. Go back and try again.",
    },
    "bad_host_body": {
        "fr": "Cette adresse n'est pas celle du service. Utilisez l'adresse officielle.",
        "en": "This is not the address of the service. Use its official address.",
    },
    "busy_title": {"fr": "Le service est très demandé", "en": "The service is very busy"},
    "printer_busy_body": {
        "fr": "Beaucoup de documents sont en cours de préparation : celui-ci n'a pas pu "
              "l'être tout de suite. Rien n'a été perdu. Réessayez dans un instant.",
        "en": "Many documents are being prepared: this one could not be made at once. "
              "Nothing was lost. Try again in a moment.",
    },
    "busy_body": {
        "fr": "Rien n'a été perdu : vos réponses déjà enregistrées sont conservées. Revenez en arrière et envoyez la page à nouveau dans un instant.",
        "en": "Nothing was lost: the answers you already saved are kept. Go back and send the page again in a moment.",
    },
}


def french_spacing(text: str) -> str:
    """French typography: a no-break space before ":", a narrow no-break space before "?", "!"
    and ";" and inside « » (the messages are written with plain spaces; English ones have
    none), so that a line never breaks there."""
    text = re.sub(r" ([:;?!])",
                  lambda m: ("\u00a0" if m.group(1) == ":" else "\u202f") + m.group(1), text)
    return text.replace("« ", "«\u202f").replace(" »", "\u202f»")


for _entry in MESSAGES.values():
    if "fr" in _entry:
        _entry["fr"] = french_spacing(_entry["fr"])


def t(key: str, lang: str, **params: Any) -> str:
    """The interface message ``key`` in ``lang`` (French when missing), filled with ``params``."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry[DEFAULT]
    return text.format(**params) if params else text


def pick_language(requested: str | None, available: list[str] | tuple[str, ...]) -> str:
    """A language the page can be shown in: the one requested if available, else the first."""
    if requested in available:
        return str(requested)
    return available[0] if available else DEFAULT


def _merge_backoffice() -> None:
    from renderer.i18n_backoffice import BACKOFFICE_MESSAGES
    from renderer.i18n_documents import DOCUMENT_MESSAGES
    from renderer.i18n_mandates import MANDATE_MESSAGES
    from renderer.i18n_mediation import MEDIATION_MESSAGES

    catalogues = (BACKOFFICE_MESSAGES, MEDIATION_MESSAGES, MANDATE_MESSAGES, DOCUMENT_MESSAGES)
    for more in catalogues:
        overlap = MESSAGES.keys() & more.keys()
        assert not overlap, f"messages defined twice: {sorted(overlap)}"
    for more in catalogues:
        MESSAGES.update({key: {lang: french_spacing(text) if lang == "fr" else text
                               for lang, text in entry.items()}
                         for key, entry in more.items()})


_merge_backoffice()


def _merge_prefill_messages() -> None:
    from renderer.prefill_texts import MESSAGES as PREFILL

    for key, entry in PREFILL.items():
        MESSAGES[key] = {lang: french_spacing(text) if lang == "fr" else text
                         for lang, text in entry.items()}


_merge_prefill_messages()
