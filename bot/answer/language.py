"""The language of a message: one we answer in (en, es, zh-TW) or "other".

Detection is lingua's (a kept library, built for short and mixed text), restricted to the
languages we answer in plus the ones people most often write to a US or Taiwanese service in
otherwise, so "bonjour, j'ai besoin d'aide" is recognised as another language rather than
forced into English. Short messages are where detectors err, so a message is only called
"other" when lingua is confident and the message is long enough to be sure; when in doubt we
answer in English, and the reply says which languages we answer in.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

ANSWERED = {Language.ENGLISH: "en", Language.SPANISH: "es", Language.CHINESE: "zh-TW"}
# Languages we do not answer in but must not mistake for ours (each costs a little memory).
# Not Tagalog: its model claims short English with names and loanwords ("Texas deepfake law"
# scored Tagalog 0.65), and Filipino users of a US or international service mostly write English.
OTHERS = (Language.FRENCH, Language.PORTUGUESE, Language.GERMAN, Language.ITALIAN,
          Language.VIETNAMESE, Language.KOREAN, Language.JAPANESE,
          Language.RUSSIAN, Language.ARABIC, Language.HINDI, Language.POLISH)
OTHER_CONFIDENCE = 0.75  # lingua's share for the other language before we say so
OTHER_MIN_WORDS = 4  # "hola", "gracias", "Texas deepfake law": too short to call another language
SHORT_FOLLOW_UP = 5  # words: a follow-up this short is read with the message before it
SWITCH_MIN_WORDS = 8  # words: a conversation moves to another language only on a message this long
OURS_CONTENDER = 0.3  # when another language leads but is unsure, ours needs this share to win
_HAN = re.compile(r"[\u3400-\u9fff]")
_KANA_OR_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


_BUILDING = threading.Lock()


@lru_cache(maxsize=1)
def _built():
    detector = LanguageDetectorBuilder.from_languages(*ANSWERED, *OTHERS).build()
    detector.compute_language_confidence_values("load the models")  # lingua loads them on first use
    return detector


def detector():
    """The one detector, its models loaded (about 1.2 s on 2 cores, once per process)."""
    with _BUILDING:  # a warm-up thread and the first message must not both load the models
        return _built()


def warm_in_background() -> None:
    """Load the models while the index and encoders load, so the first message does not wait."""
    threading.Thread(target=detector, name="warm-language", daemon=True).start()


def detect(text: str) -> str:
    """"en", "es", "zh-TW" or "other" for a message (English when there is nothing to go on)."""
    if _HAN.search(text) and not _KANA_OR_HANGUL.search(text):
        return "zh-TW"  # Han characters without kana or hangul: Chinese, answered in Traditional
    if not _LETTERS.search(text):
        return "en"  # digits, punctuation, emoji: nothing to detect
    values = detector().compute_language_confidence_values(text)
    best = values[0]
    if best.language in ANSWERED:
        return ANSWERED[best.language]
    ours = next((v for v in values if v.language in ANSWERED), None)
    if best.value >= OTHER_CONFIDENCE and len(text.split()) >= OTHER_MIN_WORDS:
        return "other"
    # Unsure between another language and ours ("mis fotos": Portuguese or Spanish?): ours, if
    # it is a real contender; else English ("hello" scores Italian 0.31, Spanish 0.22).
    return ANSWERED[ours.language] if ours is not None and ours.value >= OURS_CONTENDER else "en"


def of(text: str, history: list[str] | None = None) -> str:
    """The language to answer a message in. In a conversation, a short reply ("ok", "i'm in
    manila", which lingua reads as Tagalog) is read with the message before it, and a switch
    from one of our languages to another needs a message long enough to be sure of."""
    if not history or _HAN.search(text):
        return detect(text)
    words = len(text.split())
    if words <= SHORT_FOLLOW_UP:
        return detect(f"{history[-1]} {text}")
    now = detect(text)
    if now == "other" and words < SWITCH_MIN_WORDS:
        return detect(history[-1])
    return now


def answered(code: str) -> str:
    """A reply language: another language's messages are answered in English."""
    return code if code in ANSWERED.values() else "en"
