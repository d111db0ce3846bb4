"""The engine against the labelled corpus: per-code F1, parts, severity and apology counts.

Run `python tests/test_corpus.py` for the full report with every miss.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from slackapp.review import review
from slackapp.review.model import FINDING_CODES, PART_NAMES

CORPUS = Path(__file__).parent / "fixtures" / "drafts.jsonl"
FINDINGS_HOLDOUT = Path(__file__).parent / "fixtures" / "findings_holdout.jsonl"
# What the engine reaches on the first held-out set, less a small margin. It was blind
# until 2026-11-29, when its misses taught general phrasings (lowest code then 0.75, parts
# 0.87; now conditional and lawyerly 0.93, parts 0.93).
FINDINGS_HOLDOUT_FLOORS = {"code_f1": 0.9, "parts": 0.9}
# findings_holdout2.jsonl, written blind; first run 2026-11-29 after that morning's rule
# work: lowest code deflects-blame 0.59 (lawyerly 0.80, vague 0.81, overpromise 0.86),
# parts 0.867. Its misses then taught more phrasings of each (deflects-blame 0.91,
# vague-timeline 0.93, the rest 0.96 or 1.0; parts 0.895); no longer blind.
FINDINGS_HOLDOUT2 = Path(__file__).parent / "fixtures" / "findings_holdout2.jsonl"
FINDINGS_HOLDOUT2_FLOORS = {"code_f1": 0.88, "parts": 0.88}
# findings_holdout3.jsonl, written blind to favour phrasings a rule writer might miss; first
# run 2026-11-29 after the two sets above had been learnt from: conditional-apology 0.50,
# deflects-blame 0.55, hedging 0.67, vague-timeline 0.78, the rest 0.86 to 1.0, parts 0.862
# (the session's starting engine: 0.50, 0.48, 0.67, 0.71; parts 0.827). Precision was
# already high (2 false codes in 110 drafts); recall was the gap. Its misses then taught an
# if-clause about our act followed by the apology, "to the degree", "cannot rule out",
# "the previous agent", passives in transit, "we're on it", "nothing like this will happen
# again", then short reports ("Fixed it at 9:20", "a corrected card is waiting for you at
# reception"): lowest code 0.909, parts 0.905 (no longer blind).
FINDINGS_HOLDOUT3 = Path(__file__).parent / "fixtures" / "findings_holdout3.jsonl"
FINDINGS_HOLDOUT3_FLOORS = {"code_f1": 0.88, "parts": 0.88}
# findings_holdout4.jsonl, blind and labelled with estimated severity; first run 2026-11-29:
# overpromise 0.53, deflects-blame 0.59, boilerplate 0.80, parts 0.858, severity 0.57. Its
# misses taught severity cues (the card brand "Visa" is no travel visa, a practice's
# "surgery" no operation; outages, allergies, medical alarms, a business's card machine),
# "'ll" patterns that never matched after a pronoun, and new phrasings of every code:
# lowest code 0.941, parts 0.926, severity 0.80 (no longer blind).
FINDINGS_HOLDOUT4 = Path(__file__).parent / "fixtures" / "findings_holdout4.jsonl"
FINDINGS_HOLDOUT4_FLOORS = {"code_f1": 0.9, "parts": 0.9, "severity": 0.75}
# findings_holdout5.jsonl, blind, first run 2026-11-29 after set four's lessons:
# overpromise 0.43, deflects-blame 0.44, lawyerly 0.70, hedging 0.71, tone 0.71,
# conditional 0.75, parts 0.868, severity 0.59 (start of that session: deflects 0.36,
# lawyerly 0.63, conditional 0.67, parts 0.866). Its misses taught "chances are", "I'd
# guess", "had the driver ..., we would apologise", "assuming", "as you state",
# "obligations under", "a thing of the past", "without fail", named carriers, more
# severity and parts cues: lowest code 0.903, parts 0.902, severity 0.69 (no longer blind).
FINDINGS_HOLDOUT5 = Path(__file__).parent / "fixtures" / "findings_holdout5.jsonl"
FINDINGS_HOLDOUT5_FLOORS = {"code_f1": 0.88, "parts": 0.88, "severity": 0.65}
# findings_holdout6.jsonl, blind, first run 2026-11-29 after set five's lessons:
# deflects-blame 0.13, tone 0.31, conditional 0.43, sorry-you-feel 0.53, vague 0.56,
# hedging 0.63, lawyerly 0.71, overpromise 0.78, parts 0.80, severity 0.52 (start of that
# session: the same but overpromise 0.43, sorry-you-feel 0.43, parts 0.78). Phrase lessons
# from one set barely carried to the next. Its misses taught shapes rather than phrases:
# an agentless failure passive, a failure pinned on someone else ("mishandled by the
# ground handling agent"), an excuse beside ownership not counting, conditions with any
# subject before an apology, "felt so long to you": lowest code 0.625 (tone, which waits on
# severity), the rest >= 0.88, parts 0.818, severity 0.65 (no longer blind).
FINDINGS_HOLDOUT6 = Path(__file__).parent / "fixtures" / "findings_holdout6.jsonl"
FINDINGS_HOLDOUT6_FLOORS = {"code_f1": 0.6, "parts": 0.8, "severity": 0.6}
# findings_holdout7.jsonl, blind, written in the phrasings agents typically use rather than
# the long tail; first run 2026-11-29 at the end of that session: every code >= 0.82
# (deflects 0.83, conditional 0.82), parts 0.915, but severity 0.475 (its labeller rates
# quick-to-fix slips such as a misspelt badge as minor where the corpus says moderate).
# The session's starting engine: deflects 0.67, conditional 0.75, parts 0.89, severity 0.45.
# Its misses then taught a partner that "manages" the job, work "carried out by" a
# contractor, "if your parcel arrived damaged, we apologise": every code >= 0.94 (tone,
# which waits on severity), parts 0.915, severity 0.49 (no longer blind).
FINDINGS_HOLDOUT7 = Path(__file__).parent / "fixtures" / "findings_holdout7.jsonl"
FINDINGS_HOLDOUT7_FLOORS = {"code_f1": 0.9, "parts": 0.89, "severity": 0.45}
# findings_holdout8.jsonl, blind, typical phrasing (80 drafts), first run 2026-11-29 (session
# 13, after that session's promise lessons): no false finding of any code; recall short on
# deflects (0.70: a system fault "at the airport", a processing error "at our clearing
# provider", a haulage partner that "missed", a system that "automatically cancels") and
# conditional (0.83); parts 0.9125, severity 0.6375. Those misses taught that wider
# wording, "if our staff did fail to", "we will of course investigate", "keep an eye on it
# and circle back" and serious harm in other words (every card payment rejected, no
# heating overnight, backups skipped, patient names visible, stuck at an airport): every
# code >= 0.94, parts 0.915, severity 0.725 (no longer blind).
FINDINGS_HOLDOUT8 = Path(__file__).parent / "fixtures" / "findings_holdout8.jsonl"
FINDINGS_HOLDOUT8_FLOORS = {"code_f1": 0.9, "parts": 0.89, "severity": 0.68}
# findings_holdout9.jsonl, blind, typical phrasing in other trades (rail, utilities,
# lettings, insurance, B2B SaaS), first run 2026-11-29 after set eight's lessons: again no
# false finding; deflects 0.60 ("down to a signalling fault", "an incident at our cloud
# provider", "a backlog in our underwriting team", "triggered by", "the previous renter",
# "Network Rail's responsibility"), conditional, lawyerly 0.875, tone 0.857, parts 0.9075,
# severity 0.5875 (the starting engine scored the same: set eight's lessons did not reach
# these). After learning: every code >= 0.96, parts 0.91, severity 0.70 (no longer blind).
FINDINGS_HOLDOUT9 = Path(__file__).parent / "fixtures" / "findings_holdout9.jsonl"
FINDINGS_HOLDOUT9_FLOORS = {"code_f1": 0.9, "parts": 0.89, "severity": 0.65}
# findings_holdout10.jsonl, blind, typical phrasing (food delivery, hotels, home services,
# airlines, gyms, vets), first run 2026-11-29 after sets eight and nine: one false finding
# ("hope to see you again soon" as a vague timeline); deflects 0.60 again, lawyerly and
# tone 0.77; parts 0.8775, severity 0.725 (starting engine: the same codes, severity
# 0.70). Deflection is said too many ways for two sets of lessons to reach a third. Its
# misses taught "carried out by our subcontracted crew", "the cleaning company we use
# didn't", "originates from the manufacturer", "there's a fault at the local exchange",
# "our depot has been short-staffed", "Conditions of Carriage", "sorry for the trouble
# with ...": every code >= 0.93, parts 0.88, severity 0.75 (no longer blind).
FINDINGS_HOLDOUT10 = Path(__file__).parent / "fixtures" / "findings_holdout10.jsonl"
FINDINGS_HOLDOUT10_FLOORS = {"code_f1": 0.9, "parts": 0.86, "severity": 0.7}
# findings_holdout11.jsonl, blind: 100 short replies in the voice of the real agent tweets
# (55 with no finding at all), first run 2026-11-29: no false finding of any code, every
# code >= 0.857 (deflects 0.94, tone 0.86), parts 0.922, severity 0.76 (starting engine:
# deflects 0.875, severity 0.74). It taught prices "set by our content partners" and a
# public profile that "showed your email address" as serious: severity 0.77.
FINDINGS_HOLDOUT11 = Path(__file__).parent / "fixtures" / "findings_holdout11.jsonl"
FINDINGS_HOLDOUT11_FLOORS = {"code_f1": 0.85, "parts": 0.9, "severity": 0.74}
# findings_holdout12.jsonl, blind, typical phrasing (payroll, accounting, travel agencies,
# cruises, opticians, hosting, florists, driving schools, car claims), written to vary how
# blame is deflected; first run 2026-11-29 after sets eight to eleven: no false finding;
# deflects 0.79, hedging 0.80, boilerplate 0.89; parts 0.89; severity 0.55 (starting
# engine: deflects 0.74, severity 0.54). It taught a partner that "wasn't updated", work
# "set up by our onboarding team", the customer's bank, traffic and snow, "sorry again for
# the inconvenience", "under our returns policy", "every future delivery will be perfect",
# "we'll tighten things up", and serious harm to a business (a database unreachable, calls
# to voicemail, a payroll that didn't go out): every code >= 0.93, severity 0.66.
FINDINGS_HOLDOUT12 = Path(__file__).parent / "fixtures" / "findings_holdout12.jsonl"
FINDINGS_HOLDOUT12_FLOORS = {"code_f1": 0.9, "parts": 0.87, "severity": 0.62}
# findings_holdout13.jsonl, blind, typical phrasing (grocery, banks, parcel lockers, tolls,
# councils' contractors, theme parks, bike rental, home insurance), first run 2026-11-29
# after sets eight to twelve: deflects 0.53 (2 false, 7 missed), tone 0.71, conditional
# 0.88; parts 0.8725, severity 0.65 (starting engine: deflects 0.44, parts 0.8675,
# severity 0.65). It taught a manufacturer's update, an appointed loss adjusting firm, a
# vehicle breakdown, scheduling issues, a camera or dock that failed, "should any charges
# have been applied incorrectly", "if it is established that", "will be reviewing our
# processes", "nothing like this ever happens again", ownership in the next sentence
# excusing the one before, and stranding, hundreds of orders and an unwiped phone as
# serious: every code >= 0.95, parts 0.875, severity 0.70 (no longer blind).
FINDINGS_HOLDOUT13 = Path(__file__).parent / "fixtures" / "findings_holdout13.jsonl"
FINDINGS_HOLDOUT13_FLOORS = {"code_f1": 0.9, "parts": 0.85, "severity": 0.66}
# findings_holdout14.jsonl (80, typical phrasing, textbook forms avoided in half of each
# code's cases) and findings_holdout15.jsonl (100 short replies in the voice of the real
# agent tweets), first run 2026-11-29 after sets eight to thirteen. Set 14: no false
# finding; conditional and hedging 0.73, overpromise 0.83, vague 0.91; parts 0.8525,
# severity 0.7125 (starting engine: the same codes but vague 0.89; parts 0.8475, severity
# 0.70). Set 15: deflects 0.84 (2 false), conditional 0.75, tone 0.89; parts 0.916,
# severity 0.72 (starting engine: deflects 0.63, parts 0.91, severity 0.70). They taught
# conditionals with the apology after ("if you were charged in error, we apologize", "if
# Leo was marked absent in error"), "a change we made", "could be behind", "100% stable",
# "we will consider your claim", "get someone out", "in no time", "any disturbance",
# "I can see your box arrived without" as no ownership, "sorry to hear your driver
# cancelled" as sympathy: every code >= 0.92 on both; parts 0.86 and 0.92, severity 0.725
# and 0.73 (no longer blind).
FINDINGS_HOLDOUT14 = Path(__file__).parent / "fixtures" / "findings_holdout14.jsonl"
FINDINGS_HOLDOUT14_FLOORS = {"code_f1": 0.9, "parts": 0.84, "severity": 0.69}
FINDINGS_HOLDOUT15 = Path(__file__).parent / "fixtures" / "findings_holdout15.jsonl"
FINDINGS_HOLDOUT15_FLOORS = {"code_f1": 0.9, "parts": 0.9, "severity": 0.7}
# findings_holdout16.jsonl, blind, typical phrasing across fourteen trades, first run
# 2026-11-29 at the end of session 13 and NOT learnt from, so it still measures drafts the
# rules were not tuned on: no false finding of any code; tone 0.82, deflects 0.88, the rest
# >= 0.94; parts 0.9275; severity 0.725 (that session's starting engine: deflects 0.83,
# conditional and overpromise 0.875, one false vague timeline; parts 0.9075, severity
# 0.675). Floors sit just below the first run.
FINDINGS_HOLDOUT16 = Path(__file__).parent / "fixtures" / "findings_holdout16.jsonl"
FINDINGS_HOLDOUT16_FLOORS = {"code_f1": 0.8, "parts": 0.9, "severity": 0.7}
# findings_holdout17.jsonl, blind, typical phrasing across twenty trades, first run
# 2026-11-29 in session 14 (the engine of session 13's end): 4 false findings (3 vague
# timelines, 1 deflection); deflects 0.84, vague 0.84, tone 0.71, lawyerly and overpromise
# 0.94, the rest 1.0; parts 0.8825; severity 0.55. It taught a customer's bank that
# "rejected", a partner that "flagged", damage "while it was in the care of" a
# subcontractor, "due to high demand", personal documents emailed to another buyer and an
# uncapped gas pipe as serious: deflects 0.97, tone 0.875; severity 0.575 (no longer blind).
FINDINGS_HOLDOUT17 = Path(__file__).parent / "fixtures" / "findings_holdout17.jsonl"
FINDINGS_HOLDOUT17_FLOORS = {"code_f1": 0.8, "parts": 0.86, "severity": 0.55}
# findings_holdout18.jsonl, blind, typical phrasing across twenty trades, first run
# 2026-11-29 in session 15 (the engine of session 14's end): 3 false findings; tone 0.62
# (it waits on severity), vague 0.83, overpromise 0.86, deflects 0.875, lawyerly 0.90, the
# rest >= 0.92; parts 0.8225; severity 0.525. It taught "it's possible the import we
# shipped", a fault "at our hosting partner", "due to the weather", "our Terms of Business
# state that", "under Regulation ...", "we'll look into a refund", "your feedback will be
# shared with", "we'll see what we can do", "sorry you were surprised", "if any of your
# shirts came back ..., please accept our apologies", "guaranteed" going forward, and data
# sent to the wrong customer or originals misplaced as serious: tone 0.80, the rest >= 0.94,
# parts 0.825, severity 0.5625 (no longer blind).
FINDINGS_HOLDOUT18 = Path(__file__).parent / "fixtures" / "findings_holdout18.jsonl"
FINDINGS_HOLDOUT18_FLOORS = {"code_f1": 0.78, "parts": 0.81, "severity": 0.55}
# findings_holdout19.jsonl, blind, written to avoid every phrasing the earlier sets list,
# first run 2026-11-29 in session 15 after set eighteen's lessons (those lessons changed
# nothing here): deflects 0.47, hedging 0.40, overpromise 0.55, sorry-you-feel 0.60, tone
# 0.62, vague 0.67, boilerplate 0.71, lawyerly 0.80; 3 false findings; parts 0.795;
# severity 0.4625. Only its first half (lf001-lf040) was learnt from ("I suspect our",
# "it's quite possible", a manufacturer's part that failed, work "run by our
# subcontractor", a camera that "misread", "deemed conforming", "once things calm down",
# "left you feeling", "you have our apology" after "then of course"; a reaction, rat
# poison, keys handed to another tenant, a full member spreadsheet as serious): that half
# went to every code >= 0.95 but tone 0.67, severity 0.50 -> 0.60. The second half,
# kept blind, did not move (vague 0.55 -> 0.60, overpromise 0.57 -> 0.75, the rest and
# severity 0.425 unchanged): phrase lessons barely reach phrasings chosen to be new.
FINDINGS_HOLDOUT19 = Path(__file__).parent / "fixtures" / "findings_holdout19.jsonl"
FINDINGS_HOLDOUT19_FLOORS = {"code_f1": 0.6, "parts": 0.78, "severity": 0.5}
# findings_holdout20.jsonl, blind, written in the phrasings busy agents reach for most, first
# run 2026-11-29 at the end of session 15: deflects 0.90, vague 0.92, overpromise 0.93,
# hedging 0.94, the other six 1.0 (4 false findings: 2 deflections, 2 vague timelines);
# parts 0.9025; severity 0.80. The session's starting engine scored the same: on everyday
# drafts nobody tuned against, the floors hold. It then taught that a team that
# "replaced" or "fixed" something, or one we pass the case to, is no excuse, "the fault is
# with X", "it seems the sofa may have been scratched", "it'll always ... from now on" and
# "we'll drop it round later": every code >= 0.95 (no longer blind; set 21 measures next).
FINDINGS_HOLDOUT20 = Path(__file__).parent / "fixtures" / "findings_holdout20.jsonl"
FINDINGS_HOLDOUT20_FLOORS = {"code_f1": 0.9, "parts": 0.88, "severity": 0.78}
# findings_holdout21.jsonl, blind, everyday phrasing again, first run 2026-11-29 at the end
# of session 15: deflects 0.85, lawyerly and tone 0.875, hedging 0.94, vague 0.97, the
# other five 1.0 (2 false findings); parts 0.8825; severity 0.625. The session's starting
# engine scored exactly the same. It taught "a contractor working on our behalf damaged",
# a bill "generated by the Finance Office's system", "the delay is with the manufacturer",
# "in accordance with University procedures", "as per your contract terms", "it appears
# some invoices may have been exported", and X-rays emailed to another patient as serious:
# every code >= 0.94, severity 0.6375 (no longer blind; set 22 measures next).
FINDINGS_HOLDOUT21 = Path(__file__).parent / "fixtures" / "findings_holdout21.jsonl"
FINDINGS_HOLDOUT21_FLOORS = {"code_f1": 0.9, "parts": 0.86, "severity": 0.6}
# findings_holdout22.jsonl, blind, everyday phrasing, first run 2026-11-29 at the end of
# session 15 and NOT learnt from: tone 0.77 (it waits on severity), deflects and vague 0.90,
# conditional 0.92, sorry-you-feel 0.94, lawyerly 0.95, the rest 1.0 (3 false findings);
# parts 0.8475; severity 0.65 (the session's starting engine: deflects 0.86, hedging 0.95
# with a false hedge, parts 0.845, severity 0.6625). The honest estimate for everyday
# drafts after session 15; floors sit just below it.
FINDINGS_HOLDOUT22 = Path(__file__).parent / "fixtures" / "findings_holdout22.jsonl"
FINDINGS_HOLDOUT22_FLOORS = {"code_f1": 0.75, "parts": 0.83, "severity": 0.62}
# Since session 16 the estimated severity and the parts have a second opinion learnt from
# every set above (scripts/train_models.py), so on those sets they are measured in-sample;
# their severity and parts floors only guard against regressions. The honest figures are
# leave-one-set-out (severity 0.796 against the rubric's 0.755, parts 0.943 against the
# rules' 0.903; docs/decisions.md) and the set below, which it never learns from.
# findings_holdout23.jsonl, blind, everyday phrasing, first run 2026-11-29 at the start of
# session 16 (the engine of session 15): deflects 0.857 (3 missed), lawyerly and tone
# 0.94, vague 0.92, the other six 1.0, no false finding; parts 0.91; severity 0.6875. With
# the learnt second opinions (same day, not trained on this set): tone 1.0, severity
# 0.7375, parts 0.9575. Not learnt from; floors sit just below.
FINDINGS_HOLDOUT23 = Path(__file__).parent / "fixtures" / "findings_holdout23.jsonl"
FINDINGS_HOLDOUT23_FLOORS = {"code_f1": 0.83, "parts": 0.94, "severity": 0.7}
# findings_holdout24.jsonl, blind, everyday phrasing with parts that vary a lot and many
# one-line drafts, written at the end of session 16 and measured once on its final engine:
# deflects 0.95, vague 0.89 (one false), the other eight 1.0; parts 0.9325, severity
# 0.6625 (the session's starting engine: the same codes, parts 0.8875, severity 0.6375).
# Never learnt from, by the rules or the learnt models; floors sit just below.
FINDINGS_HOLDOUT24 = Path(__file__).parent / "fixtures" / "findings_holdout24.jsonl"
FINDINGS_HOLDOUT24_FLOORS = {"code_f1": 0.86, "parts": 0.92, "severity": 0.64}
# findings_holdout25.jsonl, blind, everyday phrasing with many precision traps, written by
# a helper at the start of session 17 and first run on that session's starting engine:
# deflects 0.818 (4 missed), vague 0.90 (3 false), lawyerly and hedging 0.93, the other
# six 1.0; parts 0.94; severity 0.5625 (this labeller reads many slips as minor that the
# corpus calls moderate: 16 of 36 minor drafts read moderate). Possessive culprits, met
# before it was read, raised deflects to 0.870. Its code misses then taught a depot named
# in the possessive, a third-party provider with a service word, "in line with clause 9",
# a hedge with "that afternoon" in it, and "shortly after midnight" / "soon, on 1 April" as
# no vague time: every code 1.0, parts 0.9425, severity unchanged (no longer blind for
# codes; the learnt models never train on it, `HELD_OUT`).
FINDINGS_HOLDOUT25 = Path(__file__).parent / "fixtures" / "findings_holdout25.jsonl"
FINDINGS_HOLDOUT25_FLOORS = {"code_f1": 0.95, "parts": 0.93, "severity": 0.54}
# findings_holdout26.jsonl, blind, written by a helper during session 17 (tired agents'
# phrasing, a third on each severity) and measured once on the session's starting engine
# and once on its final one, never learnt from: vague 0.81 then 0.83 (4 then 3 false, 3
# missed), deflects 0.87 (3 missed), overpromise 0.94, tone 0.95, boilerplate 0.95 (one
# false), the other five 1.0; parts 0.9275; severity 0.80, both times. Floors sit just below.
FINDINGS_HOLDOUT26 = Path(__file__).parent / "fixtures" / "findings_holdout26.jsonl"
FINDINGS_HOLDOUT26_FLOORS = {"code_f1": 0.8, "parts": 0.91, "severity": 0.78}
SHARED_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples.jsonl"

# Severity reaches 0.81 here; the minor/moderate line of these hand labels is itself fuzzy, so
# the held-out drafts (labelled before tuning) keep the rules from fitting this corpus.
FLOORS = {"code_f1": 0.9, "parts": 0.9, "severity": 0.8, "apology_count": 0.95}
HOLDOUT = Path(__file__).parent / "fixtures" / "severity_holdout.jsonl"
HOLDOUT_FLOOR = 0.82  # measured 0.845 (60/71)
# severity_holdout2.jsonl: 100 blind drafts in typical phrasing, a third on each level with
# many borderline cases; first run 2026-11-29 (session 13) 0.75 (the session's starting
# engine 0.74). Its serious misses taught harm said plainly: a night spent at an airport,
# a shock from bare wires, a stranger let into a room or an account, a loose caliper, the
# power going off beside a ventilator, "three Tuesdays running": 0.82 (no longer blind).
# Its minor/moderate misses were left: a typo on an invoice or a reissued certificate is
# minor to this labeller and moderate to the corpus's.
HOLDOUT2 = Path(__file__).parent / "fixtures" / "severity_holdout2.jsonl"
HOLDOUT2_FLOOR = 0.79
# severity_holdout3.jsonl: 100 blind drafts, half on the minor/moderate line; first run
# 2026-11-29 (session 13, after severity_holdout2's lessons) 0.67, starting engine 0.66.
# It taught business harm said plainly (none of your stores could take payments, no sales,
# anyone with the link), a loose gas connection, an injury in a crush, a backup that had
# been failing, and moderate harm as lost effort (a wasted trip, a missed slot, glasses
# you can't wear, numbers pulled by hand); "£96 each time" is no repetition: 0.79.
HOLDOUT3 = Path(__file__).parent / "fixtures" / "severity_holdout3.jsonl"
HOLDOUT3_FLOOR = 0.74
# severity_holdout4.jsonl: 100 blind drafts, half of them near twins across a line; first
# run 2026-11-29 (session 15) 0.75. It taught a brake that "wasn't working" further from its
# noun, a bug that let other users open a customer's file, a child sent home with an adult
# not on the list, "the third Thursday in a row", and that "rent" alone is no harm (a rent
# payment that bounced or went astray is): 0.82 (no longer blind).
HOLDOUT4 = Path(__file__).parent / "fixtures" / "severity_holdout4.jsonl"
HOLDOUT4_FLOOR = 0.79
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "real-data"
REAL_LABELS = Path(__file__).parent / "fixtures" / "real_labels.jsonl"
REAL_LABELS2 = Path(__file__).parent / "fixtures" / "real_labels2.jsonl"


@dataclass
class Scores:
    drafts: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    parts_right: int = 0
    severity_right: int = 0
    count_right: int = 0
    misses: list[str] = field(default_factory=list)

    def f1(self, code: str) -> float:
        tp, fp, fn = self.tp[code], self.fp[code], self.fn[code]
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    def rate(self, right: int, per_draft: int = 1) -> float:
        return right / (self.drafts * per_draft)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score(drafts: list[dict]) -> Scores:
    scores = Scores()
    for draft in drafts:
        expect = draft["expect"]
        result = review(
            draft["text"],
            severity=draft.get("severity"),
            now=datetime.fromisoformat(draft["now"]),
            tz=draft["tz"],
        )
        scores.drafts += 1
        got, want = set(result.codes), set(expect["codes"])
        for code in FINDING_CODES:
            scores.tp[code] += code in got and code in want
            scores.fp[code] += code in got and code not in want
            scores.fn[code] += code in want and code not in got
        parts = result.parts.to_dict()
        wrong_parts = [p for p in PART_NAMES if parts[p] != expect["parts"][p]]
        scores.parts_right += len(PART_NAMES) - len(wrong_parts)
        severity = expect.get("severity", result.severity.estimated)  # unlabelled: not scored
        scores.severity_right += result.severity.estimated == severity
        scores.count_right += result.apology_count == expect["apology_count"]
        if got != want or wrong_parts or result.severity.estimated != severity:
            scores.misses.append(
                f"{draft['id']}: +{sorted(got - want)} -{sorted(want - got)} parts{wrong_parts} "
                f"sev {result.severity.estimated}/{severity} "
                f"count {result.apology_count}/{expect['apology_count']} :: {draft['text'][:160]!r}"
            )
    return scores


@pytest.fixture(scope="module")
def corpus_scores() -> Scores:
    return score(load(CORPUS))


def test_corpus_is_big_and_varied() -> None:
    drafts = load(CORPUS)
    assert len(drafts) >= 250
    codes = Counter(code for d in drafts for code in d["expect"]["codes"])
    assert all(codes[code] >= 10 for code in FINDING_CODES), codes
    assert sum(not d["expect"]["codes"] for d in drafts) >= 40  # good apologies too


@pytest.mark.parametrize("code", FINDING_CODES)
def test_each_code_is_found_precisely(corpus_scores: Scores, code: str) -> None:
    assert corpus_scores.f1(code) >= FLOORS["code_f1"], corpus_scores.misses


def test_parts_are_read_right(corpus_scores: Scores) -> None:
    accuracy = corpus_scores.rate(corpus_scores.parts_right, len(PART_NAMES))
    assert accuracy >= FLOORS["parts"], corpus_scores.misses


def test_severity_is_estimated_right(corpus_scores: Scores) -> None:
    assert corpus_scores.rate(corpus_scores.severity_right) >= FLOORS["severity"]


@pytest.mark.parametrize(
    ("path", "floor"),
    [
        (HOLDOUT, HOLDOUT_FLOOR),
        (HOLDOUT2, HOLDOUT2_FLOOR),
        (HOLDOUT3, HOLDOUT3_FLOOR),
        (HOLDOUT4, HOLDOUT4_FLOOR),
    ],
    ids=["severity_holdout", "severity_holdout2", "severity_holdout3", "severity_holdout4"],
)
def test_severity_holds_on_drafts_it_was_not_tuned_on(path: Path, floor: float) -> None:
    drafts = load(path)
    right = sum(review(d["text"]).severity.estimated == d["severity"] for d in drafts)
    assert right / len(drafts) >= floor, f"{path.name}: {right} of {len(drafts)}"


@pytest.mark.parametrize(
    ("path", "floors"),
    [
        (FINDINGS_HOLDOUT, FINDINGS_HOLDOUT_FLOORS),
        (FINDINGS_HOLDOUT2, FINDINGS_HOLDOUT2_FLOORS),
        (FINDINGS_HOLDOUT3, FINDINGS_HOLDOUT3_FLOORS),
        (FINDINGS_HOLDOUT4, FINDINGS_HOLDOUT4_FLOORS),
        (FINDINGS_HOLDOUT5, FINDINGS_HOLDOUT5_FLOORS),
        (FINDINGS_HOLDOUT6, FINDINGS_HOLDOUT6_FLOORS),
        (FINDINGS_HOLDOUT7, FINDINGS_HOLDOUT7_FLOORS),
        (FINDINGS_HOLDOUT8, FINDINGS_HOLDOUT8_FLOORS),
        (FINDINGS_HOLDOUT9, FINDINGS_HOLDOUT9_FLOORS),
        (FINDINGS_HOLDOUT10, FINDINGS_HOLDOUT10_FLOORS),
        (FINDINGS_HOLDOUT11, FINDINGS_HOLDOUT11_FLOORS),
        (FINDINGS_HOLDOUT12, FINDINGS_HOLDOUT12_FLOORS),
        (FINDINGS_HOLDOUT13, FINDINGS_HOLDOUT13_FLOORS),
        (FINDINGS_HOLDOUT14, FINDINGS_HOLDOUT14_FLOORS),
        (FINDINGS_HOLDOUT15, FINDINGS_HOLDOUT15_FLOORS),
        (FINDINGS_HOLDOUT16, FINDINGS_HOLDOUT16_FLOORS),
        (FINDINGS_HOLDOUT17, FINDINGS_HOLDOUT17_FLOORS),
        (FINDINGS_HOLDOUT18, FINDINGS_HOLDOUT18_FLOORS),
        (FINDINGS_HOLDOUT19, FINDINGS_HOLDOUT19_FLOORS),
        (FINDINGS_HOLDOUT20, FINDINGS_HOLDOUT20_FLOORS),
        (FINDINGS_HOLDOUT21, FINDINGS_HOLDOUT21_FLOORS),
        (FINDINGS_HOLDOUT22, FINDINGS_HOLDOUT22_FLOORS),
        (FINDINGS_HOLDOUT23, FINDINGS_HOLDOUT23_FLOORS),
        (FINDINGS_HOLDOUT24, FINDINGS_HOLDOUT24_FLOORS),
        (FINDINGS_HOLDOUT25, FINDINGS_HOLDOUT25_FLOORS),
        (FINDINGS_HOLDOUT26, FINDINGS_HOLDOUT26_FLOORS),
    ],
    ids=[
        "findings_holdout",
        "findings_holdout2",
        "findings_holdout3",
        "findings_holdout4",
        "findings_holdout5",
        "findings_holdout6",
        "findings_holdout7",
        "findings_holdout8",
        "findings_holdout9",
        "findings_holdout10",
        "findings_holdout11",
        "findings_holdout12",
        "findings_holdout13",
        "findings_holdout14",
        "findings_holdout15",
        "findings_holdout16",
        "findings_holdout17",
        "findings_holdout18",
        "findings_holdout19",
        "findings_holdout20",
        "findings_holdout21",
        "findings_holdout22",
        "findings_holdout23",
        "findings_holdout24",
        "findings_holdout25",
        "findings_holdout26",
    ],
)
def test_findings_hold_on_drafts_written_blind(path: Path, floors: dict[str, float]) -> None:
    """Drafts written without sight of the rules (tests/fixtures/README.md); each set's
    first-run figures are recorded above, before any rule was changed against it."""
    scores = score(load(path))
    assert min(scores.f1(code) for code in FINDING_CODES) >= floors["code_f1"], scores.misses
    parts = scores.rate(scores.parts_right, len(PART_NAMES))
    assert parts >= floors["parts"], scores.misses
    assert scores.rate(scores.count_right) >= FLOORS["apology_count"]
    if "severity" in floors:
        assert scores.rate(scores.severity_right) >= floors["severity"], scores.misses


def _real_agent_turns() -> list[tuple[str, str]]:
    """(tweet ID, text) of every agent message in ../shared/real-data, in file order."""
    dialogs = [
        d for p in sorted(REAL_DATA.glob("*.json")) for d in json.loads(p.read_text("utf-8"))
    ]
    turns = [
        (turn["tweet_ID"], turn["message"])
        for d in dialogs
        for turn in d["dialogContent"]
        if "agent" in turn
    ]
    turns += [
        (d["agentURL"]["tweet_ID"], d["agentURL"]["url_utterance"])
        for d in dialogs
        if d.get("agentURL")
    ]
    return turns


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="../shared/real-data is absent")
def test_real_agent_messages_mostly_read_as_minor() -> None:
    """Real support tweets are mostly routine help: a severity alarm there is a false one."""
    messages = [text for _, text in _real_agent_turns()]
    levels = Counter(review(m).severity.estimated for m in messages)
    assert levels["minor"] >= 0.9 * len(messages), levels
    assert levels["serious"] <= 0.01 * len(messages), levels


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="../shared/real-data is absent")
@pytest.mark.parametrize(
    ("path", "most_false", "most_missed"),
    [(REAL_LABELS, 13, 13), (REAL_LABELS2, 4, 3)],
    ids=["real_labels", "real_labels2"],
)
def test_real_agent_messages_agree_with_their_blind_labels(
    path: Path, most_false: int, most_missed: int
) -> None:
    """Real agent tweets labelled by hand (tests/fixtures/README.md): codes, apology counts
    and severity.

    real_labels.jsonl (251, every tweet with an apology word), first run 2026-11-29
    (session 15): 12 false and 18 missed codes, apology count exact on all, severity 0.88.
    Most of what is left is where this labeller and the corpus's differ ("sorry for the
    frustration" is boilerplate to the corpus, sorry-you-feel here). It taught "according to
    our refund policy", "as you can imagine, things have been hectic", "we're currently
    looking into" and "if you think the decision was made in error" as the customer's
    claim: 11 false, 11 missed (no longer blind).
    real_labels2.jsonl (200 tweets with no apology word), first run the same day after
    those lessons: 5 false codes (the session's starting engine: 6), 2 missed, severity
    0.91. It taught that "you can appeal and we'll take a closer look" waits on the
    customer: 3 false (no longer blind).
    """
    texts = dict(reversed(_real_agent_turns()))  # the first message of a repeated ID
    labels = load(path)
    false = missed = counted = severe = 0
    for label in labels:
        expect, result = label["expect"], review(texts[label["tweet_id"]])
        got, want = set(result.codes), set(expect["codes"])
        false, missed = false + len(got - want), missed + len(want - got)
        counted += result.apology_count == expect["apology_count"]
        severe += result.severity.estimated == expect["severity"]
    assert false <= most_false and missed <= most_missed, (false, missed)
    assert counted == len(labels)
    assert severe >= 0.85 * len(labels), severe


def test_apologies_are_counted_exactly(corpus_scores: Scores) -> None:
    assert corpus_scores.rate(corpus_scores.count_right) >= FLOORS["apology_count"]


@pytest.mark.skipif(not SHARED_EXAMPLES.exists(), reason="../shared/examples.jsonl is absent")
def test_the_contract_examples_review_as_labelled() -> None:
    scores = score(load(SHARED_EXAMPLES))
    assert scores.misses == []


def report(path: Path = CORPUS) -> None:
    scores = score(load(path))
    print(f"{scores.drafts} drafts")
    for code in FINDING_CODES:
        tp, fp, fn = scores.tp[code], scores.fp[code], scores.fn[code]
        print(f"  {code:28} F1 {scores.f1(code):.3f}  tp {tp:3} fp {fp:3} fn {fn:3}")
    print(f"  parts accuracy     {scores.rate(scores.parts_right, len(PART_NAMES)):.3f}")
    print(f"  severity accuracy  {scores.rate(scores.severity_right):.3f}")
    print(f"  apology count      {scores.rate(scores.count_right):.3f}")
    print("\n".join(scores.misses))


if __name__ == "__main__":
    import sys

    report(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
