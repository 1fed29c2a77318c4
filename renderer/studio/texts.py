# ruff: noqa: E501 - messages are prose, one per line, easier to review unwrapped
"""Every word of the studio's own interface, in French and in English (``?lang=en``)."""

from __future__ import annotations

LANGUAGES = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "studio": {"fr": "Parcours studio", "en": "Parcours studio"},
    "skip": {"fr": "Aller au contenu", "en": "Skip to main content"},
    "switch": {"fr": "English", "en": "Français"},
    "switch_label": {"fr": "Use the studio in English", "en": "Utiliser le studio en français"},
    "journeys_title": {"fr": "Les parcours du dossier", "en": "The journeys of the folder"},
    "journeys_intro": {"fr": "Chaque parcours avec ce que la vérification en dit. Ouvrez-en un pour le modifier.", "en": "Each journey with what the check says of it. Open one to edit it."},
    "journeys_caption": {"fr": "Parcours, état et dernière modification", "en": "Journeys, state and last change"},
    "col_file": {"fr": "Fichier", "en": "File"},
    "col_title": {"fr": "Titre", "en": "Title"},
    "col_errors": {"fr": "Erreurs", "en": "Errors"},
    "col_warnings": {"fr": "Avertissements", "en": "Warnings"},
    "col_infos": {"fr": "Conseils", "en": "Advice"},
    "col_changed": {"fr": "Dernière modification", "en": "Last change"},
    "col_cases": {"fr": "Cas de test", "en": "Test cases"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "no_journeys": {"fr": "Aucun parcours (fichier .yaml) dans ce dossier.", "en": "No journey (.yaml file) in this folder."},
    "unreadable": {"fr": "illisible", "en": "unreadable"},
    "edit_title": {"fr": "Modifier {path}", "en": "Edit {path}"},
    "all_journeys": {"fr": "Tous les parcours", "en": "All journeys"},
    "text_label": {"fr": "Texte du parcours (YAML)", "en": "Journey text (YAML)"},
    "text_hint": {"fr": "Les constats de la vérification s'affichent pendant la saisie ; sans JavaScript, utilisez « Vérifier ».", "en": "The check's findings appear as you type; without JavaScript, use “Check”."},
    "check": {"fr": "Vérifier", "en": "Check"},
    "save": {"fr": "Enregistrer", "en": "Save"},
    "saved": {"fr": "Enregistré.", "en": "Saved."},
    "findings_title": {"fr": "Constats de la vérification", "en": "What the check found"},
    "no_findings": {"fr": "Aucun constat : le parcours est propre.", "en": "Nothing found: the journey is clean."},
    "counts": {"fr": "{errors} erreur(s), {warnings} avertissement(s), {infos} conseil(s)", "en": "{errors} error(s), {warnings} warning(s), {infos} piece(s) of advice"},
    "line_col": {"fr": "ligne {line}, colonne {column}", "en": "line {line}, column {column}"},
    "rule_doc": {"fr": "la règle {rule}", "en": "the rule {rule}"},
    "severity_error": {"fr": "Erreur", "en": "Error"},
    "severity_warning": {"fr": "Avertissement", "en": "Warning"},
    "severity_info": {"fr": "Conseil", "en": "Advice"},
    "conflict": {"fr": "Non enregistré : le fichier a été modifié sur le disque depuis que vous l'avez ouvert. Votre texte est ci-dessous ; copiez-le, puis rouvrez le fichier pour repartir de sa version actuelle.", "en": "Not saved: the file was changed on disk since you opened it. Your text is below; copy it, then reopen the file to start from its current version."},
    "csrf": {"fr": "Ce formulaire a expiré. Rechargez la page et recommencez.", "en": "This form has expired. Reload the page and try again."},
    "not_found": {"fr": "Ce fichier n'est pas un parcours du dossier du studio.", "en": "This file is not a journey of the studio's folder."},
    "not_found_title": {"fr": "Fichier introuvable", "en": "File not found"},
    "forbidden_title": {"fr": "Action refusée", "en": "Action refused"},
    "rule_title": {"fr": "Règle {rule}", "en": "Rule {rule}"},
    "rule_missing": {"fr": "La documentation détaillée n'est pas installée ; voici le résumé de la règle.", "en": "The detailed documentation is not installed; here is the rule's summary."},
    "preview_link": {"fr": "Voir la page du citoyen", "en": "See the citizen's page"},
    "graph_title": {"fr": "Graphe des étapes", "en": "Step graph"},
    "panel_question": {"fr": "Ajouter une question", "en": "Add a question"},
    "panel_branch": {"fr": "Ajouter un embranchement", "en": "Add a branch"},
    "panel_hint": {"fr": "Le texte ci-dessus reçoit l'ajout (commentaires et mise en forme gardés) ; enregistrez ensuite pour l'écrire dans le fichier.", "en": "The text above receives the addition (comments and layout kept); then save to write it to the file."},
    "field_step": {"fr": "Étape", "en": "Step"},
    "field_id": {"fr": "Identifiant (lettres minuscules, chiffres, _)", "en": "Id (lower-case letters, digits, _)"},
    "field_type": {"fr": "Type de question", "en": "Question type"},
    "field_label_fr": {"fr": "Libellé en français", "en": "Label in French"},
    "field_label_en": {"fr": "Libellé en anglais", "en": "Label in English"},
    "field_options": {"fr": "Options, une par ligne : identifiant: libellé (choix seulement)", "en": "Options, one per line: id: label (choices only)"},
    "field_when": {"fr": "Condition d'affichage (facultative), par exemple age >= 18", "en": "Shown when (optional), e.g. age >= 18"},
    "field_purpose": {"fr": "À quoi sert la réponse (facultatif)", "en": "What the answer is for (optional)"},
    "field_goto": {"fr": "Aller à (étape ou issue)", "en": "Go to (step or outcome)"},
    "field_branch_when": {"fr": "Quand (facultatif ; sans condition : embranchement par défaut)", "en": "When (optional; without a condition: the default branch)"},
    "add_question": {"fr": "Ajouter la question au texte", "en": "Add the question to the text"},
    "add_branch": {"fr": "Ajouter l'embranchement au texte", "en": "Add the branch to the text"},
    "added": {"fr": "Ajouté au texte, pas encore enregistré : vérifiez puis enregistrez.", "en": "Added to the text, not saved yet: check, then save."},
    "edit_refused": {"fr": "Ajout impossible : {reason}", "en": "Cannot add: {reason}"},
    "editor_status": {"fr": "État de la vérification", "en": "Check status"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (French when unknown), with ``values`` filled in."""
    text = MESSAGES[key].get(lang) or MESSAGES[key]["fr"]
    return text.format(**values) if values else text
