"""The one answering path shared by the CLI and the web app: safety → retrieve → compose → cite.

`Assistant.stream()` yields text as it is produced and finally the `Answer` object;
`Assistant.answer()` returns just the `Answer`. The CLI prints `Answer.contract()`, the app
renders the same object, so both always agree.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Iterator

from bot import jurisdictions, safety
from bot.answer import compose, offline
from bot.answer.guided import compare, guided, without_adult_tools
from bot.answer.helplines import Helplines, block, dedupe, line
from bot.answer.understand import understand
from bot.answer.llm import warm_plan
from bot.answer import language
from bot.answer.phrases import LANGS, phrase
from bot.config import Settings
from bot.errors import LLMUnavailable, StorageError
from bot.models import Answer, Resource, SafetyFlags, ScoredChunk
from bot.retrieval import HybridSearch, wants_contact
from ingest.embed import Embedder

log = logging.getLogger(__name__)
MAX_QUESTION = 4000  # read this much of a message (the rest is noted, not processed)
MAX_MESSAGE = 50_000  # refuse to read more than this at all (the text box's own limit)
MAX_HISTORY = 6  # earlier messages a follow-up may draw on
OOS_OVER_CRISIS = 0.85  # intent confidence at which a classifier-only crisis vote is set aside
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e]")
_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|what if|and in|and for|same for|y en|y si|¿?y|那)\b", re.I)
_HARM = re.compile(r"\b(posted|shared|leaked|sent|spread|threaten\w*|blackmail\w*|sextort\w*|made|"
                   r"uploaded|deepfake\w*|published|extort\w*)\b", re.I)
_REMOVAL = re.compile(r"\b(remov\w*|take (it |them )?down|taken down|delete\w*|report\w*)\b", re.I)
_AGE_MATTERS = re.compile(r"\b(hash\w*|stop ?ncii|take it down|stop (it|them) (spreading|from spreading)|"
                          r"(nudes?|intimate|sexual|naked) (photos?|pics?|pictures?|images?|videos?))\b", re.I)
_AGE_GIVEN = re.compile(r"\b(i'?m|i am|i was|when i was|aged?) \d{1,2}\b|\b(adult|minor|under 18|over 18|18 or older)\b", re.I)
_HASH_TOOLS = re.compile(r"stop ?ncii|take it down \(ncmec\)|takeitdown\.ncmec|ncmec'?s take it down", re.I)
_LEGAL = re.compile(r"\b(law|laws|legal|illegal|crime|criminal|sue|suing|lawsuit|statute|rights?|"
                    r"press charges|prosecut\w*)\b", re.I)
# A question about federal law has one answer wherever the person is: no need to ask the place.
_FEDERAL = re.compile(r"\b(federal\w*|u\.?s\.?c|take it down act|vawa|6851)\b", re.I)


def clean(text: str) -> str:
    """Drop control and direction-override characters; normalise Unicode; trim."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


