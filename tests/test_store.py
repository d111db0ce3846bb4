"""The store: schema and migrations, scoping, the reminder outbox and retention."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import tracking
from freezegun import freeze_time

from slackapp.review.model import Finding, Parts, Promise, Review, SeverityAssessment
from slackapp.store import MIGRATIONS, ON_TIME_GRACE, SCHEMA_VERSION, Store

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday, 10:00 in New York
DUE = NOW + timedelta(hours=2)
LEASE = timedelta(minutes=5)


def a_review(*codes: str, promises: tuple[Promise, ...] = ()) -> Review:
    findings = tuple(Finding(code, 0, 5, "Sorry", "why", None) for code in codes)
    return Review(
        parts=Parts(names_problem=True, owns_it=True),
        findings=findings,
        apology_count=1,
        severity=SeverityAssessment("moderate", "moderate"),
        promises=promises,
        rewrite="rewritten",
        score=60,
    )


REFUND = Promise("refund", "I'll refund the shipping fee by 5pm", 10, 45, DUE)
CALLBACK = Promise("callback", "I'll call you back", 50, 68, None)
SHIPPED = Promise("replacement", "I have shipped a replacement", 70, 98, None, done=True)


@pytest.fixture
def store(tmp_path):
    with freeze_time(NOW):
        opened = Store(tmp_path / "app.db")
    yield opened
    opened.close()


LINK = "https://example.slack.com/archives/C1/p1700000000000100"


def track(
    store: Store, *promises: Promise, team: str = "T1", user: str = "U1", link: str = LINK
) -> list[int]:
    return tracking.track(store, *promises, team=team, user=user, channel="C1", link=link)


def test_a_fresh_file_gets_wal_a_busy_timeout_and_the_latest_schema(tmp_path):
    store = Store(tmp_path / "fresh.db", busy_timeout_ms=1234)
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 1234
    assert store.schema_version == SCHEMA_VERSION
    assert {"review_log", "dismissals", "drafts", "promises", "reminders"} <= set(
        store.db.table_names()
    )


STAMP = "2026-11-27T15:00:00+00:00"
# What the app could write at each version, in that version's columns only.
ROWS_SINCE_VERSION = {
    1: [
        ("review_log", {"id": "r1", "codes": '["hedging"]', "parts": "{}"}),
        ("dismissals", {"code": "hedging"}),
    ],
    3: [
        (
            "promises",
            {
                "channel_id": "C1",
                "kind": "refund",
                "clause": "I'll refund you",
                "due": "2026-11-27T17:00:00+00:00",
                "status": "open",
                "updated_at": STAMP,
            },
        ),
        ("reminders", {"promise_id": 1, "kind": "due", "send_at": "2026-11-27T17:00:00+00:00"}),
    ],
}


def fill_at_version(store: Store, version: int) -> None:
    for since, rows in ROWS_SINCE_VERSION.items():
        for table, row in rows if version >= since else ():
            store.db[table].insert({"team_id": "T1", "user_id": "U1", "created_at": STAMP, **row})


@pytest.mark.parametrize("old_version", range(SCHEMA_VERSION))
def test_every_older_schema_upgrades_and_keeps_its_data(tmp_path, old_version):
    path = tmp_path / "old.db"
    old = Store(path, migrate_to=old_version)
    assert old.schema_version == old_version
    fill_at_version(old, old_version)
    old.close()

    with freeze_time(NOW):
        store = Store(path)
        assert store.schema_version == SCHEMA_VERSION
        if old_version >= 1:
            assert store.dismissal_counts("T1") == {"hedging": 1}
        if old_version >= 3:
            assert [p.clause for p in store.open_promises("T1", "U1")] == ["I'll refund you"]
        # What the newest schema adds works on the upgraded file.
        draft_id = store.save_draft(team_id="T1", user_id="U1", text="draft")
        assert store.load_draft(draft_id, team_id="T1", user_id="U1") == "draft"
        if old_version >= 3:
            (claimed,) = store.claim_due(NOW + timedelta(hours=3), lease=LEASE)
            store.mark_sent(claimed.id, at=NOW, dm_channel="D1", dm_ts="1.0")
            assert store.latest_dm(1, team_id="T1", user_id="U1") == ("D1", "1.0")


def test_each_migration_step_leaves_the_version_it_claims(tmp_path):
    path = tmp_path / "steps.db"
    for version in range(1, len(MIGRATIONS) + 1):
        Store(path, migrate_to=version).close()
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == version


def test_a_newer_schema_than_the_code_knows_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="Upgrade slackapp"):
        Store(path)


def test_the_review_log_keeps_codes_and_parts_but_not_the_draft(tmp_path):
    store = Store(tmp_path / "a.db")
    review_id = store.log_review(
        team_id="T1", user_id="U1", review=a_review("hedging", "over-apology"), draft="secret"
    )
    row = store.get_review_log(review_id, team_id="T1")
    assert json.loads(row["codes"]) == ["hedging", "over-apology"]
    assert json.loads(row["parts"])["owns_it"] is True
    assert row["draft"] is None
    assert store.get_review_log(review_id, team_id="T2") is None


def test_store_drafts_keeps_the_draft_text_when_switched_on(tmp_path):
    store = Store(tmp_path / "a.db", store_drafts=True)
    review_id = store.log_review(team_id="T1", user_id="U1", review=a_review(), draft="the text")
    assert store.get_review_log(review_id, team_id="T1")["draft"] == "the text"


def test_dismissals_are_counted_per_rule_and_team(store):
    for team, code in [("T1", "hedging"), ("T1", "hedging"), ("T1", "overpromise"), ("T2", "x")]:
        store.record_dismissal(team_id=team, user_id="U1", code=code)
    assert store.dismissal_counts("T1") == {"hedging": 2, "overpromise": 1}
    assert store.dismissal_counts("T3") == {}


def test_a_saved_draft_is_only_for_its_author_and_only_for_a_day(store):
    with freeze_time(NOW) as clock:
        draft_id = store.save_draft(team_id="T1", user_id="U1", text="long draft")
        assert store.load_draft(draft_id, team_id="T1", user_id="U1") == "long draft"
        assert store.load_draft(draft_id, team_id="T1", user_id="U2") is None
        assert store.load_draft(draft_id, team_id="T2", user_id="U1") is None
        clock.tick(timedelta(days=1, seconds=1))
        assert store.load_draft(draft_id, team_id="T1", user_id="U1") is None
        store.save_draft(team_id="T1", user_id="U1", text="next")
        assert store.db["drafts"].count == 1  # the stale one was purged on the way


def test_tracking_schedules_due_overdue_and_a_checkin_three_business_days_later(store):
    with freeze_time(NOW):
        refund_id, callback_id, shipped_id = track(store, REFUND, CALLBACK, SHIPPED)
    schedule = [(r.kind, r.promise_id, r.send_at) for r in store.pending_reminders()]
    assert schedule == [
        ("due", refund_id, DUE),
        ("overdue", refund_id, DUE + timedelta(hours=2)),
        ("checkin", None, datetime(2026, 12, 2, 15, 0, tzinfo=UTC)),  # Fri -> Wed
    ]
    assert [p.id for p in store.open_promises("T1", "U1")] == [refund_id, callback_id]
    shipped = store.get_promise(shipped_id, team_id="T1", user_id="U1")
    assert shipped.status == "done" and shipped.done_at == NOW


def test_one_checkin_per_apology_however_often_it_is_scheduled(store):
    assert store.schedule_checkin(team_id="T1", user_id="U1", permalink=LINK) is not None
    assert store.schedule_checkin(team_id="T1", user_id="U1", permalink=LINK) is None
    assert len(store.pending_reminders()) == 1


def test_nobody_can_read_or_change_another_teams_or_agents_promise(store):
    (mine,) = track(store, REFUND)
    for team, user in [("T2", "U1"), ("T1", "U2")]:
        assert store.get_promise(mine, team_id=team, user_id=user) is None
        assert store.complete(mine, team_id=team, user_id=user) is None
        assert store.cancel(mine, team_id=team, user_id=user) is None
        assert store.snooze(mine, team_id=team, user_id=user, until=NOW) is None
        assert store.open_promises(team, user) == []
    promise = store.get_promise(mine, team_id="T1", user_id="U1")
    assert promise.status == "open" and promise.snooze_count == 0
    assert len(store.pending_reminders(team_id="T1", user_id="U1")) == 3


def test_completing_drops_the_pending_reminders_and_counts_as_kept_on_time(store):
    with freeze_time(NOW):
        (refund_id,) = track(store, REFUND)
        done = store.complete(refund_id, team_id="T1", user_id="U1")
    assert done.status == "done" and done.done_at == NOW
    assert [r.kind for r in store.pending_reminders()] == ["checkin"]
    assert store.complete(refund_id, team_id="T1", user_id="U1") is None  # already done
    assert store.kept_on_time_rate("T1", "U1") == 1.0


def test_the_kept_on_time_rate_counts_late_and_overdue_promises_against_it(store):
    with freeze_time(NOW) as clock:
        late_id, kept_id, _overdue_id = track(store, REFUND, REFUND, REFUND)
        store.complete(kept_id, team_id="T1", user_id="U1")
        clock.tick(REFUND.due - NOW + ON_TIME_GRACE + timedelta(minutes=1))
        store.complete(late_id, team_id="T1", user_id="U1")
        assert store.kept_on_time_rate("T1", "U1") == pytest.approx(1 / 3)
    assert store.kept_on_time_rate("T1", "U9") is None


def test_closing_a_promise_when_its_due_dm_arrives_still_counts_as_on_time(store):
    with freeze_time(NOW) as clock:
        (refund_id,) = track(store, REFUND)
        clock.tick(REFUND.due - NOW + timedelta(minutes=20))  # the DM came at the deadline
        done = store.complete(refund_id, team_id="T1", user_id="U1")
    assert done.kept_on_time()
    assert store.kept_on_time_rate("T1", "U1") == 1.0


def test_snoozing_replaces_the_pending_reminders_with_one_at_the_chosen_time(store):
    with freeze_time(NOW):
        (refund_id,) = track(store, REFUND)
        later = DUE + timedelta(hours=1)
        snoozed = store.snooze(refund_id, team_id="T1", user_id="U1", until=later)
    assert snoozed.snooze_count == 1
    assert [(r.kind, r.send_at) for r in store.pending_reminders() if r.promise_id] == [
        ("overdue", later)
    ]


def test_snoozing_before_the_deadline_still_reminds_at_the_deadline(store):
    with freeze_time(NOW):
        (refund_id,) = track(store, REFUND)
        soon = NOW + timedelta(hours=1)
        store.snooze(refund_id, team_id="T1", user_id="U1", until=soon)
    assert [(r.kind, r.send_at) for r in store.pending_reminders() if r.promise_id] == [
        ("due", soon),
        ("due", DUE),
        ("overdue", DUE + timedelta(hours=2)),
    ]


def test_operators_filter_promises_by_team_user_and_status(store):
    with freeze_time(NOW):
        refund_id, callback_id = track(store, REFUND, CALLBACK)
        (other_id,) = track(store, REFUND, team="T2", user="U7")
        store.cancel(callback_id, team_id="T1", user_id="U1")

    def ids(**filters) -> list[int]:
        return [p.id for p in store.list_promises(**filters)]

    assert ids() == [refund_id, callback_id, other_id]
    assert ids(team="T2") == [other_id]
    assert ids(user="U1", status="cancelled") == [callback_id]
    assert ids(status="overdue", now=NOW) == []
    assert ids(status="overdue", now=DUE + timedelta(minutes=1)) == [refund_id, other_id]


def test_a_claimed_reminder_is_hidden_until_its_lease_runs_out(store):
    with freeze_time(NOW):
        track(store, REFUND)
    first = store.claim_due(DUE, lease=LEASE)
    assert [r.kind for r in first] == ["due"] and first[0].attempts == 1
    assert store.claim_due(DUE + LEASE - timedelta(seconds=1), lease=LEASE) == []
    (again,) = store.claim_due(DUE + LEASE, lease=LEASE)  # the claimer crashed: taken again
    assert again.id == first[0].id and again.attempts == 2
    store.mark_sent(again.id, at=DUE + LEASE, dm_channel="D1", dm_ts="1.1")
    assert store.claim_due(DUE + timedelta(minutes=30), lease=LEASE) == []
    assert not store.is_pending(again.id)


def test_a_failed_send_waits_for_its_backoff_and_a_postponed_one_keeps_its_attempts(store):
    with freeze_time(NOW):
        track(store, REFUND)
    (claimed,) = store.claim_due(DUE, lease=LEASE)
    store.retry_at(claimed.id, at=DUE + timedelta(seconds=30), error="ratelimited")
    assert store.claim_due(DUE + timedelta(seconds=29), lease=LEASE) == []
    (retried,) = store.claim_due(DUE + timedelta(seconds=30), lease=LEASE)
    store.postpone(retried.id, until=DUE + timedelta(hours=16))
    (moved,) = [r for r in store.pending_reminders() if r.id == retried.id]
    assert moved.send_at == DUE + timedelta(hours=16) and moved.attempts == 1


def test_purge_forgets_what_is_older_than_the_retention_period(store):
    with freeze_time(NOW - timedelta(days=100)):
        track(store, REFUND)
        store.log_review(team_id="T1", user_id="U1", review=a_review("hedging"))
        store.record_dismissal(team_id="T1", user_id="U1", code="hedging")
        store.save_draft(team_id="T1", user_id="U1", text="old")
    with freeze_time(NOW):
        (recent,) = track(store, CALLBACK, link=LINK + "2")
        removed = store.purge(NOW - timedelta(days=90))
    assert removed == {
        "reminders": 3,
        "promises": 1,
        "review_log": 1,
        "dismissals": 1,
        "drafts": 1,
    }
    assert [p.id for p in store.list_promises()] == [recent]
    assert [r.kind for r in store.pending_reminders()] == ["checkin"]
