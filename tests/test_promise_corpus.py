"""Promise extraction against the labelled drafts in tests/fixtures/drafts.jsonl
and the held-out drafts in tests/fixtures/promise_holdout.jsonl (labelled before the
rules were tuned against them; most of their promise-free drafts look like promises)
and tests/fixtures/promise_holdout2.jsonl (written blind; its first-run figures are below,
and it has been tuned against since) and tests/fixtures/promise_holdout3.jsonl (written
blind in non-retail registers; first-run figures below, not tuned against).

Predicted promises are matched to expected ones by kind, in order. A due date is
right when the local date and time both match (a null due_time means the configured
end of the workday, 17:00) or both are null. The floors are the issue's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slackapp.review.config import EngineConfig
from slackapp.review.model import Promise
from slackapp.review.promises import find_promises
from slackapp.review.text import mask

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "drafts.jsonl"
KIND_F1_FLOOR = 0.9
DUE_EXACT_FLOOR = 0.9


@dataclass(frozen=True)
class HeldOut:
    """A blind set's floors: HeldOut(path, kind F1, due exact, false promises per
    promise-free draft at most, promise-free drafts at least)."""

    path: Path
    kind_f1_floor: float
    due_exact_floor: float
    false_per_clean_draft_ceiling: float
    min_clean: int  # promise-free look-alikes: pointers, policies, conditionals, hopes


# Measured 2026-11-28 after tuning: F1 0.810, due exact 0.821, 9 false promises in the
# 64 promise-free drafts (0.14 each); 2026-11-29, after its misses taught a few general
# shapes (contacting someone first, ", so it'll", a new item shipping, "receive it"):
# F1 0.882, due exact 0.910. No longer blind; floors sit a little below.
HOLDOUT = HeldOut(FIXTURES / "promise_holdout.jsonl", 0.85, 0.88, 0.2, 40)
# promise_holdout2.jsonl, written and labelled blind, measured once on 2026-11-29 (first
# run, no tuning against it): kind F1 0.806 (58 of 72 matched, 72 predicted), due exact
# 0.778 (56/72), 4 false promises in the 33 promise-free drafts (0.12 each). The fixes
# made for the first held-out set just before did not move it. After its misses taught
# general shapes (have/get it <done>, "expect ..." as an imperative, "by 4:30" in working
# hours, money back on a named card): F1 0.904, due exact 0.889, still 4 false promises;
# 0.925 / 0.917 after the third set's fixes.
HOLDOUT2 = HeldOut(FIXTURES / "promise_holdout2.jsonl", 0.87, 0.86, 0.18, 30)
# promise_holdout3.jsonl, written and labelled blind (SaaS, banking, airlines, utilities,
# healthcare, insurance, hotels, food delivery, education), measured once on 2026-11-29
# (first run, no tuning against it): kind F1 0.702 (53 of 81 matched, 70 predicted), due
# exact 0.568 (46/81), 3 false promises in the 30 promise-free drafts (0.10 each). Its
# misses then taught "is going to", "we're aiming to", "unblocked", "claim reopened" and
# "have it back"; then "we can ... by <time>" and "look out for ... <time>": F1 0.752, due
# exact 0.642 (no longer blind). After the fourth set's lessons and its own remaining
# misses (corrected or revised items sent, money returned to a card, "so it arrives by",
# fallbacks such as "and if it isn't, I'll ..."): 0.831 / 0.716.
HOLDOUT3 = HeldOut(FIXTURES / "promise_holdout3.jsonl", 0.81, 0.69, 0.14, 30)
# promise_holdout4.jsonl, written and labelled blind (145 promises: long letters, terse
# notes, Slack incidents, five clocks), first run 2026-11-29 after that morning's fixes:
# kind F1 0.736 (102 of 145 matched, 132 predicted), due exact 0.593 (86/145), no false
# promise in its 25 promise-free drafts. Its misses then taught US region zones after a
# clock ("10am Eastern"), more city zones, "Black Friday" as a name, terse notes ("Late
# fee reversed."), "we're also going to", "you're confirmed on" as a fix, "back on/up" as a
# fix, and offers that wait on the customer's word: F1 0.810, due exact 0.703 (no longer
# blind); 0.821 / 0.717 after the third set's remaining misses.
HOLDOUT4 = HeldOut(FIXTURES / "promise_holdout4.jsonl", 0.80, 0.69, 0.08, 25)
# promise_holdout5.jsonl, written and labelled blind to favour shapes that are easy to miss
# (team and named-person subjects, progressives, nominal forms, bare notes, back-references),
# first run 2026-11-29 after all of the above: kind F1 0.645 (81 of 140 matched, 111
# predicted), due exact 0.464 (65/140), 6 false promises in 25 promise-free drafts (0.24).
# The same engine at the start of that session: 0.597 / 0.400. Its misses then taught
# "at the same time" taking the earlier time, "Your callback: tomorrow, 2pm", "X is calling
# you at 2", "watch for ... by 5pm", "tracking to follow", "before 11", owning a mistake
# ("that charge is on us") not being a gift, and fallbacks for a failure ("if it still
# hasn't come by 6pm, call us and ...") promising nothing yet: 0.730 / 0.579, 4 false
# promises (0.16 per promise-free draft); no longer blind.
HOLDOUT5 = HeldOut(FIXTURES / "promise_holdout5.jsonl", 0.71, 0.56, 0.18, 25)
# promise_holdout6.jsonl, written and labelled blind (146 promises, 22 promise-free), first
# run 2026-11-29: kind F1 0.647, due exact 0.514. Its misses taught a perfect-tense opening
# shared by later verbs ("I've suspended the driver, refunded the fare"), a present tense
# with a time ("our team re-runs your invoice tonight"), "the plan is to", "is done", a
# named day inside "this week", a greeting before a condition, "I've sent you a DM" as an
# update: F1 0.769, due exact 0.678 (no longer blind).
HOLDOUT6 = HeldOut(FIXTURES / "promise_holdout6.jsonl", 0.74, 0.64, 0.23, 20)
# promise_holdout7.jsonl, written and labelled blind (142 promises, 26 promise-free: chats,
# terse notes, non-native English, six clocks), first run 2026-11-29 after set six's
# lessons: kind F1 0.637, due exact 0.528 (start of that session: 0.596 / 0.472). Its
# misses taught hyphenated re- verbs, habits and failure conditions that promise nothing,
# bills paid as gifts, "taking $300 off", "at 11 to check": 0.743 / 0.648 (no longer blind).
HOLDOUT7 = HeldOut(FIXTURES / "promise_holdout7.jsonl", 0.72, 0.62, 0.23, 25)
# promise_holdout8.jsonl, written and labelled blind (137 promises, 25 promise-free, seven
# zones), first run 2026-11-29 after set seven's lessons: kind F1 0.595, due exact 0.453,
# 10 false promises in 25 promise-free drafts; the session's starting engine scored 0.600 /
# 0.460, so that session's promise lessons did not carry over at all. Its misses taught
# "p.m." not ending a sentence, "half past three", "by lunchtime", reported speech and
# standing terms promising nothing: 0.618 / 0.489, 6 false promises (no longer blind).
HOLDOUT8 = HeldOut(FIXTURES / "promise_holdout8.jsonl", 0.58, 0.46, 0.28, 25)
# promise_holdout9.jsonl, blind, written in the phrasings agents typically use (109
# promises, 18 promise-free), first run 2026-11-29 at the end of that session: kind F1
# 0.764, due exact 0.706, 7 false promises in 18 promise-free drafts (starting engine:
# 0.752 / 0.679). Its false promises taught that a customer's chat turns are theirs and
# that a promise waiting on the customer is owed only with a time; its misses, that "we'll
# apply a credit" is an act and "targeting a fix by 11am" a promise: 0.815 / 0.743, 1 false
# promise (no longer blind).
HOLDOUT9 = HeldOut(FIXTURES / "promise_holdout9.jsonl", 0.79, 0.71, 0.12, 15)
# promise_holdout10.jsonl, blind, typical phrasing (113 promises, 12 promise-free), first run
# 2026-11-29 (session 13's starting engine): kind F1 0.715, due exact 0.611. Its misses
# taught a done act and its arrival as one promise ("I've refunded $38, you should see it in
# 3 days"), "we won't charge you the fee" as a gift, "so <the outcome> by <time>" as the
# act's time, "once you submit them" waiting on the customer, the fix as a noun, "an RCA",
# "come back to you", "this arvo" and an engineer "out to fix it": 0.851 / 0.788 (no longer
# blind).
HOLDOUT10 = HeldOut(FIXTURES / "promise_holdout10.jsonl", 0.82, 0.75, 0.12, 12)
# promise_holdout11.jsonl, blind, typical phrasing in other trades (insurance, utilities,
# rail, lettings, B2B SaaS; 109 promises, 13 promise-free), first run 2026-11-29 after set
# ten's lessons: kind F1 0.804, due exact 0.706 (the session's starting engine: 0.766 /
# 0.624, so set ten's lessons carried over). Its misses taught "; you should see it back",
# "the full £950 will be in your account", "is on the way and will be with you by 6pm",
# "we expect supply to be back by 8pm", "we'll take $150 off", "Wednesday 23rd", "I've got
# a locksmith coming", "make sure you're not charged", "auto-reversed": 0.913 / 0.862 (no
# longer blind).
HOLDOUT11 = HeldOut(FIXTURES / "promise_holdout11.jsonl", 0.88, 0.82, 0.12, 12)
# promise_holdout12.jsonl, blind, typical phrasing (food delivery, hotels, home services,
# vets, gyms; 130 promises, 12 promise-free), first run 2026-11-29 after sets ten and
# eleven: kind F1 0.822, due exact 0.700 (starting engine 0.798 / 0.646). Its misses taught
# "arranged for a replacement to be dispatched on Monday", "there will be no call-out
# charge", ", which should appear within 5 days", "is booked for this afternoon and will
# have it repaired by 5pm", "a text from the technician", "one night" of a stay being no
# time of day, "sorry that X was sent" narrating the mistake: 0.879 / 0.808 (no longer
# blind).
HOLDOUT12 = HeldOut(FIXTURES / "promise_holdout12.jsonl", 0.85, 0.77, 0.12, 12)
# promise_holdout13.jsonl, blind, typical phrasing (payroll, accounting, cruises, opticians,
# business telecoms, hosting, driving schools; 122 promises, 13 promise-free), first run
# 2026-11-29 after sets ten to twelve: kind F1 0.846, due exact 0.787 (starting engine
# 0.808 / 0.721). Its misses taught "our engineers have restored" (a plural team's perfect),
# a case handed on and what the other side will do as two promises, "you'll get our
# decision", "text you his number", "the moment they arrive", "will be live by 5pm",
# "redone", "the grey one will be with you", charges refunded automatically as a rule:
# 0.877 / 0.836 (no longer blind).
HOLDOUT13 = HeldOut(FIXTURES / "promise_holdout13.jsonl", 0.85, 0.8, 0.12, 12)
# promise_holdout14.jsonl, blind, typical phrasing (grocery, banks, parcel lockers, tolls,
# councils' contractors, ride-hailing, bike rental; 123 promises, 12 promise-free), first
# run 2026-11-29 after sets ten to thirteen: kind F1 0.821, due exact 0.772 (starting
# engine 0.757 / 0.634). It taught a done act and its outcome ("I've reinstated the order,
# and your tickets will be in the app by 8pm"), a case assigned to someone "who will call
# you" as two promises, "pushing a fix", photos and an authorisation sent as news,
# "recalibrate", a concession ("even though the fee was waived") reporting nothing:
# 0.885 / 0.854 (no longer blind).
HOLDOUT14 = HeldOut(FIXTURES / "promise_holdout14.jsonl", 0.85, 0.81, 0.12, 12)
# promise_holdout15.jsonl, blind, typical phrasing (energy, water, streaming, marketplaces,
# meal kits, pharmacies, GP admin, co-working; 122 promises, 12 promise-free), first run
# 2026-11-29 after sets ten to fourteen: kind F1 0.876, due exact 0.836 (starting engine
# 0.831 / 0.705). It taught "it will appear on your card within 5 days" after a reversal,
# the missing items sent and arriving, "pushed the refund through", "shipped a fix", "the
# second night" being no time of day, "DM you the reference", "a secure message", "if it's
# not with you by Friday" waiting on a failure: 0.934 / 0.910 (no longer blind).
HOLDOUT15 = HeldOut(FIXTURES / "promise_holdout15.jsonl", 0.9, 0.87, 0.12, 12)
# promise_holdout16.jsonl, blind, typical phrasing across fourteen trades (127 promises, 13
# promise-free), first run 2026-11-29 at the end of session 13 and NOT learnt from, so it
# still measures drafts the rules were not tuned on: kind F1 0.864, due exact 0.819, no
# false promise in the 13 promise-free drafts (that session's starting engine: 0.830 /
# 0.717). Floors sit just below the first run.
HOLDOUT16 = HeldOut(FIXTURES / "promise_holdout16.jsonl", 0.84, 0.79, 0.1, 12)
# promise_holdout17.jsonl, blind, typical phrasing across twenty trades (129 promises, 12
# promise-free), first run 2026-11-29 in session 14 and NOT learnt from: kind F1 0.834, due
# exact 0.822, one false promise in the 12 promise-free drafts (a carrier's habit read as a
# report). Floors sit just below the first run.
HOLDOUT17 = HeldOut(FIXTURES / "promise_holdout17.jsonl", 0.81, 0.8, 0.1, 12)
# promise_holdout18.jsonl, blind, typical phrasing across eighteen trades (134 promises, 12
# promise-free), first run 2026-11-29 in session 15: kind F1 0.727, due exact 0.597, four
# false promises in the 12 promise-free drafts (a shop's standing rule, a restriction, a
# fallback the customer triggers). It taught general shapes: something sent now that
# "should land" later is one promise due when it lands; a hotfix, a patched build or
# service "back within" hours is a fix; washing or polishing again redoes the service;
# "send us the logs and we'll dig in" waits on the customer: 0.776 / 0.642, no false
# promise (no longer blind). Booked visits ("Ray is booked for tomorrow 7-9am") stay
# pending with a due, against this labeller's done: the app should remind about them.
HOLDOUT18 = HeldOut(FIXTURES / "promise_holdout18.jsonl", 0.75, 0.62, 0.1, 12)
# promise_holdout19.jsonl, blind, other trades again (142 promises, 12 promise-free), first
# run 2026-11-29 in session 15 after set eighteen's lessons: kind F1 0.679, due exact
# 0.493 (the session's starting engine 0.676 / 0.486). Only its first half (lp001-lp030)
# was learnt from (a visit "to reseal" or "to rewash" is a fix, "by 9 tonight" is 21:00,
# an arrival after a semicolon, "email Mr. X", a deposit "returned", "take the old ones
# away", "is now upgraded"): 0.686 / 0.392 -> 0.780 / 0.527 there, while the second half,
# kept blind, stayed at 0.672 / 0.603. Whole set now 0.727 / 0.563. Business-day dues that
# cross a public holiday differ here unless HOLIDAY_COUNTRY is set, as the labeller did.
HOLDOUT19 = HeldOut(FIXTURES / "promise_holdout19.jsonl", 0.7, 0.54, 0.2, 12)
# promise_holdout20.jsonl, blind, written in the phrasings busy agents reach for most (129
# promises, 12 promise-free), first run 2026-11-29 late in session 15: kind F1 0.840, due
# exact 0.767, one false promise in the 12 promise-free drafts (the session's starting
# engine: 0.828 / 0.767). It taught "between 8 and 12" as hours, whatever was sent
# arriving, money back after a cancelled charge, a credit given "for the days without
# service", "we finished the repair", "which you'll see in the app", corrected invoices,
# an SMS, a reorder, "on the same trip", and "when a channel is terminated, you'll ..." as
# a rule: 0.880 / 0.860 (no longer blind; promise_holdout21 measures next).
HOLDOUT20 = HeldOut(FIXTURES / "promise_holdout20.jsonl", 0.86, 0.84, 0.1, 12)
# promise_holdout21.jsonl, blind, everyday phrasing again (109 promises, 12 promise-free),
# first run 2026-11-29 at the end of session 15: kind F1 0.836, due exact 0.798, two false
# promises in the 12 promise-free drafts. The session's starting engine scored exactly the
# same: set 20's lessons did not reach set 21. It taught "I can see you were charged" and
# "your plan to 8" as no promise, "if anything is deducted, you'll receive" as a rule,
# "DHL will deliver it on Tuesday" as the replacement arriving and "take the damaged pair
# back" as an act: 0.844 / 0.807 (no longer blind; promise_holdout22 measures next).
HOLDOUT21 = HeldOut(FIXTURES / "promise_holdout21.jsonl", 0.82, 0.79, 0.2, 12)
# promise_holdout22.jsonl, blind, everyday phrasing (103 promises, 12 promise-free), first
# run 2026-11-29 at the end of session 15 and NOT learnt from: kind F1 0.806, due exact
# 0.816, three false promises in the 12 promise-free drafts; the session's starting engine
# scored exactly the same. With set 21 (0.836 / 0.798) it is the honest estimate for
# everyday drafts. Floors sit just below the first run.
HOLDOUT22 = HeldOut(FIXTURES / "promise_holdout22.jsonl", 0.78, 0.79, 0.3, 12)
# promise_holdout23.jsonl, blind, everyday phrasing (100 promises, 12 promise-free), first
# run 2026-11-29 at the start of session 16 (the engine of session 15) and NOT learnt from:
# kind F1 0.893, due exact 0.870, no false promise in the 12 promise-free drafts.
HOLDOUT23 = HeldOut(FIXTURES / "promise_holdout23.jsonl", 0.87, 0.85, 0.1, 12)
# promise_holdout25.jsonl, blind (100 promises, 4 promise-free), written at the start of
# session 17 with many nows on Fridays, month and year ends and clock-change weekends, first
# run on that session's starting engine and NOT learnt from: kind F1 0.846, due exact
# 0.830, one false promise in the 4 promise-free drafts. It taught "have your account
# unlocked" and "have an engineer restore" as the act done, and "from Friday's backup" as
# no deadline: 0.866 / 0.860 (no longer blind; set 23 moved from 0.893 / 0.870 to
# 0.904 / 0.880 with it). Most of what is left is kind conventions (replacing a part is a
# fix to this labeller, a corrected invoice a fix, a reimbursed hotel night a refund).
HOLDOUT25 = HeldOut(FIXTURES / "promise_holdout25.jsonl", 0.85, 0.84, 0.25, 4)
# promise_holdout26.jsonl, blind (114 promises, 11 promise-free), written during session 17
# with nows on Fridays, weekends, month and year ends and six clock changes; measured once
# on the session's starting engine and once on its final one, never learnt from: kind F1
# 0.889, due exact 0.816, two false promises in the 11 promise-free drafts, both times.
HOLDOUT26 = HeldOut(FIXTURES / "promise_holdout26.jsonl", 0.87, 0.80, 0.2, 11)
CONFIG = EngineConfig()


@dataclass
class Score:
    predicted: int = 0
    expected: int = 0
    matched: int = 0
    due_right: int = 0

    @property
    def f1(self) -> float:
        precision = self.matched / self.predicted if self.predicted else 1.0
        recall = self.matched / self.expected if self.expected else 1.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def due_exact(self) -> float:
        return self.due_right / self.expected if self.expected else 1.0


def _drafts(path: Path = CORPUS) -> list[dict]:
    if not path.exists():
        pytest.skip(f"tests/fixtures/{path.name} is not there yet")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _predict(draft: dict) -> tuple[Promise, ...]:
    now = datetime.fromisoformat(draft["now"]).astimezone(ZoneInfo(draft["tz"]))
    return find_promises(draft["text"], mask(draft["text"]), now=now, config=CONFIG)


def _due_label(promise: Promise) -> tuple[str, str] | None:
    if promise.due is None:
        return None
    return promise.due.date().isoformat(), promise.due.strftime("%H:%M")


def _expected_due(label: dict) -> tuple[str, str] | None:
    if label["due_date"] is None:
        return None
    return label["due_date"], label["due_time"] or CONFIG.workday_end.strftime("%H:%M")


def _pairs(predicted: tuple[Promise, ...], expected: list[dict]) -> list[tuple[Promise, dict]]:
    """Match each expected promise to the next unused predicted one of the same kind."""
    pairs, cursor = [], 0
    for label in expected:
        for index in range(cursor, len(predicted)):
            if predicted[index].kind == label["kind"]:
                pairs.append((predicted[index], label))
                cursor = index + 1
                break
    return pairs


def score(drafts: list[dict]) -> Score:
    total = Score()
    for draft in drafts:
        predicted, expected = _predict(draft), draft["expect"]["promises"]
        pairs = _pairs(predicted, expected)
        total.predicted += len(predicted)
        total.expected += len(expected)
        total.matched += len(pairs)
        total.due_right += sum(
            _due_label(promise) == _expected_due(label) and promise.done == label["done"]
            for promise, label in pairs
        )
    return total


def test_corpus_is_big_enough_to_mean_something():
    drafts = _drafts()
    with_promises = [draft for draft in drafts if draft["expect"]["promises"]]
    assert len(with_promises) >= 50


def test_promise_kind_f1_holds_its_floor():
    result = score(_drafts())
    assert result.f1 >= KIND_F1_FLOOR, f"kind F1 {result.f1:.3f}"


def test_due_dates_are_exact_often_enough():
    result = score(_drafts())
    assert result.due_exact >= DUE_EXACT_FLOOR, f"due exact {result.due_exact:.3f}"


HELD_OUT = [
    HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4, HOLDOUT5,
    HOLDOUT6, HOLDOUT7, HOLDOUT8, HOLDOUT9, HOLDOUT10, HOLDOUT11, HOLDOUT12,
    HOLDOUT13, HOLDOUT14, HOLDOUT15, HOLDOUT16, HOLDOUT17, HOLDOUT18, HOLDOUT19,
    HOLDOUT20, HOLDOUT21, HOLDOUT22, HOLDOUT23, HOLDOUT25, HOLDOUT26,
]  # fmt: skip
_by_name = pytest.mark.parametrize("held", HELD_OUT, ids=lambda held: held.path.stem)


@_by_name
def test_held_out_kind_f1_holds_its_floor(held: HeldOut):
    result = score(_drafts(held.path))
    assert result.f1 >= held.kind_f1_floor, f"{held.path.name}: kind F1 {result.f1:.3f}"


@_by_name
def test_held_out_due_dates_are_exact_often_enough(held: HeldOut):
    result = score(_drafts(held.path))
    assert result.due_exact >= held.due_exact_floor, (
        f"{held.path.name}: due exact {result.due_exact:.3f}"
    )


@_by_name
def test_held_out_drafts_that_promise_nothing_rarely_get_a_promise(held: HeldOut):
    """Pointers, policies, conditionals, quoted customers and hopes read like promises."""
    clean = [draft for draft in _drafts(held.path) if not draft["expect"]["promises"]]
    false_promises = sum(len(_predict(draft)) for draft in clean)
    assert len(clean) >= held.min_clean
    assert false_promises / len(clean) <= held.false_per_clean_draft_ceiling, (
        f"{false_promises} promises found in {len(clean)} drafts that make none"
    )


def test_scoring_notices_a_wrong_kind_and_a_wrong_due():
    """The scorer itself must be able to fail, or the floors above mean nothing."""
    draft = {
        "text": "I'll call you tomorrow at 3pm.",
        "now": "2026-11-25T10:00:00-05:00",
        "tz": "America/New_York",
        "expect": {"promises": [{"kind": "callback", "due_date": "2026-11-26",
                                 "due_time": "15:00", "done": False}]},
    }  # fmt: skip
    assert score([draft]).f1 == 1.0 and score([draft]).due_exact == 1.0
    draft["expect"]["promises"][0]["due_time"] = "16:00"
    assert score([draft]).due_exact == 0.0
    draft["expect"]["promises"][0]["kind"] = "refund"
    assert score([draft]).f1 == 0.0
