"""How long a citizen spends on a page: reading time plus Keystroke-Level Model answering time.

The Keystroke-Level Model (Card, Moran & Newell 1980, *The Psychology of Human-Computer
Interaction*, 1983) predicts expert task time as a sum of operators. We use:

- K, one keystroke: 0.28 s (an average non-secretary typist, 40 words a minute);
  1.2 s for a person unfamiliar with a keyboard (the slower profile);
- P, pointing at a target with the mouse or a finger: 1.1 s;
- B, pressing or releasing a button: 0.1 s (a click is BB: 0.2 s);
- H, moving the hands between mouse and keyboard: 0.4 s;
- M, mental preparation before an action: 1.35 s.

Reading speed: 238 words a minute for fluent adults reading silently (Brysbaert 2019,
*Journal of Memory and Language* 109), and 130 words a minute for a citizen less at ease
with written French (a stated assumption: the low end of adult reading-speed ranges).
Finding a document to upload (locating the paper, photographing or finding the file) is
not in the KLM: we state 60 s per upload, an assumption to be replaced by field measures.
"""

from __future__ import annotations

from dataclasses import dataclass

# KLM operators in seconds (Card, Moran & Newell 1980).
P = 1.1
B = 0.1
H = 0.4
M = 1.35
CLICK = P + 2 * B

#: Seconds to find a document before uploading it (an assumption, see the module docstring).
FIND_DOCUMENT = 60.0
#: Seconds to look up a number the citizen does not know by heart (SIRET, IBAN, NIR).
LOOK_UP = 30.0


@dataclass(frozen=True)
class Profile:
    """A reader and typist: reading speed in words a minute and keystroke time K."""

    name: str
    words_per_minute: float
    keystroke: float


FLUENT = Profile("fluent", 238.0, 0.28)
SLOW = Profile("less at ease", 130.0, 1.2)

#: Characters typed per answer type (typical lengths), and whether a look-up is needed.
TYPED: dict[str, tuple[int, float]] = {
    "text": (15, 0.0),
    "textarea": (150, 0.0),
    "integer": (4, 0.0),
    "decimal": (6, 0.0),
    "date": (8, 0.0),
    "email": (25, 0.0),
    "phone": (10, 0.0),
    "postcode": (5, 0.0),
    "siret": (14, LOOK_UP),
    "nir": (15, LOOK_UP),
    "iban": (27, LOOK_UP),
}


def answer_seconds(qtype: str, profile: Profile = FLUENT) -> float:
    """KLM time to answer one question of a type, reading excluded.

    Typed answers: M + P + BB (focus the field) + H + n*K. Choices: M + P + BB per option
    chosen (two for a multichoice). An address is three typed fields (street 30, postcode 5,
    commune 12 characters). An upload: M + find the document + P+BB to open the picker,
    P+BB to choose the file, P+BB to confirm. An info block: nothing to answer.
    """
    k = profile.keystroke
    if qtype in ("info", "repeat"):
        return 0.0
    if qtype in ("yesno", "choice"):
        return M + CLICK
    if qtype == "multichoice":
        return M + 2 * CLICK
    if qtype == "address":
        return 3 * (M + CLICK) + H + (30 + 5 + 12) * k
    if qtype == "file":
        return M + FIND_DOCUMENT + 3 * CLICK
    chars, look_up = TYPED.get(qtype, (15, 0.0))
    return M + CLICK + H + chars * k + look_up


def reading_seconds(words: int, profile: Profile = FLUENT) -> float:
    """Seconds to read ``words`` words at the profile's rate."""
    return 60.0 * words / profile.words_per_minute


#: Each page ends with a click on "Continuer" after a last check: M + P + BB.
PAGE_SECONDS = M + CLICK
