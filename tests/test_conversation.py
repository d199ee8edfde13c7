"""Conversation: one short clarifying question when it changes the answer; two voices."""

from __future__ import annotations


def test_legal_question_without_a_place_asks_where(assistant):
    ans = assistant.answer("Is it illegal for my ex to post my nudes?")
    assert "Which state or country are you in?" in ans.answer


def test_no_place_question_once_the_place_is_known(assistant):
    ans = assistant.answer("Is it illegal for my ex to post my nudes?", jurisdiction="US-OH")
    assert "Which state" not in ans.answer and any(c.jurisdiction == "US-OH" for c in ans.citations)


def test_removal_route_depends_on_age_so_it_asks_once(assistant):
    ans = assistant.answer("how do I stop my nude photos spreading")
    assert "Were you under 18" in ans.answer
    assert "Were you under 18" not in assistant.answer("I'm 25, how do I stop my nude photos spreading").answer


def test_only_one_question_at_a_time(assistant):
    ans = assistant.answer("how do I stop my nude photos spreading")
    asked = [q for q in ("Which state", "Were you under 18", "Which website") if q in ans.answer]
    assert len(asked) == 1


def test_staff_voice_is_denser_with_full_passages(assistant):
    q = "What relief is available under 15 U.S.C. § 6851(b)(3)?"
    victim, staff = assistant.answer(q), assistant.answer(q, persona="staff")
    assert "**15 U.S.C. § 6851" in staff.answer and "I'm sorry" not in staff.answer
    assert len(staff.citations) >= len(victim.citations)


def test_victim_answers_carry_a_quiet_crisis_line(assistant):
    ans = assistant.answer("How do I get a TikTok video of me removed?")
    assert "988" in ans.answer.splitlines()[-1]