class Assistant:
    """Holds the loaded model, index and classifier; answers any number of questions."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 search: HybridSearch | None = None) -> None:
        self.settings = settings
        language.warm_in_background()
        self.search = search or HybridSearch(settings, embedder)  # opens the store, then the model
        self.embedder = self.search.embedder
        self.classifier = safety.SafetyClassifier()
        self.helplines = Helplines(self.search)
        self.llm = None
        if settings.llm_enabled:
            from bot.answer.llm import LLMComposer
            self.llm = LLMComposer(settings)

    # -- answering --------------------------------------------------------------------------
    def answer(self, question: str, **kwargs) -> Answer:
        result = None
        for item in self.stream(question, **kwargs):
            if isinstance(item, Answer):
                result = item
        assert result is not None
        return result

    def stream(self, question: str, *, jurisdiction: str | None = None, lang: str | None = None,
               persona: str = "victim", history: list[str] | None = None,
               qid: str | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are ready, then the finished Answer."""
        question = question if isinstance(question, str) else ""
        oversized = len(question) > MAX_MESSAGE
        text = clean(question[:MAX_QUESTION + 1])
        history = [h for h in (clean(h[:MAX_QUESTION]) for h in (history or [])[-MAX_HISTORY:]
                               if isinstance(h, str)) if h]
        written_in = lang if lang in LANGS else language.of(text, history)
        lang = written_in if written_in in LANGS else "en"  # another language: told so, in English
        place = jurisdictions.normalise(jurisdiction) if isinstance(jurisdiction, str) else None
        if not text or oversized:
            yield from self._short_reply(phrase("too_long_reject" if oversized else "empty", lang),
                                         place, lang, qid)
            return
        notes = [phrase("too_long", lang)] if len(text) > MAX_QUESTION else []
        text = text[:MAX_QUESTION]
        flags = safety.check(text, self.classifier)
        if self.settings.log_conversations:
            log.info("question %s: %r", qid, text)
        log.debug("safety flags %s for question %s", flags.model_dump(), qid)

        previous = understand(history[-1], history[:-1], self.search.sources(), None,
                              self._vector(history[-1])).intent if history else None
        u = understand(text, history, self.search.sources(), flags, self._vector(text), previous)
        if (flags.crisis and u.intent == "out_of_scope" and u.confidence >= OOS_OVER_CRISIS
                and not safety.rule_flags(text).crisis):
            # The crisis head alone, on a message clearly about something else ("my landlord is
            # evicting me"): answer that honestly; the reply still ends with a crisis line.
            flags.crisis = False
            log.info("crisis vote overruled by a confident out-of-scope intent")
        if u.facts.minor_involved and not flags.minor:
            flags.minor = True  # an age given earlier in the conversation ("i'm 16") counts
        place = place or jurisdictions.normalise(u.facts.place) or jurisdictions.detect(text)
        u.facts.place = u.facts.place or place
        if flags.refuses:
            prefix, resources = self.helplines.safety_prefix(flags.model_copy(update={"minor": False}), place, lang)
            reply = phrase("refuse" if flags.misuse else "injection", lang)
            # Helping to find, make or spread images is outside what Recourse does: said so, once.
            ans = Answer(id=qid, answer="\n\n".join(p for p in [prefix, reply] if p), safety=flags,
                         refused=True, lang=lang, resources=resources, grounded=False,
                         intent="out_of_scope" if flags.misuse else None)
            yield ans.answer
            yield ans
            return
        earlier_crisis = any(safety.rule_flags(h).crisis for h in history)
        if written_in == "other" and not place:
            place = "INTL"  # a language we do not answer in: lines that work anywhere, not 988
        prefix, resources = self.helplines.safety_prefix(flags, place, lang, earlier_crisis)
        blocks = [prefix] if prefix else []
        if flags.image_request:
            blocks.append(phrase("image_minor" if flags.minor else "image", lang))
        prefix = "\n\n".join(blocks)
        if prefix:
            yield prefix + "\n\n"  # crisis help reaches the screen before anything else

        if written_in == "other":
            yield from self._short_reply(phrase("other_language", lang), place, lang, qid, flags, prefix, resources)
            return
        several = jurisdictions.detect_all(text) if persona == "staff" else []
        if len(several) >= 2:  # staff comparing jurisdictions: side by side, from state_law
            reply = compare(self, several, u)
            yield from self._finish(reply, u, flags, place, lang, qid, prefix, resources, notes)
            return
        if persona != "staff":
            # What is left of the crisis budget under the lines (less the blank lines between).
            room = compose.BUDGET["crisis"] - len(prefix) - 8 if earlier_crisis or flags.crisis else None
            reply = guided(self, text, u, flags, place, lang, history, room)
            if reply is not None:
                yield from self._finish(reply, u, flags, place, lang, qid, prefix, resources, notes)
                return
        query, place = self._contextualise(text, history, place)
        try:
            hits = self.search.search(query, k=8, jurisdiction=place, lang=lang, minor=flags.minor)
        except StorageError as exc:
            log.error("answering without sources: %s", exc)  # the type only, never the words
            yield from self._short_reply(phrase("storage", lang), place, lang, qid, flags, prefix,
                                         resources)
            return
        if flags.minor:  # adult-only tools are not the route for images of under-18s
            hits = [h for h in hits if h.chunk.audience != "adult"]
        grounded = self._grounded(hits, lang)  # judged on what was found, before translation
        if lang != "en":  # the person reads a translated section where we have one
            hits = [h.model_copy(update={"chunk": self.search.localize(h.chunk, lang)}) for h in hits]
        body, cites, mode, notice, checked = "", offline.CitationList(), "offline", None, None
        if grounded:
            steps = self._steps(hits, flags)
            validate = bool(_HARM.search(text)) and not (flags.crisis or flags.danger)
            if self.llm:
                checked = {}
                try:
                    body, cites = yield from self.llm.generate(text, hits, steps, persona, lang, prefix, checked)
                    mode = "llm"
                except LLMUnavailable as exc:
                    notice = phrase("llm_bad_citations" if "citation" in str(exc) else "llm_failed", lang)
                    log.warning("LLM fallback: %s", exc)
                    yield "\n\n" + notice + "\n\n"
            # A directory record retrieved for the question is offered only where it serves the
            # person: their place's (or, no place said, the US default's) or one that works anywhere.
            serves = jurisdictions.allowed(place or "US")
            resources += [r for h in hits if h.chunk.kind == "directory" and h.chunk.jurisdiction in serves
                          for r in [self.helplines.resource(h.chunk.source_id)] if r][:3]
            resources += self.helplines.route("help", place, lang)
            if mode == "offline":
                if persona == "staff":
                    body = offline.compose(text, hits, steps, persona, lang, validate, cites)
                else:  # a victim's question: the direct answer, whole sentences, and with what
                    # follows it (helplines, one question, the safety net) inside the budget
                    tail = self._tail(query, hits, history, place, lang, flags, persona, prefix,
                                      self._listed(resources, flags, prefix), "")
                    room = compose.BUDGET["question"] - len(prefix) - len("\n\n".join(tail)) - 8
                    body = self._contact(query, hits, cites, lang) or compose.question(
                        query, hits, cites, lang, room) or offline.compose(text, hits, [], persona, lang, False, cites)
                if flags.minor:
                    body = without_adult_tools(body)
                yield body
        else:
            body = phrase("not_found", lang)
            resources += self.helplines.route("help", place, lang)
            yield body
        resources = self._listed(resources, flags, prefix)
        tail = self._tail(query, hits, history, place, lang, flags, persona, prefix, resources, body, grounded)
        if tail:
            yield "\n\n" + "\n\n".join(tail)
        full = "\n\n".join(p for p in [prefix, notice or "", body, *tail, *notes] if p)
        yield Answer(id=qid, answer=full, citations=cites.items, resources=resources,
                     safety=flags, refused=False, mode=mode, lang=lang, grounded=grounded,
                     notice=notice, intent=u.intent, facts=u.facts.contract(), llm_check=checked)

    def _listed(self, resources: list[Resource], flags: SafetyFlags, prefix: str) -> list[Resource]:
        """The helplines an answer lists: never an adult-only service (StopNCII) for a child's
        image, each once, at most five (the routed ones already shown above always stay)."""
        if flags.minor:
            resources = [r for r in resources if not self.helplines.adult_only(r)]
        shown = len({r.name for r in resources if r.name in prefix})
        return dedupe(resources)[:max(5, shown)]

    def _tail(self, query: str, hits, history: list[str], place, lang: str, flags: SafetyFlags,
              persona: str, prefix: str, resources: list[Resource], body: str,
              grounded: bool = True) -> list[str]:
        """What follows a question's answer: the people to talk to (`resources`, as `_listed`) not
        already shown, at most one question (only one that changes the answer), and the quiet
        safety net."""
        tail = []
        if grounded and not place and _LEGAL.search(query) and not _FEDERAL.search(query) and not any(
                jurisdictions.detect(h) for h in history):
            tail.append(phrase("ask_place", lang))
        elif (grounded and not flags.minor and _AGE_MATTERS.search(query) and not _AGE_GIVEN.search(query)
              and not any(_AGE_GIVEN.search(h) for h in history)
              and any(_HASH_TOOLS.search(h.chunk.text) for h in hits[:4])):
            tail.append(phrase("ask_age", lang))  # StopNCII (adults) or Take It Down (under 18)
        elif grounded and _REMOVAL.search(query) and not any(
                h.chunk.kind == "policy" for h in hits[:3]) and not any(_REMOVAL.search(h) for h in history):
            tail.append(phrase("ask_platform", lang))  # one question at a time, only when it matters
        rest = [r for r in resources if r.name not in prefix and r.name not in body]
        if rest:  # a victim gets the number to call or text; staff also the address and hours
            tail.insert(0, block(phrase("help", lang), rest if persona == "staff" else rest[:3], brief=persona != "staff"))
        if persona != "staff" and not (flags.crisis or flags.danger):
            # A quiet safety net under every answer: detection can miss a person in crisis.
            tail.append(self.helplines.safety_net(place, lang, prefix))
        return [t for t in tail if t]

    def _vector(self, text: str):
        """The safety encoder's vector (the intent head reads the same one)."""
        return self.classifier.encoder.embed_one(text[:600]) if text else None

    def _finish(self, reply, u, flags: SafetyFlags, place, lang: str, qid, prefix: str,
                resources: list[Resource], notes: list[str]) -> Iterator[str | Answer]:
        """A guided reply: its body, then (when not already shown) a safety net line."""
        people = [r for r in dedupe([*resources, *reply.resources])
                  if not (flags.minor and self.helplines.adult_only(r))]
        tail = []
        if not (flags.crisis or flags.danger) and reply.intent in ("situation", "out_of_scope"):
            tail.append(self.helplines.safety_net(place, lang, prefix + reply.body))
        warm, cites, checked, notice = None, reply.cites, None, None
        if self.llm and reply.intent == "situation" and reply.steps and not (flags.crisis or flags.danger):
            # The plan as the skeleton: the model's warmer wording, verified, or the plan itself.
            warm, cites, checked, notice = yield from warm_plan(self.llm, self.search.chunks_of, reply, lang)
        body = "\n\n".join(p for p in [warm or reply.body, *tail] if p)
        yield "\n\n".join(["", *tail]) if warm else body  # the model's sentences are already shown
        full = "\n\n".join(p for p in [prefix, notice or "", body, *notes] if p)
        yield Answer(id=qid, answer=full, citations=cites.items, resources=people, safety=flags,
                     lang=lang, grounded=reply.grounded, intent=reply.intent or u.intent,
                     facts=u.facts.contract(), steps=reply.steps, letter=reply.letter,
                     mode="llm" if warm else "offline", notice=notice, llm_check=checked)

    def _short_reply(self, text: str, place: str | None, lang: str, qid: str | None,
                     flags: SafetyFlags | None = None, prefix: str = "",
                     resources: list[Resource] | None = None) -> Iterator[str | Answer]:
        """A reply with no sources behind it: a sentence, then people to talk to (the crisis
        lines already shown stay first)."""
        people = dedupe([*(resources or []), *self.helplines.route("help", place, lang),
                          *self.helplines.route("crisis", place, lang)[:1]])
        rest = [r for r in people if r.name not in prefix]
        body = block(text, rest)
        yield body
        yield Answer(id=qid, answer="\n\n".join(p for p in [prefix, body] if p), resources=people,
                     safety=flags or SafetyFlags(), lang=lang, grounded=False)

    def _contextualise(self, text: str, history: list[str], place: str | None) -> tuple[str, str | None]:
        """Follow-ups ("what about Texas?") inherit the topic of the previous question."""
        if history and (_FOLLOW_UP.search(text) or len(text.split()) <= 4):
            previous = history[-1]
            place = jurisdictions.detect(text) or place or jurisdictions.detect(previous)
            for name in [jurisdictions.name_of(c) for c in filter(None, [jurisdictions.detect(previous)])]:
                previous = re.sub(re.escape(name), "", previous, flags=re.I)
            return f"{previous} {text}", place
        return text, place

    def _grounded(self, hits: list[ScoredChunk], lang: str) -> bool:
        if not hits:
            return False
        best = max((h.dense or 0.0) for h in hits)
        if best >= self.settings.min_relevance or any(h.exact for h in hits[:3]):
            return True  # close in meaning, or the person named this statute's number
        return lang != "en" and any(h.chunk.lang == lang for h in hits[:3])

    def _contact(self, query: str, hits: list[ScoredChunk], cites, lang: str) -> str:
        """"What's the CCRI number?": the directory record itself, cited like any source, so its
        last-verified date is shown with it."""
        if not wants_contact(query):
            return ""
        found = [(h.chunk, r) for h in hits[:3] if h.chunk.kind == "directory"
                 for r in [self.helplines.resource(h.chunk.source_id)] if r]
        return "\n".join([phrase("found", lang), *(f"{line(r)} {cites.ref(c)}" for c, r in found[:2])]) if found else ""

    def _steps(self, hits: list[ScoredChunk], flags: SafetyFlags):
        for hit in hits[:4]:
            c = hit.chunk
            if c.kind == "guide" and not (flags.minor and c.audience == "adult"):
                steps = offline.guide_steps(self.search.chunks_of(c.source_id))
                if steps:
                    return steps
        return []
