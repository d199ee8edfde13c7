"""quality/guided_eval.py scoring functions on hand-made answers (no model, no index)."""

from __future__ import annotations

from quality import guided_eval as g

KN = {  # a tiny stand-in for load_knowledge()
    "sources": {"us-oh-ncii": {"text": "Ohio Rev. Code § 2917.211 ... within 48 hours", "kind": "statute",
                               "jurisdiction": "US-OH"},
                "guide-x": {"text": "a guide", "kind": "guide", "jurisdiction": "US-OH"}},
    "directory": {"dir-ccri-helpline": {"name": "CCRI Image Abuse Helpline", "services": ["helpline"],
                                        "text": "phone: 844-878-2274\nhours: 24/7"},
                  "dir-988-lifeline": {"name": "988 Suicide & Crisis Lifeline", "services": ["crisis"],
                                       "text": "phone: '988'"}},
    "platforms": [], "crisis_ids": {"dir-988-lifeline"}, "emergency_ids": set(), "legal_ids": set(),
}


def item(**kw):
    base = {"id": "t1", "kind": "message", "q": "", "history": [], "lang": "en", "voice": "victim",
            "intent": "situation", "crisis": False, "facts": {"platforms": [], "place": None},
            "plan_must": [], "plan_must_not": []}
    return {**base, **kw}


def ans(text="", **kw):
    return {"answer": text, "citations": [], "resources": [], **kw}


def hit(name, a, it=None):
    return g.plan_hit(name, a, it or item(), KN)


def test_take_it_down_needs_ncmec_not_the_act_alone():
    assert not hit("take_it_down", ans("Under the TAKE IT DOWN Act a platform must act."))
    assert hit("take_it_down", ans("Use Take It Down (NCMEC): https://takeitdown.ncmec.org"))
    assert hit("tida_request", ans("Send a TAKE IT DOWN Act removal request; they have 48 hours."))


def test_adult_only_tool_exempts_the_sentence_saying_it_is_not_the_route():
    minor = ans("Tools for adults, such as StopNCII, are not the right route for images of someone under 18.")
    assert not hit("adult_only_tool", minor)
    assert not hit("adult_only_tool", ans("StopNCII 等成人工具不適用於未滿18歲者的影像。"))
    offered = dict(minor, resources=[{"name": "StopNCII.org", "url": "https://stopncii.org"}])
    assert hit("adult_only_tool", offered)


def test_platform_form_by_report_url_or_domain():
    it = item(facts={"platforms": ["x"], "place": None})
    form = "https://help.x.com/forms/safety-and-sensitive-content/take-it-down"
    assert hit("platform_form", ans(f"Use X's form: {form}"), it)
    assert hit("platform_form", ans("", steps=[{"title": "Report", "url": "https://x.com/report"}]), it)
    assert not hit("platform_form", ans("Report it on the site."), it)
    unknown = item(facts={"platforms": ["xvideos"], "place": None})
    assert hit("platform_form", ans("Use https://www.xvideos.com/abuse"), unknown)


def test_law_is_a_citation_for_the_labelled_place():
    it = item(facts={"platforms": [], "place": "US-OH"})
    cite = {"source_id": "us-oh-ncii", "jurisdiction": "US-OH"}
    assert hit("law", ans(citations=[cite]), it)
    assert not hit("law", ans(citations=[dict(cite, jurisdiction="US-TX")]), it)
    assert g.place_matches("GB-EAW", "GB") and not g.place_matches("US-OH", "US")
    assert not g.law_hit(ans(citations=[{"source_id": "guide-x", "jurisdiction": "US-OH"}]), "US-OH", KN,
                         statute_only=True)


def test_lines_and_phrases():
    assert hit("do_not_pay", ans("No pagues y guarda los mensajes."))
    assert hit("crisis_line", ans("", resources=[{"id": "dir-988-lifeline", "name": "988"}]))
    assert hit("emergency", ans("Call 999 now.")) and not hit("emergency", ans("He wants $1,000."))
    assert hit("us_only_line", ans("Call 988."))
    canada = item(facts={"platforms": [], "place": "CA"})
    assert not hit("us_only_line", ans("Call or text 9-8-8 or 988."), canada)
    assert hit("fbi", ans("向FBI報案")) and hit("police", ans("contact your local police"))
    assert hit("no_law_for_place", ans("We don't have a specific law for Kazakhstan in my sources."))
    assert hit("evidence", ans("Take a screenshot of each post."))
    assert g.plan_hit("made_up", ans(), item(), KN) is None


def test_facts_labelled_wrong_and_false_positives():
    got = g.got_facts({"facts": {"place": "US-OH", "platforms": ["Twitter"], "harm": ["posted"],
                                 "ages": {"writer": 15, "pictured": "minor"}, "who": "partner"}})
    assert got["writer_age"] == "minor" and got["platforms"] == ["Twitter"]
    assert g.fact_result("platforms", ["x"], got["platforms"])["correct"]
    assert g.fact_result("platforms", ["facebook"], ["Instagram and Facebook"])["correct"]
    harm = g.fact_result("harm", ["posted", "deepfake"], got["harm"])
    assert not harm["correct"] and harm["jaccard"] == 0.5
    assert g.fact_result("who", None, "partner") == {"labelled": False, "false_positive": True}
    assert g.fact_result("place", "US-OH", None)["correct"] is False  # missing → wrong
    assert g.fact_result("harm", [], None) == {"labelled": False, "false_positive": False}


def test_out_of_scope_prefers_intent_then_reply_text():
    assert g.predicted_out_of_scope({"intent": "out_of_scope", "answer": ""}) == (True, "intent")
    assert g.predicted_out_of_scope({"answer": "I could not find this in my sources"}) == (True, "reply text")


def test_grounding_numbers():
    kinds = dict((t, k) for k, t in g.numbers_in("See § 2917.211 [1]. Call 844-878-2274, 24/7, in 48 hours."))
    assert kinds == {"2917.211": "section", "844-878-2274": "phone", "24": "number", "48": "number"}
    a = ans("§ 2917.211: call 844-878-2274 (24/7) or 988 within 72 hours. https://x.com/123456",
            citations=[{"source_id": "us-oh-ncii"}], resources=[{"id": "dir-ccri-helpline"}])
    res = g.grounding(a, KN, user_text="72 hours ago")
    assert res["ungrounded"] == ["988", "72"] and res["echo_user"] == ["72"]
    a["answer"] += " 988 Suicide & Crisis Lifeline"  # a record named in the text is shown
    assert g.grounding(a, KN)["ungrounded"] == ["72"]


def test_lengths_and_budgets():
    assert g._p95(list(range(1, 101))) == 95
    assert g.budget_of({"crisis": True, "intent": "situation"}) == ("crisis", 1000)
    assert g.budget_of({"crisis": False, "intent": "question"}) == ("question", 1200)
    assert g.budget_of({"crisis": False, "intent": "greeting"}) is None
    line = g.request_line(item(voice="staff", history=["hi"]))
    assert line == {"id": "t1", "q": "", "persona": "staff", "history": ["hi"]}
