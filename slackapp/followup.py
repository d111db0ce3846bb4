"""Follow-through in Slack: the buttons on reminder DMs and the App Home promise list.

Each handler acts on the store, scoped to the agent who clicked, then redraws in place
(the DM through chat.update, the Home tab through views.publish), in the agent's zone.
The listener modules only register these (listeners/actions.py, listeners/events.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, tzinfo

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackapp.blocks import HELP
from slackapp.listeners.flow import services
from slackapp.reminders import (
    CANCEL,
    CHECKIN_DONE,
    DONE,
    PROMISE_ACTIONS,
    SNOOZE,
    SNOOZE_DATE,
    WHAT_WAS_PROMISED,
    QuietHours,
    checkin_message,
    promise_actions,
    promise_headline,
    promise_link,
    promise_message,
    quoted,
    snooze_until,
    zone_named,
)
from slackapp.store import Store

log = logging.getLogger(__name__)

HOME_PROMISE_LIMIT = 25  # 3 blocks each keeps the Home view within Slack's 100 blocks


# --- App Home ------------------------------------------------------------------------------


def home_view(store: Store, team_id: str, user_id: str, *, now: datetime, zone: tzinfo) -> View:
    """Open promises by deadline (overdue ones come first), done this week, kept-on-time rate."""
    open_promises = store.open_promises(team_id, user_id)
    week_start = now.astimezone(zone).date() - timedelta(days=now.astimezone(zone).weekday())
    done = store.done_since(team_id, user_id, datetime.combine(week_start, time(), tzinfo=zone))
    rate = store.kept_on_time_rate(team_id, user_id)
    blocks: list[Block] = [HeaderBlock(text="Your promises")]
    if not open_promises:
        blocks.append(SectionBlock(text="Nothing open. Every promise you made is kept."))
    for promise in open_promises[:HOME_PROMISE_LIMIT]:
        headline = promise_headline(promise, now, zone, late=promise.is_overdue(now))
        text = f"*{headline}*\n{quoted(promise.clause)}{promise_link(promise.permalink)}"
        blocks += [
            SectionBlock(text=MarkdownTextObject(text=text)),
            promise_actions(promise),
            DividerBlock(),
        ]
    if len(open_promises) > HOME_PROMISE_LIMIT:
        more = len(open_promises) - HOME_PROMISE_LIMIT
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {more} more")]))
    blocks.append(HeaderBlock(text="Done this week"))
    lines = [
        f"• {WHAT_WAS_PROMISED.get(p.kind, p.kind)}: {p.clause[:80]}"
        f" ({'on time' if p.kept_on_time() else 'late'})"
        for p in done[:20]
    ]
    blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(lines) or "Nothing yet.")))
    kept = "no promises judged yet" if rate is None else f"{rate:.0%} of promises kept on time"
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Overall: {kept}")]))
    blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=HELP))]
    return View(type="home", blocks=blocks)


# --- Bolt handlers ------------------------------------------------------------------------


def register_actions(app: App) -> None:
    for action_id in PROMISE_ACTIONS:
        app.action(action_id)(on_promise_action)
    app.action(CHECKIN_DONE)(on_checkin_done)


def register_events(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_promise_action(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """Mark done, snooze or cancel, from a DM or the Home tab; then redraw in place."""
    ack()
    svc = services(context)
    team_id, user_id = _who(body)
    action = body["actions"][0]
    promise_id, choice = _promise_target(action)
    now = svc.store.clock()
    zone = zone_named(svc.agent_zone(client, team_id, user_id))
    scope = {"team_id": team_id, "user_id": user_id}
    until = None
    if action["action_id"] == DONE:
        promise = svc.store.complete(promise_id, **scope)
    elif action["action_id"] == CANCEL:
        promise = svc.store.cancel(promise_id, **scope)
    else:
        until = snooze_until(choice, now, zone, QuietHours.of(svc.settings, svc.store.holidays))
        promise = svc.store.snooze(promise_id, until=until, **scope)
    # None: not this agent's promise, or settled elsewhere already: show it as it stands.
    promise = promise or svc.store.get_promise(promise_id, **scope)
    if promise is None:
        log.warning("%s/%s acted on promise %s, not theirs", team_id, user_id, promise_id)
        return
    late = promise.is_overdue(now)
    text, blocks = promise_message(promise, now=now, zone=zone, late=late, snoozed_until=until)
    container = body.get("container", {})
    if container.get("type") == "message":
        where = (container["channel_id"], container["message_ts"])
    else:  # the Home tab: redraw it, and the latest DM about this promise too
        publish_home(client, context, team_id, user_id)
        where = svc.store.latest_dm(promise_id, **scope)
    if where:
        client.chat_update(channel=where[0], ts=where[1], text=text, blocks=blocks)


def on_checkin_done(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    svc = services(context)
    team_id, user_id = _who(body)
    reminder_id = int(body["actions"][0]["block_id"].split(":")[1])
    reminder = svc.store.get_reminder(reminder_id, team_id=team_id, user_id=user_id)
    container = body.get("container", {})
    if reminder is None or container.get("type") != "message":
        return
    zone = zone_named(svc.agent_zone(client, team_id, user_id))
    text, blocks = checkin_message(reminder, now=svc.store.clock(), zone=zone, done=True)
    client.chat_update(
        channel=container["channel_id"], ts=container["message_ts"], text=text, blocks=blocks
    )


def on_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    if event.get("tab", "home") == "home":
        publish_home(client, context, context.team_id, event["user"])


def publish_home(client: WebClient, context: BoltContext, team_id: str, user_id: str) -> None:
    svc = services(context)
    now = svc.store.clock()
    zone = zone_named(svc.agent_zone(client, team_id, user_id))
    view = home_view(svc.store, team_id, user_id, now=now, zone=zone)
    client.views_publish(user_id=user_id, view=view)


def _who(body: dict) -> tuple[str, str]:
    """(team, user) as the review buttons read them, so tracking and acting agree."""
    user = body["user"]
    return user.get("team_id") or body["team"]["id"], user["id"]


def _promise_target(action: dict) -> tuple[int, str]:
    """(promise id, snooze choice) from any of the promise buttons, select or date picker."""
    if action["action_id"] == SNOOZE:
        promise_id, choice = action["selected_option"]["value"].split(":")
        return int(promise_id), choice
    if action["action_id"] == SNOOZE_DATE:
        return int(action["block_id"].split(":")[1]), action["selected_date"]
    return int(action["value"]), ""
