"""The safety layer: runs first on every message, before retrieval.

Two layers. Clear rules (regular expressions in English, Spanish and Traditional Chinese) catch
the unambiguous cases and never miss them. An embedding-similarity classifier over labelled
example messages (bot/safety_examples.yaml) catches paraphrases the rules do not know, with a
margin against neutral look-alikes ("I'm 16 years into my marriage") to keep false alarms down.
What to *say* for each flag, and which helplines to show, lives in bot/answer/; the numbers
themselves live in knowledge/directory.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from bot.models import SafetyFlags

EXAMPLES = Path(__file__).with_name("safety_examples.yaml")
MAX_CHARS = 4000  # longer messages are checked on their first and last parts


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


CRISIS = _rx(
    r"\b(kill|killing|hurt|hurting|harm|harming|cut|cutting) (myself|my self|me)\b",
    r"\bsuicid", r"\bend (my|it) (life|all)\b", r"\bend it all\b", r"\btake my (own )?life\b",
    r"\b(want|wanna|going|ready) to die\b", r"\bdon'?t want to (live|be alive|exist|wake up)\b",
    r"\bno (reason|point) (to|in) (live|living|going on)\b", r"\bbetter off dead\b",
    r"\bself[- ]?harm", r"\bkms\b", r"\bunalive\b", r"\bcan'?t go on\b", r"\boverdose\b",
    # Spanish
    r"\bsuicid", r"\bmatarme\b", r"\bquitarme la vida\b", r"\bno quiero (vivir|seguir viviendo)\b",
    r"\bquiero morir(me)?\b", r"\bhacerme daño\b", r"\bacabar con mi vida\b",
    # Traditional Chinese
    r"自殺|想死|不想活|輕生|結束(我的)?生命|傷害自己|活不下去|割腕",
)
DANGER = _rx(
    r"\b(he|she|they|someone|my ex|my (husband|wife|partner|boyfriend|girlfriend))('s| is| are)? "
    r"(outside|at my (door|house|home|work|window)|breaking in|coming (over|here|for me))",
    r"\b(is|are|he'?s|she'?s|they'?re) (outside|right outside) (my|the) (house|home|door|apartment|window)",
    r"\b(going|gonna|threaten\w*|about) to (kill|hurt|beat|shoot|stab) me\b",
    r"\b(has|have|with|holding) a (gun|knife|weapon)\b", r"\bi'?m (in danger|not safe)( right now)?\b",
    r"\bin (immediate )?danger\b", r"\bafraid for my life\b", r"\bhe hit me\b", r"\bjust (hit|attacked|choked) me\b",
    # Spanish
    r"\b(me va a|va a) (matar|lastimar|pegar)\b", r"\bestá afuera de mi (casa|puerta)\b",
    r"\bestoy en peligro\b", r"\btiene un (arma|cuchillo|pistola)\b",
    # Traditional Chinese
    r"要殺我|在我家門外|在門外|我有危險|我很危險|拿著刀|有槍|打我",
)
_AGE = r"(?:[5-9]|1[0-7])"
MINOR = _rx(
    rf"\b(i'?m|i am|im|she'?s|he'?s|she is|he is|they'?re|my (son|daughter|child|kid|sister|brother) is|"
    rf"was|were|turned|aged?) (only |just )?{_AGE}\b(?! ?(years? (in|into|of|since|ago|married|together)|"
    rf"hours|minutes|months|%|k\b|times|mins|dollars|pounds|kg|lbs))",
    rf"\b{_AGE} ?(years? old|yrs? old|yo|y/o|year-old)\b", rf"\bwhen (i|she|he|they) (was|were) {_AGE}\b",
    r"\b(i'?m|i am|im|she'?s|he'?s|is|was|are) (a |still a )?(minor|underage|under 18|under-age)\b",
    r"\bunder ?(the age of )?18\b", r"\bunder-?age\b", r"\b(of|involving|depicting) (a |an )?(minor|child|kid|teen|underage)",
    r"\bchild (porn|sexual abuse|sex abuse|exploitation)|\bcsam\b",
    r"\b(i'?m|i am|im) in (middle|high|junior high) school\b", r"\bmy (\d+-year-old|teen|teenage)",
    r"\b(my|our) (son|daughter|child|kid|teen|student)('s)? (nudes?|naked|nude|photos?|pictures?|pics?|videos?|images?)",
    r"\b(nudes?|naked|nude|explicit|sexual|intimate) (photos?|pictures?|pics?|images?|videos?) of (my|our) (son|daughter|child|kid|student)",
    r"\b(sextort\w*|blackmail\w*|nudes?|deepfake\w*)\b.{0,60}\b(my|our) (son|daughter|child|kid|teen)\b",
    r"\b(my|our) (son|daughter|child|kid|teen)\b.{0,60}\b(sextort\w*|blackmail\w*|nudes?|naked|deepfake\w*)",
    # Spanish
    rf"\btengo {_AGE} años\b", r"\bsoy menor( de edad)?\b", r"\bmenor de edad\b", rf"\bcuando tenía {_AGE} años\b",
    r"\bmi hij[oa]\b.{0,60}\b(desnud|íntim|sexual)",
    # Traditional Chinese
    rf"我(今年)?{_AGE}歲", r"未成年|國中生|高中生|我還是學生.{0,10}(裸|私密)",
)
MISUSE = _rx(
    r"\b(undress|nudify|nudifier|unclothe|strip)\w*\b.{0,40}\b(her|him|them|someone|photo|pic|image|girl|woman|classmate|coworker|person|celebrity|ex)",
    r"\b(remove|take off|erase) (the |her |his |their )?cloth(es|ing)\b",
    r"\b(make|create|generate|produce|render)\w*\b.{0,30}\b(nude|naked|porn\w*|sexual|explicit|deepfake|deep fake|nsfw)\b.{0,40}\b(of|with|from|using|featuring) (her|him|them|someone|my|a|an|this|that|the|\w+'s)",
    r"\b(make|create|generate)\b.{0,30}\b(deepfake|deep fake)\b.{0,20}\b(porn|nude|sex)",
    r"\b(find|get|obtain|buy|download|access|see|leak|locate)\w*\b.{0,30}\b(someone'?s|her|his|their|a girl'?s|my ex'?s|my classmate'?s|celebrity|this person'?s|\w+'s)\b.{0,20}\b(nudes?|naked|private (photos?|pictures?|pics|videos?)|intimate (photos?|pictures?|images?|videos?)|onlyfans|leaks?)",
    r"\b(where|how) (can|do|could) i (find|get|see|buy|download)\b.{0,30}\b(nudes?|leaks?|leaked|private (photos?|pics|videos?))",
    r"\b(post|share|spread|send|upload|leak|sell)\b.{0,30}\b(her|his|their|my ex'?s|my (girlfriend|boyfriend|wife|husband)'?s|someone'?s|\w+'s)\b.{0,20}\b(nudes?|naked|intimate|sex tape|private (photos?|pictures?|pics|videos?))",
    r"\b(how|help me|i want to|tool|app|way) .{0,30}\b(get back at|humiliate|expose) (her|him|my ex)\b.{0,40}\b(nudes?|photos?|pics|videos?)",
    r"\b(who is|identify|find out who|recogni[sz]e|reverse image search)\b.{0,40}\b(in this|the (girl|woman|man|person) in|this (girl|woman|man|person))",
    r"\bbest (tool|app|site|ai)\b.{0,20}\b(undress|nudify|deepfake|nude)",
    # Spanish
    r"\b(desnudar|quitar la ropa)\b.{0,40}\b(foto|imagen|ella|él)", r"\b(conseguir|encontrar|publicar|difundir)\b.{0,30}\b(fotos íntimas|desnudos|nudes) de\b",
    # Traditional Chinese
    r"(脫衣|去衣|一鍵脫|換臉).{0,10}(她|他|照片|圖)", r"(找|取得|買|散布|散佈|外流).{0,10}(她|他|別人)的?(裸照|私密照|性影像)",
)
INJECTION = _rx(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions|rules|guidelines|prompt|programming|restrictions|safety)",
    r"\b(pretend|act as if|imagine)\b.{0,30}\b(no rules|rules (don'?t|do not) apply|no restrictions|unfiltered|uncensored)",
    r"\byou are now (a |an |in )?(dan|unrestricted|jailbroken|unfiltered|uncensored|evil|free)", r"\b(dan|developer) mode\b", r"\bjailbreak", r"\bsystem prompt\b",
    r"\bignora (tus|las) (instrucciones|reglas)\b", r"忽略.{0,6}(指令|規則|指示)",
)
IMAGE = _rx(
    r"\b(look at|see|check|analy[sz]e|review|examine|scan)\b.{0,20}\b(my|this|the|these|a)\b.{0,10}\b(photo|picture|pic|image|video|screenshot|nude)s?\b",
    r"\b(can|could|should|may) i (send|upload|attach|share|show) (you )?(the |my |a |this )?(photo|picture|pic|image|video|screenshot|nude)s?",
    r"\b(here is|here'?s|attached|i (uploaded|attached|sent you))\b.{0,20}\b(photo|picture|pic|image|video|screenshot)",
    r"\btell (me )?if (it|this|the (photo|picture|image|video)) is (fake|real|a deepfake)",
    r"\b(ver|revisar|enviar|mandar) (la|mi|esta) (foto|imagen)", r"(看|檢查|上傳|傳).{0,4}(我的)?(照片|圖片|影片)",
)


@lru_cache(maxsize=1)
def _examples() -> dict[str, list[str]]:
    return yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))


class SafetyClassifier:
    """Nearest-example classifier: a flag fires when the message is closer to that flag's
    examples than THRESHOLD and clearer than the nearest neutral example by MARGIN."""

    THRESHOLD = {"crisis": 0.62, "danger": 0.66, "minor": 0.70, "misuse": 0.68}
    MARGIN = 0.06

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        ex = _examples()
        self.labels = [k for k in ex if k != "neutral"]
        self.vectors = {k: embedder.embed(ex[k]) for k in ex}

    def scores(self, text: str) -> dict[str, float]:
        v = self.embedder.embed_one(text)
        return {k: float(np.max(m @ v)) for k, m in self.vectors.items()}

    def flags(self, text: str) -> set[str]:
        s = self.scores(text)
        neutral = s.get("neutral", 0.0)
        return {k for k in self.labels if s[k] >= self.THRESHOLD[k] and s[k] >= neutral + self.MARGIN}


def check(text: str, classifier: SafetyClassifier | None = None) -> SafetyFlags:
    """Safety flags for one message; rules first, then (if given) the classifier."""
    text = text if len(text) <= MAX_CHARS else text[:MAX_CHARS // 2] + "\n" + text[-MAX_CHARS // 2:]
    flags = SafetyFlags(
        crisis=bool(CRISIS.search(text)), danger=bool(DANGER.search(text)),
        minor=bool(MINOR.search(text)), misuse=bool(MISUSE.search(text)),
        injection=bool(INJECTION.search(text)), image_request=bool(IMAGE.search(text)),
    )
    if classifier is not None and text.strip():
        for name in classifier.flags(text):
            setattr(flags, name, True)
    return flags
