"""The guided planner, one situation per test (as smart-answers tests each flow's paths), and
the minor invariant over every eval set: no adult-only tool is ever offered for a child's image.

Real parts: the real knowledge base ingested into Chroma, the real models, the real actions.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import DATA

ADULT_ONLY = re.compile(r"stop ?ncii", re.I)
NOT_THE_ROUTE = re.compile(r"not (the right )?route|not for|only for adults|adults only|no (es|son) la vía|不適用|不是", re.I)


def step_ids(ans) -> list[str]:
    return [s.get("id") for s in ans.steps]


def test_threat_on_a_partner_platform_gets_stopncii_the_form_and_the_state_law(assistant):
    ans = assistant.answer("my ex is threatening to post our sex tape on pornhub if i dont get back with him. i live in ohio")
    assert ans.intent == "situation" and ans.facts["place"] == "US-OH"
    assert "Pornhub" in ans.facts["platforms"] and "threatened" in ans.facts["harm"]
    ids = step_ids(ans)
    assert "stopncii-partner" in ids and "platform-form" in ids and "legal-state-law" in ids
    assert 1 <= len(ans.steps) <= 5
    assert all(s["url"] and s["citation"] for s in ans.steps)
    assert "help.pornhub.com" in ans.answer and "2917.211" in ans.answer or "Ohio" in ans.answer
    assert len(ans.answer) <= 1800


def test_a_follow_up_keeps_the_facts_and_gives_the_platform_form(assistant):
    first = "my ex is threatening to post our sex tape on pornhub if i dont get back with him. i live in ohio"
    ans = assistant.answer("what about if he already posted it?", history=[first])
    assert ans.facts["place"] == "US-OH" and "Pornhub" in ans.facts["platforms"]
    assert "platform-form" in step_ids(ans)


def test_a_childs_image_never_gets_an_adult_tool_and_the_writer_is_not_asked_their_age(assistant):
    ans = assistant.answer("my 15 year old daughter's ex boyfriend is threatening to share her nude on snapchat")
    assert ans.safety.minor and ans.facts["ages"]["pictured"] == "minor"
    ids = step_ids(ans)
    assert "take-it-down-hash" in ids and not any("stopncii" in i for i in ids)
    assert not any(ADULT_ONLY.search(r.name) for r in ans.resources)
    assert "Were you under 18" not in ans.answer


def test_outside_the_us_no_us_only_line_and_the_countrys_own_law_in_its_language(assistant):
    ans = assistant.answer("un tipo me está extorsionando con mis fotos íntimas, estoy en México")
    assert ans.facts["place"] == "MX" and ans.lang == "es"
    names = " ".join(r.name for r in ans.resources) + ans.answer
    assert "988" not in names and "National Domestic Violence Hotline" not in names
    assert "sextortion-dont-pay" in step_ids(ans) and "legal-country-law" in step_ids(ans)
    law = next(c for c in ans.citations if c.source_id.startswith("mx-"))
    assert law.source_id.endswith("-es")  # the Spanish file's summary, cited to that file


def test_a_city_is_a_place_and_a_country_we_hold_no_law_for_is_said_plainly(assistant):
    ans = assistant.answer("I'm in Lagos, a man I met online is threatening to release my nude pictures")
    assert ans.facts["place"] == "NG"
    assert "Nigeria" in ans.answer and "988" not in ans.answer  # no law held: said, and no US line
    assert "legal-country-law" not in step_ids(ans)


def test_a_crisis_said_earlier_keeps_the_lines_at_the_top_and_the_plan_follows(assistant):
    ans = assistant.answer("i'm in california", history=["i think i want to die",
                                                          "my ex posted everything and everyone knows"])
    top = ans.answer.split("\n\n")[0]
    assert "988" in top and ans.steps and len(ans.answer) <= 1000


def test_not_about_images_is_out_of_scope_without_a_crisis_block(assistant):
    ans = assistant.answer("someone keeps leaving nasty comments on my instagram and made a fake account "
                           "with my name. no pics of me or anything sexual, just harassment")
    assert ans.intent == "out_of_scope" and not ans.safety.crisis and not ans.steps


def test_out_of_scope_is_honest_and_cites_no_law(assistant):
    ans = assistant.answer("My landlord is trying to evict me without notice")
    assert ans.intent == "out_of_scope" and not ans.citations and not ans.steps
    assert "6851" not in ans.answer and "DMCA" not in ans.answer


def test_the_48_hour_clock_from_when_the_request_was_sent(assistant):
    ans = assistant.answer("i sent a take it down request to reddit yesterday at 3pm and its still up. im in california, im 30")
    assert "sent_removal_request" in ans.facts["done"] and ans.facts["request_sent"]
    assert "tida-clock" in step_ids(ans)


def test_staff_comparing_two_states_get_both_side_by_side_and_no_age_question(assistant):
    ans = assistant.answer("Compare the civil remedies in New York and New Jersey", persona="staff")
    assert "New York" in ans.answer and "New Jersey" in ans.answer and "|" in ans.answer
    assert {c.jurisdiction for c in ans.citations} >= {"US-NY", "US-NJ"}
    assert "under 18" not in ans.answer


def test_a_task_fills_the_letter_from_the_conversation(assistant):
    ans = assistant.answer("write my TAKE IT DOWN request", history=["my nudes are on reddit https://reddit.com/r/x/abc"])
    assert ans.intent == "task"
    assert "https://reddit.com/r/x/abc" in ans.answer and "Reddit" in ans.answer and "[name]" in ans.answer
    assert "Ley TAKE IT DOWN" not in ans.answer  # an English reply holds only the letter to send


def test_a_spanish_task_gives_the_letter_to_send_and_a_copy_to_read(assistant):
    ans = assistant.answer("escriba mi solicitud de TAKE IT DOWN, por favor",
                           history=["mis fotos íntimas están en reddit https://reddit.com/r/x/abc"])
    assert ans.intent == "task"
    send, read = ans.answer.index("Removal request under the TAKE IT DOWN Act"), ans.answer.index("Ley TAKE IT DOWN")
    assert send < read and ans.answer.count("https://reddit.com/r/x/abc") >= 2
    assert "[nombre]" in ans.answer and "[name]" in ans.answer and "[la fecha en que la envíe]" in ans.answer


def test_greeting_is_a_short_invitation(assistant):
    ans = assistant.answer("hi")
    assert ans.intent == "greeting" and len(ans.answer) < 400 and not ans.citations


def eval_messages() -> list[tuple[str, str, list[str]]]:
    """(id, text, history) for every message in the eval sets we hold."""
    blind = yaml.safe_load((DATA / "guided_blind.yaml").read_text(encoding="utf-8"))
    out = [(m["id"], m["text"], []) for m in blind["messages"]]
    out += [(c["id"], c["turns"][-1], c["turns"][:-1]) for c in blind["conversations"]]
    out += [(t["id"], t["text"], []) for t in blind["translations"]]
    for case in yaml.safe_load((DATA / "eval_set.yaml").read_text(encoding="utf-8")):
        out.append((str(case.get("id")), case["q"], []))
    return out


def test_no_adult_only_tool_in_any_minor_flagged_reply_of_any_eval_set(assistant):
    checked, offenders = 0, []
    for qid, text, history in eval_messages():
        ans = assistant.answer(text, history=history)
        if not (ans.safety.minor or ans.facts.get("ages", {}).get("pictured") == "minor"):
            continue
        checked += 1
        ids = step_ids(ans)
        bad = [i for i in ids if "stopncii" in i]
        bad += [r.name for r in ans.resources if ADULT_ONLY.search(r.name)]
        for sentence in re.split(r"(?<=[.!?。])\s+|\n", ans.answer):
            if ADULT_ONLY.search(sentence) and not NOT_THE_ROUTE.search(sentence):
                bad.append(sentence[:80])
        if bad:
            offenders.append((qid, bad))
    assert checked >= 20, checked
    assert offenders == [], offenders


def test_a_request_already_sent_gets_its_48_hour_clock_not_a_new_letter(assistant):
    ans = assistant.answer("i sent my take it down request to reddit yesterday at 3pm, nothing happened")
    assert ans.intent == "situation" and ans.letter is None
    assert "tida-clock" in step_ids(ans)


def test_a_helpline_asked_for_is_cited_from_its_directory_record(assistant):
    ans = assistant.answer("what is the CCRI number?")
    record = next(c for c in ans.citations if c.source_id == "dir-ccri-helpline")
    assert record.last_verified and "844-878-2274" in ans.answer
    assert ans.answer.count("844-878-2274") <= 2  # the record, and at most the referral line that shares it


def test_a_partner_threat_without_a_place_gets_the_abuse_step_and_the_domestic_violence_line(assistant):
    ans = assistant.answer("He keeps saying he'll post my videos if I leave him")
    assert ans.facts["who"] == "partner" and "threatened" in ans.facts["harm"]
    assert step_ids(ans)[0] == "partner-protective-order"
    assert "protective order" in ans.answer and "800-799-7233" in ans.answer
    assert ans.resources[0].id == "dir-ndvh"


def test_a_partner_outside_the_us_gets_that_countrys_line_and_no_us_step(assistant):
    ans = assistant.answer("my ex boyfriend is threatening to post my nudes, I live in Spain")
    assert ans.facts["place"] == "ES" and "partner-protective-order" not in step_ids(ans)
    assert "016" in ans.answer and "800-799-7233" not in ans.answer


def test_asking_ones_rights_without_a_place_shows_the_us_law_as_such_and_asks_the_place(assistant):
    ans = assistant.answer("Nude pictures of me were posted to a forum by someone I used to date. "
                           "What are my legal rights?")
    ids = step_ids(ans)
    assert "legal-federal-civil" in ids and "legal-state-law" in ids
    assert "If you are in the US" in ans.answer and "15 U.S.C. § 6851" in ans.answer
    assert "Which state or country" in ans.answer and len(ans.steps) <= 5


def test_asking_ones_rights_in_a_state_keeps_both_laws_in_full(assistant):
    ans = assistant.answer("my ex posted my nudes on reddit, can I sue him? I'm in Texas")
    ids = step_ids(ans)
    assert "legal-state-law" in ids and "legal-federal-civil" in ids
    assert "If you are in the US" not in ans.answer
    assert "21.16" in ans.answer and "15 U.S.C. § 6851" in ans.answer


def test_a_site_that_ignores_removal_requests_gets_its_host_registrar_and_payments(assistant):
    ans = assistant.answer("the site won't take my video down, what else can I do? I'm in Texas")
    assert "request_ignored" in ans.facts["done"] and "posted" in ans.facts["harm"]
    ids = step_ids(ans)
    assert "escalate-host" in ids and "escalate-payments" in ids and len(ids) <= 5
    assert "lookup.icann.org" in ans.answer
    cited = {c.source_id for c in ans.citations}
    assert {"platform-hosting-and-registrars", "guide-payment-processors"} <= cited


def test_a_fake_made_with_a_nudify_app_gets_the_app_store_report(assistant):
    ans = assistant.answer("someone used a nudify app to make fake nudes of me, I'm in California")
    assert ans.facts["nudify_app"] and "deepfake" in ans.facts["harm"]
    assert "report-nudify-app" in step_ids(ans) and "reportaproblem.apple.com" in ans.answer


def test_a_crisis_vote_from_the_classifier_alone_keeps_the_plan_after_the_lines(assistant):
    # "they won't take it down" resembles despair to the crisis head (tuned to 0.80 precision);
    # the lines come first, and the person still gets their next steps, within 1,000 characters.
    ans = assistant.answer("the site won't take my video down, what else can I do?")
    assert ans.safety.crisis, "the committed heads vote crisis here; pick another such message if retrained"
    assert ans.answer.index("988") < ans.answer.index("What you can do now")
    assert ans.steps and not any(s["id"] == "safety-crisis" for s in ans.steps)
    assert len(ans.answer) <= 1000


def test_words_of_crisis_still_get_only_the_lines_and_an_offer(assistant):
    ans = assistant.answer("I can't take this anymore, everyone has seen the video, I want to end my life")
    assert ans.safety.crisis and not ans.steps and "988" in ans.answer


@pytest.mark.parametrize("text", ["how do I stop my 12-year-old from getting nudes on her phone?",
                                  "¿cómo protejo a mi hija de 12 años de recibir fotos desnudas en su teléfono?"])
def test_a_parent_protecting_a_child_gets_the_phones_own_protections_as_steps(assistant, text):
    ans = assistant.answer(text)
    ids = step_ids(ans)
    assert ids[:2] == ["device-protections", "device-android-messages"] and "device-if-shared" in ids
    assert all(s["citation"] for s in ans.steps)
    # (a Spanish reply cites the guide's Spanish translation: HybridSearch.localize)
    assert {c.source_id.removesuffix("-es") for c in ans.citations} == {"guide-device-protections"}
    steps_text = ans.answer[ans.answer.index("\n1. "):]
    assert "takeitdown.ncmec.org" in steps_text and not ADULT_ONLY.search(steps_text)


def test_a_platform_pair_is_joined_in_the_readers_language(assistant):
    ans = assistant.answer("Estoy en California y mi ex publicó mis fotos íntimas en Facebook. ¿Qué hago?")
    assert "Instagram y Facebook" in ans.answer and "Instagram and Facebook" not in ans.answer
    zh = assistant.answer("我在台北，前男友把我的私密照片貼到 Facebook 上，我該怎麼辦？")
    assert "Instagram and Facebook" not in zh.answer
