"""The review engine as an agent meets it: what is flagged, what is left alone, the rewrite."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from slackapp.review import EngineConfig, review, rewrite
from slackapp.review.language import NOT_AN_APOLOGY, NOT_ENGLISH
from slackapp.review.learnt import settle, weight_table, word_features
from slackapp.review.model import FINDING_CODES, PART_NAMES, PROMISE_KINDS
from slackapp.review.parts import rule_parts
from slackapp.review.rules import RulePackError, load_rules
from slackapp.review.severity import HarmCues, cue_severity, severity_features
from slackapp.review.text import fold, mask

NOW = datetime.fromisoformat("2026-11-25T10:00:00-05:00")


def run(text: str, **kwargs: object):
    return review(text, now=NOW, tz="America/New_York", **kwargs)


@pytest.mark.parametrize(
    ("draft", "code", "phrase"),
    [
        ("Apologies for any hassle this may have caused.", "inconvenience-boilerplate",
         "Apologies for any hassle this may have caused"),
        ("We regret any trouble.", "inconvenience-boilerplate", "We regret any trouble"),
        ("I'm sorry you feel that way.", "sorry-you-feel", "I'm sorry you feel that way"),
        ("Sorry if you were offended by the email.", "sorry-you-feel",
         "Sorry if you were offended"),
        ("If we made a mistake, we will fix it by Friday.", "conditional-apology",
         "If we made a mistake"),
        ("As per our policy, refunds take 10 days.", "lawyerly-distance", "As per our policy"),
        ("Due to a system error, your card was charged twice.", "deflects-blame",
         "Due to a system error"),
        ("The courier lost your parcel.", "deflects-blame", "The courier lost"),
        ("It appears we may have sent the wrong size.", "hedging", "It appears we"),
        ("We will fix this as soon as possible.", "vague-timeline", "as soon as possible"),
        ("Rest assured, this will never happen again.", "overpromise",
         "Rest assured, this will never happen again"),
    ],
)
def test_each_weak_phrase_is_flagged_with_its_exact_span(draft: str, code: str, phrase: str):
    finding = next(f for f in run(draft).findings if f.code == code)
    assert finding.text == phrase == draft[finding.start : finding.end]
    assert finding.message and finding.rule


@pytest.mark.parametrize(
    "draft",
    [
        "Sorry to hear that! I've reset your password and it works now.",
        "I'm sorry, but I can't share another customer's booking details.",
        "No inconvenience at all, Jo! Your new card will arrive by Tuesday.",
        "As per your request, I've moved your delivery to Saturday.",
        "We'll fix it by Friday at 5pm.",
    ],
)
def test_ordinary_support_prose_is_left_alone(draft: str):
    assert run(draft).findings == ()


@pytest.mark.parametrize(
    ("draft", "code", "phrase"),
    [
        # third person and the bare "we regret the ..."
        ("The hotel regrets any inconvenience caused.", "inconvenience-boilerplate",
         "regrets any inconvenience caused"),
        ("We regret the inconvenience. Your new SIM has been dispatched.",
         "inconvenience-boilerplate", "We regret the inconvenience"),
        ("I'm sorry this has left you feeling frustrated.", "sorry-you-feel",
         "I'm sorry this has left you feeling frustrated"),
        ("We're sorry to hear you're not satisfied with our decision.", "sorry-you-feel",
         "We're sorry to hear you're not satisfied with our decision"),
        # conditionals the customer is made to resolve
        ("Sorry if you were charged incorrectly. Please reply with your order number.",
         "conditional-apology", "Sorry if you were charged incorrectly"),
        ("We are sorry for any inconvenience if your delivery arrived late.",
         "conditional-apology", "if your delivery arrived late"),
        ("Should the Bank be found to have erred, you may contact the ombudsman.",
         "conditional-apology", "Should the Bank be found to have erred"),
        # hedges with other subjects and shapes
        ("Seems the invoice PDF we generated might have had the wrong VAT rate.", "hedging",
         "Seems the invoice PDF we generated"),
        ("Our last deploy might have broken SSO logins.", "hedging",
         "Our last deploy might have broken"),
        ("sorry, we might've sent you the wrong link", "hedging",
         "we might've sent"),
        ("It's possible that your form was filed under the wrong number on our end.",
         "hedging",
         "It's possible that your form was filed under the wrong number on our end"),
        ("While we may have been slow to process it, the fee stands.", "hedging",
         "we may have been slow"),
        # a look with no time, by whoever looks
        ("Our team is looking into it.", "vague-timeline", "Our team is looking into it"),
        ("Send us photos and we'll review it.", "vague-timeline", "we'll review it"),
        # promises about the future no one controls
        ("Rest assured, the duplicate debit will not recur.", "overpromise",
         "Rest assured, the duplicate debit will not recur"),
        ("Sorry, I mixed up your order. Won't happen again!", "overpromise",
         "Won't happen again"),
        ("We are committed to making sure this never happens again.", "overpromise",
         "making sure this never happens again"),
        ("Words cannot convey how sorry I am that the link was broken.", "tone-mismatch",
         "Words cannot convey how"),
        ("Sorry, the delay to your flight was caused by our ground handling partner.",
         "deflects-blame", "caused by our ground handling partner"),
        ("Your passport application was misplaced during processing. We'll call you at 3pm.",
         "deflects-blame", "was misplaced during"),
        ("Sorry, per our Master Services Agreement credits apply only after 4 hours.",
         "lawyerly-distance", "per our Master Services Agreement"),
        ("There might have been a misconfiguration on our end when we set up your IP list.",
         "hedging", "There might have been a misconfiguration on our end"),
        ("Sorry, I set the wrong domain. This can't happen again, 100%.", "overpromise",
         "This can't happen again"),
        ("Sorry we charged you twice. DM us and we'll get the extra one refunded.",
         "vague-timeline", "we'll get the extra one refunded"),
        ("If we double-booked your seats for the game, I apologize.", "conditional-apology",
         "If we double-booked your seats for the game"),
        ("To the degree our Tuesday release is responsible, apologies.", "conditional-apology",
         "To the degree our Tuesday release is responsible"),
        ("We cannot rule out that we were slow to reconcile your withdrawal.", "hedging",
         "cannot rule out that"),
        ("Noted, the previous agent should have processed your refund last week.",
         "deflects-blame", "the previous agent"),
        ("Sorry, I processed the freeze wrongly. Nothing like this will happen again.",
         "overpromise", "Nothing like this will happen again"),
        ("Sorry the subtitles are out of sync because we uploaded the wrong file. We're on it!",
         "vague-timeline", "We're on it"),
        # "'ll" after a pronoun ("you'll", "they'll") opens a pattern as "will" does
        ("Rest easy: you'll never be short-paid again.", "overpromise",
         "you'll never be short-paid again"),
        ("They'll look into this.", "vague-timeline", "They'll look into this"),
        ("Sorry, I reissued it. You won't ever have to chase us for a refund again.",
         "overpromise", "won't ever have to chase us for a refund again"),
        ("Going forward, your readings will always be 100% accurate.", "overpromise",
         "will always be 100% accurate"),
        ("We've added a second region and downtime is now impossible.", "overpromise",
         "is now impossible"),
        ("That happened in the exchange, which falls outside our network.",
         "deflects-blame", "falls outside our network"),
        ("It's held up because the claims department hasn't signed it off yet.",
         "deflects-blame", "because the claims department hasn't"),
        ("The engineer didn't turn up, so your heating's still off. These things happen!",
         "deflects-blame", "These things happen"),
        ("The $87 fare came from our pricing engine applying surge twice.", "deflects-blame",
         "came from our pricing engine"),
        ("Your parcel was left in the wrong locker (#22, not #12) by the courier.",
         "deflects-blame", "left in the wrong locker (#22, not #12) by the courier"),
        ("Our underwriting system added a penalty that doesn't apply to you.", "deflects-blame",
         "Our underwriting system added"),
        ("sorry for inconvenience caused, we will fix it today", "inconvenience-boilerplate",
         "sorry for inconvenience caused"),
        ("I'm sorry you've found our engineers' visits a nuisance.", "sorry-you-feel",
         "I'm sorry you've found our engineers' visits a nuisance"),
        ("Sorry you're not a fan of the new invoice layout!", "sorry-you-feel",
         "Sorry you're not a fan of the new invoice layout"),
        ("We may have given you the wrong advice. If so, we apologise.", "conditional-apology",
         "If so, we apologise"),
        ("Were we at fault in sending the tickets, please accept our apologies.",
         "conditional-apology", "Were we at fault in sending the tickets"),
        ("We may well have mis-keyed your bank details.", "hedging", "We may well have mis-keyed"),
        ("Please note that under our Service Level Agreement, credits start after 24 hours.",
         "lawyerly-distance", "Please note that under our Service Level Agreement"),
        ("The agency is not liable for condensation-related damage.", "lawyerly-distance",
         "The agency is not liable for condensation-related damage"),
        ("Chances are your bag was tagged to PHX on our end.",
         "hedging", "Chances are"),
        ("I'd guess our firmware push is what knocked the inverters offline.",
         "hedging", "I'd guess our"),
        ("There's a fair chance our scaffolders cracked them.",
         "hedging", "a fair chance our"),
        ("Had the driver passed your stop, we would of course apologise.",
         "conditional-apology", "Had the driver passed your stop"),
        ("Assuming our agent did quote you $39 a day, I apologize.",
         "conditional-apology", "Assuming our agent did quote you $39 a day"),
        ("If your summary was, as you state, sent to another portal, please accept our apologies.",
         "conditional-apology", "If your summary was, as you state"),
        ("In case the mistake was ours, we're sorry.",
         "conditional-apology", "In case the mistake was ours"),
        ("Nothing in this letter should be read as an acceptance of fault.",
         "lawyerly-distance", "should be read as an acceptance"),
        ("Our obligations under UK GDPR have been met.",
         "lawyerly-distance", "Our obligations under"),
        ("We've switched processors, so double charges are now a thing of the past.",
         "overpromise", "a thing of the past"),
        ("From now on every parcel will reach you cold, without fail.",
         "overpromise", "without fail"),
        ("Your code has been reset and it won't glitch on you again.",
         "overpromise", "it won't glitch on you again"),
        ("The charge was raised by our damage-assessment partner.",
         "deflects-blame", "was raised by our damage-assessment partner"),
        ("Royal Mail held the parcel at the sorting office.",
         "deflects-blame", "Royal Mail held"),
        ("The chairs went to your old address, as the delivery details weren't updated.",
         "deflects-blame", "as the delivery details weren't updated"),
        ("The Revenues team did not record your direct debit change.",
         "deflects-blame", "The Revenues team did not"),
        ("Sorry the outcome of your case wasn't what you were hoping for.",
         "sorry-you-feel", "Sorry the outcome of your case wasn't what you were hoping for"),
        ("I'll get it moved to your Amex in a bit.",
         "vague-timeline", "in a bit"),
        ("I feel sick about this: the banner showed the old crest.",
         "tone-mismatch", "I feel sick about"),
        # a failure with no one doing it, or done by someone else
        ("Your new glasses were mishandled at the lab, sorry.", "deflects-blame",
         "Your new glasses were mishandled"),
        ("Sorry, the bag was tagged by the ground handling agent at Lisbon.", "deflects-blame",
         "was tagged by the ground handling agent"),
        ("The delay arose from the lender's underwriting backlog.", "deflects-blame",
         "arose from the lender's underwriting backlog"),
        ("If our crew did hand you a boat with a flat battery, I'm very sorry.",
         "conditional-apology", "If our crew did hand you a boat with a flat battery"),
        ("Sorry the wait at baggage claim felt so long to you, Nate.", "sorry-you-feel",
         "Sorry the wait at baggage claim felt so long to you"),
        # typical phrasings (findings_holdout7)
        ("Our ground handling partner at JFK manages baggage, so we've passed it on.",
         "deflects-blame", "Our ground handling partner at JFK manages"),
        ("Collection in your area is carried out by our contractor, Greenway Services.",
         "deflects-blame", "carried out by our contractor"),
        ("Sorry, this was possibly caused by Xero's API changes last week.", "deflects-blame",
         "caused by Xero's API"),
        ("Unfortunately our workroom contractor cut your curtains 20cm too short.",
         "deflects-blame", "our workroom contractor cut"),
        ("If your parcel arrived damaged, we apologise.", "conditional-apology",
         "If your parcel arrived damaged"),
        ("If any data was lost, we sincerely apologize.", "conditional-apology",
         "If any data was lost"),
        ("Sorry about that, we're working on getting someone out to you.", "vague-timeline",
         "we're working on getting"),
        # typical phrasings (findings_holdout8)
        ("Your bag was not loaded due to a baggage handling system fault at the airport.",
         "deflects-blame", "due to a baggage handling system fault"),
        ("This was caused by a processing error at our clearing provider.", "deflects-blame",
         "caused by a processing error at our clearing provider"),
        ("Our haulage partner missed the collection on Monday, apologies for that.",
         "deflects-blame", "Our haulage partner missed"),
        ("A misconfigured bucket at our analytics vendor exposed your reports.",
         "deflects-blame", "at our analytics vendor exposed"),
        ("The appointment system automatically cancels bookings that are not confirmed.",
         "deflects-blame", "The appointment system automatically cancels"),
        ("If our staff did fail to provide the wheelchair, we will of course investigate.",
         "conditional-apology", "If our staff did fail to provide the wheelchair"),
        ("If our staff did fail to provide the wheelchair, we will of course investigate.",
         "vague-timeline", "we will of course investigate"),
        ("Looks like it was on their side :shrug: we'll keep an eye on it and circle back.",
         "vague-timeline", "we'll keep an eye on it and circle back"),
        ("Our engineers believe it could possibly be related to a change on our side.",
         "hedging", "could possibly be related to a change on our"),
        # typical phrasings (findings_holdout9)
        ("Your 07:42 was late. This was down to a signalling fault outside Reading.",
         "deflects-blame", "down to a signalling fault"),
        ("Webhooks have been failing because of an incident at our cloud provider.",
         "deflects-blame", "because of an incident at our cloud provider"),
        ("The SUV wasn't available because the previous renter brought it back late.",
         "deflects-blame", "because the previous renter brought"),
        ("The delay on the line is Network Rail's responsibility.", "deflects-blame",
         "is Network Rail's responsibility"),
        ("The water coming through your ceiling is down to the freeholder.", "deflects-blame",
         "down to the freeholder"),
        ("If we oversold Friday's gig, please raise a claim.", "conditional-apology",
         "If we oversold Friday's gig"),
        ("Our liability is limited as set out in section 9.", "lawyerly-distance",
         "Our liability is limited"),
        ("In line with the rental agreement you signed, the excess applies.",
         "lawyerly-distance", "In line with the rental agreement"),
        ("The firm cannot be held liable for delays caused by intermediary banks.",
         "lawyerly-distance", "The firm cannot be held liable"),
        ("It seems your letter might have been posted to your old address by mistake.",
         "hedging", "might have been posted to your old address by mistake"),
        # typical phrasings (findings_holdout10)
        ("Your move was carried out by our subcontracted crew.", "deflects-blame",
         "carried out by our subcontracted crew"),
        ("Unfortunately the restaurant added peanut sauce to your noodles.", "deflects-blame",
         "Unfortunately the restaurant added"),
        ("The cleaning company we use didn't get to the apartment in time.", "deflects-blame",
         "The cleaning company we use didn't"),
        ("Our ground handling agent at Heathrow failed to load it.", "deflects-blame",
         "Our ground handling agent at Heathrow failed"),
        ("The fault with your vehicle's brakes originates from the manufacturer.",
         "deflects-blame", "fault with your vehicle's brakes originates from"),
        ("Turns out the villa was double-booked, sorry.", "deflects-blame",
         "the villa was double-booked"),
        ("There's a fault at the local exchange, so your broadband is down.", "deflects-blame",
         "There's a fault at the local exchange"),
        ("Sorry, our Leeds depot has been short-staffed.", "deflects-blame",
         "our Leeds depot has been short-staffed"),
        ("In accordance with our Conditions of Carriage, seats may change.",
         "lawyerly-distance", "In accordance with our Conditions of Carriage"),
        ("Please refer to section 4 of your sales agreement.", "lawyerly-distance",
         "refer to section 4"),
        ("Sorry if you lost your saved loadouts after the patch!", "conditional-apology",
         "Sorry if you lost your saved loadouts after the patch"),
        ("I can assure you you won't have any more problems with it.", "overpromise",
         "you won't have any more problems"),
        ("Sorry for the trouble with tonight's order!", "inconvenience-boilerplate",
         "Sorry for the trouble"),
        # typical phrasings (findings_holdout12)
        ("The airline moved your flight and our transfer partner wasn't updated.",
         "deflects-blame", "our transfer partner wasn't"),
        ("The import was set up by our onboarding team, who used the wrong setting.",
         "deflects-blame", "was set up by our onboarding team"),
        ("The delay was caused by your bank's processing.", "deflects-blame",
         "caused by your bank's processing"),
        ("The late return was caused by heavy traffic.", "deflects-blame",
         "caused by heavy traffic"),
        ("The heavy snow across the north meant our deliveries were delayed.", "deflects-blame",
         "The heavy snow across the north meant"),
        ("The hotel's reservation system did not receive the booking.", "deflects-blame",
         "The hotel's reservation system did not"),
        ("The payment may have been held up at our final approval stage.", "hedging",
         "may have been held up at our"),
        ("It might have been partly down to a misconfiguration on our side.", "hedging",
         "might have been partly down to a misconfiguration on our"),
        ("Sorry again for the inconvenience.", "inconvenience-boilerplate",
         "Sorry again for the inconvenience"),
        ("Under our returns policy we are not able to offer a repair.", "lawyerly-distance",
         "Under our returns policy"),
        ("It was calculated in line with the market value definition in your policy.",
         "lawyerly-distance", "in line with the market value definition"),
        ("I promise you every future delivery will be complete and perfect.", "overpromise",
         "every future delivery will be"),
        ("No biggie, we'll tighten things up going forward!", "vague-timeline",
         "we'll tighten things up"),
        # typical phrasings (findings_holdout13)
        ("The locker manufacturer pushed a firmware update that jammed the doors.",
         "deflects-blame", "The locker manufacturer pushed a firmware update"),
        ("Our appointed loss adjusting firm did not attend in time.", "deflects-blame",
         "Our appointed loss adjusting firm did not"),
        ("Due to a vehicle breakdown, the crew were unable to collect bins today.",
         "deflects-blame", "Due to a vehicle breakdown"),
        ("This was due to scheduling issues with our subcontractor.", "deflects-blame",
         "due to scheduling issues"),
        ("The toll camera failed to read your tag at Junction 4.", "deflects-blame",
         "The toll camera failed"),
        ("The dock at Kings Cross kept charging you while the bike was locked in.",
         "deflects-blame", "The dock at Kings Cross kept charging"),
        ("Should any charges have been applied incorrectly, these will be refunded.",
         "conditional-apology", "Should any charges have been applied incorrectly"),
        ("If it is established that the item was taken, compensation will be considered.",
         "conditional-apology", "If it is established that the item was taken"),
        ("Sorry about the battery. Our team will investigate further.", "vague-timeline",
         "Our team will investigate further"),
        ("We take this seriously and will be reviewing our processes.", "vague-timeline",
         "will be reviewing our processes"),
        ("I'll make sure nothing like this ever happens again.", "overpromise",
         "nothing like this ever happens again"),
        # typical phrasings (findings_holdout14 and 15)
        ("If we've charged you twice for the booster, please accept our apologies.",
         "conditional-apology", "If we've charged you twice for the booster"),
        ("If Leo was marked absent in error on Tuesday, I apologise.", "conditional-apology",
         "If Leo was marked absent in error"),
        ("Hi Matt, if anything went wrong with your order, we're sorry.", "conditional-apology",
         "if anything went wrong with your order"),
        ("If you were charged in error, we apologize.", "conditional-apology",
         "If you were charged in error"),
        ("It's possible a change we made to the router settings caused it.", "hedging",
         "It's possible"),
        ("We think our latest app update could be behind the audio cutting out.", "hedging",
         "We think our latest app update could be"),
        ("I can promise you it's 100% stable now.", "overpromise", "100% stable"),
        ("To the extent any delay was ours, we will consider your claim.", "vague-timeline",
         "we will consider your claim"),
        ("That's not right. We'll get someone out to take a look.", "vague-timeline",
         "We'll get someone out"),
        # typical phrasings (findings_holdout17)
        ("Your membership was suspended because your bank rejected our direct debit.",
         "deflects-blame", "your bank rejected"),
        ("Our compliance partner flagged your transfer.", "deflects-blame",
         "Our compliance partner flagged"),
        ("The damage occurred while it was in the care of our specialist subcontractor.",
         "deflects-blame", "while it was in the care of our specialist subcontractor"),
        ("Due to high demand this weekend your removal has moved to Monday.",
         "deflects-blame", "Due to high demand"),
        ("I guarantee it'll be back in your account in no time.", "vague-timeline",
         "in no time"),
        ("Please accept our apologies for any disturbance.", "inconvenience-boilerplate",
         "Please accept our apologies for any disturbance"),
        ("In accordance with the school's Charging and Remissions Policy, deposits are kept.",
         "lawyerly-distance", "In accordance with the school's Charging and Remissions Policy"),
        ("Sorry! The restaurant made your order with peanuts even though you flagged it.",
         "deflects-blame", "The restaurant made your order with peanuts even though"),
        # typical phrasings (findings_holdout18)
        ("It's possible the invoice template we changed last week dropped your VAT number.",
         "hedging", "It's possible"),
        ("A misconfigured server at our hosting partner exposed the logs.", "deflects-blame",
         "at our hosting partner"),
        ("Due to the weather your booking was not moved to the later ferry.", "deflects-blame",
         "Due to the weather"),
        ("Please note that our Terms of Business state that fees are set by the lender.",
         "lawyerly-distance", "our Terms of Business state that"),
        ("Under Regulation (EU) No 261/2004, no compensation is payable.", "lawyerly-distance",
         "Under Regulation (EU) No 261/2004"),
        ("We'll look into a partial refund for the missed night.", "vague-timeline",
         "We'll look into a partial refund"),
        ("Your comments will be passed on to the relevant team.", "vague-timeline",
         "comments will be passed on to the relevant team"),
        ("We'll see what we can do about the scratched frame.", "vague-timeline",
         "We'll see what we can do"),
        ("Sorry you were caught out by the deposit, Amy!", "sorry-you-feel",
         "Sorry you were caught out"),
        ("If your cake came back without the topper, please accept our apologies.",
         "conditional-apology", "If your cake came back without the topper"),
        ("Your invoices will always reach the right inbox from now on.", "overpromise",
         "will always reach the right inbox from now on"),
        ("From now on, delivery before 9am is guaranteed.", "overpromise",
         "From now on, delivery before 9am is guaranteed"),
        # unusual phrasings (findings_holdout19)
        ("I suspect our night porter gave your room to someone else.", "hedging",
         "I suspect"),
        ("It's highly possible that our courier dropped it.", "hedging",
         "It's highly possible that"),
        ("You'll never find a double-booked court at our club again.", "overpromise",
         "You'll never find a double-booked court at our club again"),
        ("Our lockers will work flawlessly every time from now on.", "overpromise",
         "will work flawlessly every time"),
        ("Your parking fine will be cancelled once the back office gets through the queue.",
         "vague-timeline", "once the back office gets through the queue"),
        ("We'll rebook you once things calm down.", "vague-timeline", "once things calm down"),
        ("The printer should be fixed a little later on.", "vague-timeline",
         "a little later on"),
        ("I'm sorry our reply has left you feeling ignored.", "sorry-you-feel",
         "I'm sorry our reply has left you feeling ignored"),
        ("The cake was late because our flour supplier delivered the wrong bags.",
         "deflects-blame", "because our flour supplier delivered"),
        ("The tour was run by our subcontractor, who left without you.", "deflects-blame",
         "was run by our subcontractor"),
        ("The gate camera misread your number plate.", "deflects-blame",
         "The gate camera misread"),
        ("Items within that range are deemed acceptable.", "lawyerly-distance",
         "are deemed acceptable"),
        ("If it did happen during the move, then of course you have our apology.",
         "conditional-apology", "If it did happen during the move"),
        # everyday phrasings (findings_holdout20)
        ("It seems the fault is with the landlord's boiler.", "deflects-blame",
         "the fault is with the landlord's boiler"),
        ("It seems the parcel may have been damaged when our driver unloaded it.", "hedging",
         "It seems"),
        ("Sorry! It'll always be packed properly from now on.", "overpromise",
         "It'll always be packed properly from now on"),
        ("Sorry, Sam, we'll drop the right charger round later.", "vague-timeline",
         "we'll drop the right charger round later"),
        # everyday phrasings (findings_holdout21)
        ("Your power was off after a contractor working on our behalf cut a cable.",
         "deflects-blame", "a contractor working on our behalf cut"),
        ("The duplicate bill was generated by the billing team's system.", "deflects-blame",
         "was generated by the billing team's system"),
        ("The delay is with the supplier, who still hasn't sent the part.", "deflects-blame",
         "The delay is with the supplier"),
        ("In accordance with College procedures, your appeal has been logged.",
         "lawyerly-distance", "In accordance with College procedures"),
        ("It appears some of your payslips may have been sent without the bonus.", "hedging",
         "It appears"),
        # a vague time word still counts in an offer the customer sets off
        ("Email us the order number and we'll reply as soon as possible.", "vague-timeline",
         "as soon as possible"),
        # the finding takes the noun with it, so the rewrite leaves no "issue" behind
        ("We're currently investigating this issue.", "vague-timeline",
         "We're currently investigating this issue"),
    ],
)
def test_many_phrasings_of_each_weak_move_are_flagged(draft: str, code: str, phrase: str):
    finding = next(f for f in run(draft, severity="minor").findings if f.code == code)
    assert finding.text == phrase == draft[finding.start : finding.end]


@pytest.mark.parametrize(
    "draft",
    [
        "We'll review your claim and call you by Friday at 5pm.",
        "Our policy is to call before any visit, and I didn't call you. That's on me; I've "
        "refunded the $40 call-out fee today.",
        "Looks like we can get you on the 5pm flight today; I've booked it.",
        "Sorry for the wait. If you'd like a callback, I can ring you at 3pm today.",
        "Your subscription is cancelled, so the $9 charge won't recur after today.",
        "The hotel we partner with in Lisbon has moved you to a sea-view room at no cost.",
        "Sorry we charged you twice. DM us and we'll refund the extra one within the hour.",
        "We're so sorry for the disruption to your journey on 19 November; I've refunded "
        "your fare today.",
        "I'm sorry for the disruption this caused your front desk; I've credited your account.",
        "I didn't cure the filling long enough. Our policy is that any redo within 30 days is "
        "free, so I've booked you in tomorrow at 11:15.",
        "I've sent you a DM and reissued €146 to your Visa ending 4410 this morning.",
        "That's our fault: our installer cut the line when he fitted the box. Fixed at 9am.",
        "Sorry, I've passed your feedback on to our product team.",
        "Let us know what you'd like to watch! We'll keep an eye out for your reply.",
        "If we fail to deliver by Friday, I'll refund the delivery fee that day.",
        "Thanks for coming to the show, and hope to see you again soon!",
        "My apologies for the mix-up with your coffee order: I used regular milk. Fixed now.",
        "Sorry to hear your flight was diverted because of the storm. I've booked you a room.",
        "Looks like the downloaded data may have been corrupted on your console: try this.",
        "I'm really sorry. Our scanner app crashed at the doors of your show. That was a bug we "
        "shipped on Thursday, and we've rolled it back.",
        "Sorry to hear your driver cancelled at the last minute, Olly. Hope you made it!",
        # a recipient named, a customer's next step, a time given
        "Sorry, I gave the wrong keys to the cleaning contractor. I'll bring yours by 6pm today.",
        "If you send us the photos, we'll see what we can do to help.",
        "Your feedback will be shared with the design team by Friday.",
        "We'll reimburse the taxi: send the receipt to me and I'll pay it within two days.",
        # an offer the customer sets off, and their own claim (real agent tweets)
        "If you feel the ban was a mistake, you can appeal and we'll take a closer look.",
        "If you think the charge was made in error, you can dispute it here.",
        "It's a temporary issue; I would check back in later on.",
        # a team that put it right, a team we pass it to
        "Sorry the shower was cold. Our maintenance team replaced the valve this morning.",
        "I'm sorry it was late. I've passed your details to the delivery team, who will call "
        "you at 3pm today.",
        "Sorry you waited. We'll chat later today at 4pm.",
    ],
)
def test_look_alikes_of_those_phrasings_are_left_alone(draft: str):
    assert run(draft).findings == ()


def test_three_sorries_are_a_flood_but_two_are_not():
    assert "over-apology" in run("Sorry! So sorry. Our apologies for the delay.").codes
    assert "over-apology" not in run("Sorry! So sorry about the delay.").codes


def test_tone_follows_the_severity_the_agent_picks():
    draft = "Oops, my bad! We sent your records to the wrong clinic. Fixed now."
    assert "tone-mismatch" in run(draft, severity="serious").codes
    assert "tone-mismatch" not in run(draft, severity="minor").codes
    drama = "I am mortified and cannot apologize enough: your receipt had a typo. Fixed now."
    assert "tone-mismatch" in run(drama, severity="minor").codes
    assert "tone-mismatch" not in run(drama, severity="serious").codes


@pytest.mark.parametrize(
    ("draft", "severity"),
    [
        # a gesture is not harm: a small credit does not make a cosmetic slip bigger ...
        ("Sorry the sprinkles were left off your cupcakes. I've added a $10 credit to your "
         "account.", "minor"),
        # ... and a free extra does not make a lost booking small
        ("We lost your dinner reservation for Saturday. I've rebooked your table and added a "
         "free dessert.", "moderate"),
        # when nothing is named, the size of the gesture is the clue
        ("Sorry for the trouble. We've credited $150 to your account.", "moderate"),
        ("Sorry, your account will be unlocked by 5pm today.", "moderate"),
        ("Sorry, we cut off your electricity by mistake this morning. It's back on now.",
         "serious"),
        ("Sorry your order went missing again, the third time this month.", "serious"),
        ("For technical help, please visit our help site.", "minor"),
        # the card brand is no travel visa, and a practice's "surgery" is no operation
        ("Sorry, I've reissued the €146 to your Visa ending 4410. Dr Shah's surgery", "moderate"),
        # harm said in other words: a home without water, a medical alarm, an allergy
        ("Sorry our contractor left your home without water for 31 hours.", "serious"),
        ("Sorry your landline has been dead since Saturday, with your dad's medical alarm on it.",
         "serious"),
        ("Sorry, we swapped your gluten-free bread for a regular loaf.", "serious"),
        ("Sorry, we disconnected your electricity on Monday.", "serious"),
        # a locked-out workspace for an hour is not a locked-out home
        ("Sorry your team was locked out of the reporting workspace for an hour. Fixed.",
         "moderate"),
        ("Sorry your smart lock locked you out for two hours last night.", "serious"),
        # typical phrasings (findings_holdout8): whole businesses, homes, data and travellers
        ("Sorry, our checkout rejected every card payment on your store this morning.",
         "serious"),
        ("Sorry, you've had no heating or hot water overnight.", "serious"),
        ("Sorry, our backup job skipped your database for the last six nights.", "serious"),
        ("Sorry, patient names were visible on your waiting-room screen.", "serious"),
        ("Sorry, no driver met you on arrival and you waited at the airport.", "serious"),
        ("My bad, you were stuck at Faro airport with two kids and no car.", "serious"),
        ("Sorry, we booked your hire car for the wrong day.", "moderate"),
        ("Sorry, nobody in your workspace could log in from 09:10 to 10:05.", "serious"),
        ("Sorry, all card authorisations on your platform failed for an hour.", "serious"),
        ("Sorry, water is coming through your bathroom ceiling light.", "serious"),
        ("Sorry, the water supply to the Millbrook area has been interrupted.", "serious"),
        ("Sorry, the last train didn't run and you were left at Leeds station.", "serious"),
        ("Oops, we froze your card so you couldn't pay for your hotel.", "serious"),
        ("My bad, I forgot to send the engineer after you reported a smell of gas.", "serious"),
        # harm said plainly (severity_holdout2)
        ("Sorry, our desk was closed and you spent the night in the terminal.", "serious"),
        ("Sorry, the electrician left bare wires and your daughter got a shock.", "serious"),
        ("Sorry, the key card opened another room and that guest let themselves in.",
         "serious"),
        ("Sorry, one caliper was left loose after we fitted your brake pads.", "serious"),
        ("Sorry, the top-up failed and your power went off overnight.", "serious"),
        ("Sorry, your parcel has been delayed three Fridays running.", "serious"),
        ("Oops, the villa was double-booked and you ended up without a bed last night.",
         "serious"),
        ("My bad, the cable on the machine snapped while you were using it.", "serious"),
        ("Sorry, your production database was unreachable for 47 minutes.", "serious"),
        ("Sorry, every inbound call to your office went to voicemail on Monday.", "serious"),
        ("Sorry, we emailed your mortgage offer, with your bank details and income, to another "
         "client.", "serious"),
        ("Sorry, the dual-control brake wasn't working during the lesson.", "serious"),
        ("Sorry, your November payroll didn't go out on Friday.", "serious"),
        ("Sorry you waited four hours on the hard shoulder with your children.", "serious"),
        ("Sorry, none of your four stores could take card payments until 3pm.", "serious"),
        ("Sorry, the link our team shared gave anyone with the URL access to your customer list.",
         "serious"),
        ("Sorry, the fitter left a gas connection loose overnight.", "serious"),
        ("We're so sorry you were hurt in the crush at the front.", "serious"),
        ("Oops, we dropped you at the wrong services at 1am and you were stuck there.",
         "serious"),
        ("No worries, the sync is sorted: ~600 orders are sitting unshipped.", "serious"),
        ("We sold your trade-in phone without wiping it, so the buyer could see your photos.",
         "serious"),
        ("I am mortified: our email spelt your surname as 'Muller' instead of 'Müller'.",
         "minor"),
        ("Oops, our bad! There was no room for you and the kids when you arrived at 11pm.",
         "serious"),
        ("Oops! Your account email was changed without you asking.", "serious"),
        ("No worries! We emailed your mortgage offer and bank statements to another buyer.",
         "serious"),
        ("Oops, our fitters didn't cap the gas pipe when they took your cooker away.", "serious"),
        ("Sorry, you drove 40 minutes to the store and your order wasn't there.", "moderate"),
        ("Sorry, the lenses were swapped, so you can't wear them.", "moderate"),
        ("Sorry, your rail pass was charged twice, £96 each time. I've reversed one.",
         "moderate"),
        ("Heads up, we emailed you a file with 3,400 members' home addresses by mistake.",
         "serious"),
        ("Our lab misplaced the original negatives you sent in for scanning.", "serious"),
        # severity_holdout4
        ("Sorry, the brake on the passenger side of the lesson car wasn't working.", "serious"),
        ("Sorry, a bug let other signed-in members open your uploaded passport.", "serious"),
        ("Sorry, our helper let Sam go home with an adult who isn't on your list.", "serious"),
        ("I'm sorry, this is the third Friday in a row your box hasn't come.", "serious"),
        ("We took a £20 fee although your rent payment went through fine. It's refunded.",
         "moderate"),
        ("Sorry, your rent payment bounced because we paused your card.", "serious"),
        # findings_holdout19
        ("I'm so sorry Ella had a reaction after eating one of our cookies.", "serious"),
        ("Our technician left a rat poison tray in your shed, next to the dog bed.", "serious"),
        ("The spare keys for your flat were handed to another tenant on Monday.", "serious"),
        ("Our newsletter went out with the full member spreadsheet attached.", "serious"),
        ("Oops, we emailed your scans to another patient this morning.", "serious"),
    ],
)
def test_severity_reads_the_harm_not_the_remedy(draft: str, severity: str):
    assert run(draft).severity.estimated == severity


@pytest.mark.parametrize(
    ("draft", "rubric", "learnt"),
    [
        # "receipt" and "order" are money words to the rubric; the harm here is cosmetic
        ("Hey Leo, sorry, I put the wrong date on your receipt (the 3rd instead of the 4th). "
         "I've sent a corrected copy to your email just now.", "moderate", "minor"),
        ("Hi Ben, sorry, the order confirmation showed the wrong delivery slot (2-4pm "
         "instead of 4-6pm). The driver has the right one, so nothing changes for you.",
         "moderate", "minor"),
    ],
)
def test_the_learnt_severity_corrects_the_rubric_where_it_is_sure(
    draft: str, rubric: str, learnt: str
):
    result = run(draft)
    assert cue_severity(HarmCues.of(fold(mask(draft))), result.promises) == rubric
    assert result.severity.estimated == learnt


@pytest.mark.parametrize(
    ("rubric", "chances", "settled"),
    [
        ("serious", {"minor": 0.6, "moderate": 0.1, "serious": 0.3}, "serious"),
        ("serious", {"minor": 0.85, "moderate": 0.1, "serious": 0.05}, "minor"),
        ("minor", {"minor": 0.1, "moderate": 0.7, "serious": 0.2}, "moderate"),
        ("moderate", {"minor": 0.5, "moderate": 0.45, "serious": 0.05}, "moderate"),
    ],
)
def test_the_rubric_stands_unless_the_model_gives_it_little_chance(
    rubric: str, chances: dict, settled: str
):
    assert settle(rubric, chances) == settled


def test_the_severity_model_weighs_every_cue_the_engine_reads():
    """A lexicon renamed or added after training would otherwise be ignored in silence."""
    drafts = [*Path(__file__).parent.joinpath("fixtures").glob("*holdout2*.jsonl")]
    read = {
        name
        for path in drafts
        for line in path.read_text("utf-8").splitlines()
        for lowered in [fold(mask(json.loads(line)["text"]))]
        for name in severity_features(word_features(lowered), HarmCues.of(lowered), (), "minor")
        if ":" in name
    }
    assert {"cue:serious", "cue:moderate", "cue:minor", "cue:repeated"} <= read
    weighed = weight_table("severity").weights.keys()
    promised = {"cue:credit", "cue:costly promise"}
    assert read | promised | {"rubric:moderate", "rubric:serious"} <= weighed


@pytest.mark.parametrize(
    "draft",
    [
        "Dear Mr Hale, I am so sorry that our welcome pack spelled your daughter's name as "
        "'Amellia'. I've reprinted it and it's in the post today.",
        "@joe_k Hi Joe, the dye I mixed on Friday left your grey roots showing, and that one's "
        "on me. I've booked you in with Sam on Tuesday at 11am to redo it.",
    ],
)
def test_the_learnt_parts_see_a_problem_the_lexicon_misses(draft: str):
    result = run(draft)
    ruled = rule_parts(fold(mask(draft)), result.promises, result.findings)
    assert not ruled.names_problem
    assert result.parts.names_problem


def test_the_parts_model_weighs_every_fact_the_rules_give_it():
    """part_features names each part the rules found, each finding code and each promise's
    kind and timing; a name the table lacks would be ignored in silence."""
    facts = {f"rule:{name}" for name in PART_NAMES} | {f"code:{c}" for c in FINDING_CODES}
    facts |= {f"promise:{kind}" for kind in PROMISE_KINDS}
    facts |= {"promise:done", "promise:due", "promise:undated"}
    assert facts <= weight_table("parts").weights.keys()


def test_quoted_customer_words_and_code_are_not_held_against_the_agent():
    draft = (
        "> I'm sorry you feel that way is what your colleague said!\n"
        "You're right, Chris, that was our mistake. `sorry for any inconvenience` was a "
        "template. I've refunded the $12 fee today."
    )
    result = run(draft)
    assert result.findings == ()
    assert result.apology_count == 0


def test_a_customers_turns_in_a_chat_transcript_are_not_the_agents_words():
    draft = (
        "Customer: sorry, sorry, I'm so sorry to chase!! will you refund it?\n"
        "Agent: You're right, we charged you twice. I've refunded the $20 today."
    )
    result = run(draft)
    assert result.apology_count == 0
    assert [p.kind for p in result.promises] == ["refund"]


def test_slack_markup_is_read_through_and_offsets_index_the_original():
    draft = "<@U0123> *Sorry* for any inconvenience, see <https://x.example|our status page>."
    finding = run(draft).findings[0]
    assert finding.code == "inconvenience-boilerplate"
    assert draft[finding.start : finding.end] == finding.text
    assert finding.text.startswith("Sorry")


def test_the_five_parts_of_a_good_apology_are_recognised():
    draft = (
        "Hi Dana, you were charged twice for your March subscription. That's on us: I "
        "reversed the duplicate $29 charge this morning, and I've added a free month to your "
        "account. I'll email you the confirmation by 3pm today."
    )
    result = run(draft)
    assert result.parts.missing() == ()
    assert result.findings == ()
    assert result.score == 100


@pytest.mark.parametrize(
    ("draft", "owned"),
    [
        ("Hi Dev, the engraving on your watch reads 'Happy Annivesary'. That's down to me, "
         "I typed it in.", True),
        ("Your bike was sent to the wrong depot, and that one's entirely down to us.", True),
        ("Sorry the venue is closed. It's down to us to find another date, so I'll call you "
         "tomorrow.", False),
    ],
)
def test_saying_it_is_down_to_us_owns_the_mistake(draft: str, owned: bool):
    assert run(draft).parts.owns_it is owned


def test_the_score_weights_ownership_above_the_rest():
    owned = run("That was our mistake. I'm sorry.")
    unowned = run("Your order was late. I'm sorry.")
    assert owned.score > unowned.score


def test_a_gesture_is_suggested_for_serious_or_repeated_failures_only():
    minor = run("Sorry, the font on your receipt was too small. Fixed now.")
    repeated = run("Your delivery was late again, the third time this month. Sorry.")
    serious = run("We exposed your medical records to another patient. I'm sorry.")
    assert not minor.suggest_gesture
    assert repeated.suggest_gesture
    assert serious.suggest_gesture
    assert "[a concrete gesture" in serious.rewrite


def test_the_rewrite_keeps_every_specific_and_fills_gaps_with_placeholders():
    draft = (
        "Hi Priya, we apologize for any inconvenience. Due to a system error, order #A-7713 "
        "was charged $49 twice. We will refund it as soon as possible."
    )
    rewrite = run(draft).rewrite
    for specific in ("Priya", "#A-7713", "$49"):
        assert specific in rewrite
    assert "inconvenience" not in rewrite
    assert re.search(r"\[[^\]]+\]", rewrite)  # what only the agent knows is left to fill
    assert run(rewrite).findings == ()


@pytest.mark.parametrize(
    ("draft", "opening"),
    [
        ("@chloe_r Hi Chloe, the toner I used on Saturday left your hair green. I've booked "
         "you in on Thursday at 10am to correct it.", "@chloe_r Hi Chloe, I'm sorry"),
        ("@AirFlyer @help due to a system error your bag went to Madrid. We'll get it to you "
         "asap.", "@AirFlyer @help I'm sorry"),
        ("Dear Mr. and Mrs. Fraser,\n\nDue to a system error your room was given away. We "
         "will find you another asap.", "Dear Mr. and Mrs. Fraser, I'm sorry"),
        ("Hi there, sorry for this! Due to a system error your order was late.",
         "Hi there, sorry for this!"),
    ],
)
def test_the_rewrite_keeps_whom_it_addresses_in_front(draft: str, opening: str):
    assert run(draft).rewrite.startswith(opening)


def test_the_rewrite_keeps_the_problem_when_it_drops_the_excuse():
    rewrite = run("Your order was late because our courier lost it. Sorry about that.").rewrite
    assert "Your order was late." in rewrite
    assert "courier" not in rewrite
    assert run(rewrite).findings == ()


def test_the_rewrite_leaves_no_dangling_due_to():
    draft = (
        "Hi Omar, sorry, your tickets for Friday's match were not emailed due to a problem "
        "with our ticketing partner's mail server. They're attached here."
    )
    rewrite = run(draft).rewrite
    assert "were not emailed." in rewrite
    assert "due to" not in rewrite


@pytest.mark.parametrize(
    ("draft", "phrase"),
    [
        ("Your parcel arrived damaged due to the carrier's rough handling.",
         "due to the carrier's rough handling"),
        ("The delay was caused by our supplier's warehouse closing early.",
         "caused by our supplier's warehouse closing early"),
        ("Your order is late because of the courier's backlog in Leeds.",
         "because of the courier's backlog"),
        ("Due to our partner's error, you were charged twice.", "Due to our partner's error"),
        ("Our payment processor's outage meant your card was declined.",
         "Our payment processor's outage"),
    ],
)
def test_a_culprit_named_in_the_possessive_is_deflection_with_what_it_did(
    draft: str, phrase: str
):
    assert [(f.code, f.text) for f in run(draft).findings] == [("deflects-blame", phrase)]


@pytest.mark.parametrize(
    ("draft", "code", "phrase"),
    [
        ("Your parcel got held up at the courier's depot in Leeds.", "deflects-blame",
         "got held up at the courier's depot"),
        ("The porting team missed your request, so it had to be resubmitted.",
         "deflects-blame", "The porting team missed"),
        ("Our third-party billing provider applied your $95 fee twice.", "deflects-blame",
         "Our third-party billing provider"),
        ("In line with clause 9 of your agreement, a fee of 25% applies.",
         "lawyerly-distance", "In line with clause 9"),
        ("It seems our release that afternoon may have broken the integration.", "hedging",
         "our release that afternoon may have broken"),
    ],
)
def test_phrasings_first_met_in_a_blind_set_are_flagged(draft: str, code: str, phrase: str):
    assert (code, phrase) in [(f.code, f.text) for f in run(draft).findings]


@pytest.mark.parametrize(
    "draft",
    [
        "Your line was disconnected shortly after midnight on 3 March. That was our error.",
        "I've refunded it today, and we'll collect it soon, on 1 April, as planned.",
        "It'll be with you soon, on Friday 6 March before 1pm.",
        "Our billing team will refund the $95 today.",
        "Our records suggest this may have been sent on the 4th.",
    ],
)
def test_a_time_given_at_once_or_our_own_team_acting_is_not_flagged(draft: str):
    assert [f.code for f in run(draft).findings] == []


@pytest.mark.parametrize(
    "draft",
    [
        # a possessive that names no one else
        "Due to next month's price change, we're writing to every customer.",
        "I'm sorry our driver's van broke down and we missed your slot.",
        "That was our engineer's mistake, and I've booked him back for 9am tomorrow.",
        # a third party after a preposition is not the one acting
        "The transfer of €4,500 to your landlord was delayed by two days.",
        "Your number transfer from your old carrier failed on Monday.",
    ],
)
def test_what_blames_no_one_else_is_left_alone(draft: str):
    assert not [f for f in run(draft).findings if f.code == "deflects-blame"]


@pytest.mark.parametrize(
    ("draft", "problem", "culprit"),
    [
        ("Your parcel arrived damaged due to the carrier's rough handling.",
         "Your parcel arrived damaged because of a mistake on our side.", "carrier"),
        ("Our payment processor's outage meant your card was declined.",
         "Your card was declined.", "processor"),
        ("Hi Sam, a glitch in the booking system meant that your room was given away.",
         "Your room was given away.", "glitch"),
        ("The lenses you ordered on the 2nd haven't arrived because our head office team "
         "never placed the order.", "The lenses you ordered on the 2nd haven't arrived.",
         "placed"),
        ("Your 07:50 from Leeds arrived 20 minutes late because Network Rail overran its "
         "engineering works at Doncaster.", "Your 07:50 from Leeds arrived 20 minutes late.",
         "Doncaster"),
        ("Wednesday's outage was caused by a fibre cable cut by a contractor near Elm Street.",
         "Wednesday's outage was our mistake.", "contractor"),
    ],
)
def test_the_rewrite_drops_the_culprit_and_keeps_the_problem(
    draft: str, problem: str, culprit: str
):
    rewrite = run(draft).rewrite
    assert problem in rewrite
    assert culprit not in rewrite
    assert run(rewrite).findings == ()


def test_a_cause_that_is_the_problem_keeps_its_specifics():
    draft = (
        "We've refunded the €14 seat fee because your family weren't seated together on your "
        "flight to Rome."
    )
    assert "flight to Rome" in run(draft).rewrite


@pytest.mark.parametrize(
    ("draft", "mended"),
    [
        ("We'll chase the lab and get back to you as soon as we hear anything.",
         "We'll chase the lab and get back to you by [a specific time]."),
        ("I'll raise it with Alan when he's next in and we'll take it from there.",
         "I'll raise it with Alan by [a specific time] and we'll take it from there."),
        # The vague clause is itself the commitment: it keeps a placeholder for the action.
        ("I'll ask for the claim to be looked at again, and we'll be in touch once that's "
         "done.", "and we'll [what you will do] by [a specific time]"),
    ],
)
def test_a_vague_wait_after_a_stated_action_asks_only_for_the_time(draft: str, mended: str):
    rewrite = run(draft).rewrite
    assert mended in rewrite
    assert run(rewrite).findings == ()


@pytest.mark.parametrize(
    ("draft", "severity", "sentence"),
    [
        # A hedge the first reading's longer finding hid is said plainly, in the past tense.
        ("It appears we might have applied the wrong tariff to your account from September.",
         None, "We applied the wrong tariff to your account from September."),
        ("Looks like we may have taken October's premium twice.", None,
         "We took October's premium twice."),
        ("It's possible that our team entered the wrong meter reading.", None,
         "Our team entered the wrong meter reading."),
        ("There seems to have been some confusion on our side about your plan change.", None,
         "There was some confusion on our side about your plan change."),
        # What is left after a culprit goes loses its "which is why".
        ("Our warehouse partner messed up the packing on your order, which is why the glass "
         "vase arrived broken.", None, "The glass vase arrived broken."),
        # Drama goes with the words that only lead up to it.
        ("I can't apologize enough, this is truly inexcusable and I am devastated: the font "
         "on your receipt was slightly too small.", None,
         "The font on your receipt was slightly too small."),
        ("I am so deeply ashamed that we lost your parcel.", "minor", "We lost your parcel."),
        ("This was utterly inexcusable and I completely understand your anger.", "minor",
         "I completely understand your anger."),
        # Whom it addresses stays in front, emoji keep their colons, no empty sentence.
        ("@dmitri_v Our bad: we pulled the wrong price into the sale banner.", "serious",
         "@dmitri_v I'm sorry. We pulled the wrong price into the sale banner."),
        ("@leo_gamer LOL our bad 😂 we showed your email address on your public profile.",
         "serious", "@leo_gamer I'm sorry. That was our mistake. We showed your email"),
        ("Hey <@U07QX2M> :wave: oops, we sent the reminder to 200 clients.", "serious",
         "Hey <@U07QX2M> :wave:, I'm sorry"),
        # Policy language takes the document it cites; our own tool, owned, keeps its verb.
        ("Under clause 4.2 of the Master Services Agreement, the outage falls within "
         "scheduled maintenance.", None, "The outage falls within scheduled maintenance."),
        ("Our toll system failed to read your tag at Junction 4, which is why you got a €15 "
         "penalty.", None, "We failed to read your tag at Junction 4"),
        # A subject cut away is owned when the verb can take "we".
        ("Our courier partner will be at your house by 1pm today.", None,
         "We will be at your house by 1pm today."),
        ("Our delivery partner delivered your sofa to the wrong house on Saturday.", None,
         "We delivered your sofa to the wrong house on Saturday."),
    ],
)
def test_the_rewrite_mends_what_it_cuts_into_whole_sentences(
    draft: str, severity: str | None, sentence: str
):
    rewrite = run(draft, severity=severity).rewrite
    assert sentence in rewrite
    assert run(rewrite, severity=severity).findings == ()


@pytest.mark.parametrize(
    ("draft", "fragment"),
    [
        ("The fault with your brakes originates from the manufacturer and is therefore "
         "covered under their warranty.", "covered under their warranty"),
        ("We are not responsible for items lost after delivery, as set out in clause 7 of our "
         "Terms of Sale.", "Of Sale"),
        ("Coastal Supply Co. was paid twice. Sorry for any inconvenience, have a great day!",
         "We have a great day"),
        ("As per our policy, disputed charges remain payable pending investigation.",
         "We disputed"),
    ],
)
def test_the_rewrite_leaves_no_clause_without_its_subject(draft: str, fragment: str):
    assert fragment not in run(draft).rewrite


@pytest.mark.parametrize(
    ("draft", "opening"),
    [
        # "That" follows the problem it points back to.
        ("Our payment processor's outage meant your card was declined.",
         "I'm sorry. Your card was declined. That was our mistake."),
        # not a sentence that is already the fix, nor a question
        ("Due to a system error, your duplicate $18 charge was reversed this morning.",
         "I'm sorry. That was our mistake. Because of a mistake on our side"),
        ("Due to a system error your app keeps crashing? Which version are you on?",
         "I'm sorry. That was our mistake. Because"),
    ],
)
def test_the_added_ownership_follows_the_problem_it_owns(draft: str, opening: str):
    assert run(draft).rewrite.startswith(opening)


def test_the_rewrite_apologizes_once_and_owns_it():
    rewrite = run("Sorry! So sorry. Our apologies again, the hotel system double-booked you.")
    again = run(rewrite.rewrite)
    assert again.apology_count == 1
    assert again.parts.owns_it


def test_empty_and_non_english_text_gets_an_honest_answer_not_findings():
    assert run("   ").notice
    spanish = run("Lamentamos mucho las molestias, le reembolsaremos el envío mañana.")
    assert spanish.notice == NOT_ENGLISH
    assert spanish.findings == ()
    japanese = run("ご迷惑をおかけして申し訳ございません。明日までに交換品を発送します。")
    assert japanese.notice == NOT_ENGLISH


def test_a_message_that_is_not_an_apology_is_said_to_be_so():
    result = run("Thanks for reaching out! Here is the link to reset your password.")
    assert result.notice == NOT_AN_APOLOGY
    assert result.rewrite == ""


def test_a_bad_severity_is_refused_plainly():
    with pytest.raises(ValueError, match="severity"):
        run("Sorry.", severity="catastrophic")  # type: ignore[arg-type]


def test_a_team_rule_pack_switches_rules_off_and_adds_its_own(tmp_path: Path):
    pack = tmp_path / "team.toml"
    pack.write_text(
        'disable = ["inconvenience"]\n'
        "[[rule]]\n"
        'id = "no-kindly"\n'
        'code = "lawyerly-distance"\n'
        "patterns = ['kindly note']\n"
        'message = "Kindly note sounds like a form letter."\n'
        'suggestion = ""\n',
        encoding="utf-8",
    )
    config = EngineConfig(rules_path=pack)
    result = run("Sorry for any inconvenience. Kindly note the fee applies.", config=config)
    assert [(f.code, f.rule, f.text) for f in result.findings] == [
        ("lawyerly-distance", "no-kindly", "Kindly note")
    ]


def test_a_rule_can_stay_quiet_in_an_offer_the_customer_sets_off(tmp_path: Path):
    pack = tmp_path / "team.toml"
    pack.write_text(
        "[[rule]]\n"
        'id = "we-will-ponder"\n'
        'code = "vague-timeline"\n'
        "patterns = [\"we'll ponder it\"]\n"
        'message = "Pondering is no timeline."\n'
        "not_in_offers = true\n",
        encoding="utf-8",
    )
    config = EngineConfig(rules_path=pack)
    assert [f.rule for f in run("Sorry! We'll ponder it.", config=config).findings] == [
        "we-will-ponder"
    ]
    assert run("If you send the photos, we'll ponder it.", config=config).findings == ()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not = [toml", "not valid TOML"),
        ("[[rule]]\nid='x'\ncode='no-such-code'\npatterns=['a']\nmessage='m'\n", "unknown code"),
        ("[[rule]]\nid='x'\ncode='hedging'\npatterns=['(']\nmessage='m'\n", "bad pattern"),
    ],
)
def test_a_broken_rule_pack_is_named_with_its_problem(tmp_path: Path, content: str, problem: str):
    pack = tmp_path / "broken.toml"
    pack.write_text(content, encoding="utf-8")
    with pytest.raises(RulePackError, match=problem):
        load_rules(pack)


@pytest.mark.parametrize(
    "sentence",
    [rewrite.OPENER_NAMED, rewrite.OPENER_UNNAMED, rewrite.OWNERSHIP, rewrite.PREVENTION,
     rewrite.FIX, rewrite.TIMELINE, rewrite.GESTURE],
)
def test_what_the_rewrite_adds_is_itself_clean_at_any_severity(sentence: str):
    for severity in ("minor", "moderate", "serious"):
        assert run(sentence, severity=severity).findings == ()
