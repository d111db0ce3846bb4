"""The whole story in a real browser, against `slackapp run`'s wiring (the real app, the
sandbox and a shared clock, in this process): review, severity, track, reminder, done, Home.

A screenshot of each step is taken; with UPDATE_SCREENSHOTS=1 they replace the ones in
docs/screenshots/ (shown in the README), otherwise they go to the test's temporary folder so
a test run leaves the work tree clean. Needs Playwright for Python and a Chromium
(`make test` installs Debian's with scripts/ensure-chromium when it can).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from slackapp.config import Settings
from slackapp.sandbox.run import SandboxRun, start_sandbox

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")

DOC_SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DRAFT = "/apology We apologize for any inconvenience. I'll call you back tomorrow at 3pm."
TIMEOUT = 10_000  # ms for any one thing to appear


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return DOC_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path / "shots"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[SandboxRun]:
    settings = Settings.load({"LOG_LEVEL": "WARNING"}, dotenv_path=None)
    with start_sandbox(settings, database=tmp_path / "app.db", user_tz="America/New_York") as run:
        yield run


@pytest.fixture
def page(running: SandboxRun) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/ensure-chromium (as root)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.set_default_timeout(TIMEOUT)
        page.goto(running.url)
        yield page
        browser.close()


def shot(page, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_the_whole_story(page, running: SandboxRun, shots: Path) -> None:
    expect = sync_api.expect
    review = page.locator(".message.ephemeral").last

    # 1. A weak apology, typed as a slash command in #support: findings come back.
    page.fill("#composer", DRAFT)
    page.press("#composer", "Enter")
    expect(review).to_contain_text("Needs work")
    expect(review).to_contain_text("We apologize for any inconvenience")
    expect(review).to_contain_text("Only visible to you")
    shot(page, shots, "01-review")

    # 2. "Serious": the advice follows the chosen severity.
    advice_before = review.locator("[data-block=severity] + .context").inner_text()
    review.get_by_role("button", name="Serious").click()
    expect(review.get_by_role("button", name="✓ Serious")).to_be_visible()
    expect(review).to_contain_text("you chose serious")
    assert review.locator("[data-block=severity] + .context").inner_text() != advice_before
    shot(page, shots, "02-serious")

    # 3. The call-back promise is ticked already: track it.
    box = review.get_by_role("checkbox")
    expect(box).to_be_checked()
    expect(review).to_contain_text("callback")
    review.get_by_role("button", name="Track checked promises").click()
    expect(review).to_contain_text("Tracking 1 promise")
    shot(page, shots, "03-tracked")

    # 4. Time passes: next morning (before the 3pm deadline), then hour by hour.
    page.get_by_role("button", name="Next morning").click()
    expect(page.locator("#clock")).to_contain_text("9:00 AM")
    dm = page.locator("#sidebar .item", has_text="slackapp").first
    for _ in range(8):
        if dm.locator(".badge").count():
            break
        page.get_by_role("button", name="+1 hour").click()
        page.wait_for_timeout(150)
    expect(dm.locator(".badge")).to_have_text("1")
    expect(page.locator("#clock")).to_contain_text("3:00 PM")
    shot(page, shots, "04-clock")

    # 5. The reminder DM: mark it done.
    dm.click()
    reminder = page.locator("#messages .message").last
    expect(reminder).to_contain_text("You promised a call back by 3:00 pm today")
    shot(page, shots, "05-reminder")
    reminder.get_by_role("button", name="Mark done").click()
    expect(reminder).to_contain_text("Marked done")
    expect(reminder.get_by_role("button", name="Mark done")).to_have_count(0)
    shot(page, shots, "06-done")

    # 6. App Home: nothing open, the promise under "Done this week".
    page.locator("#sidebar .item", has_text="Home").click()
    home = page.locator("#home")
    expect(home).to_contain_text("Your promises")
    expect(home).to_contain_text("Nothing open")
    expect(home).to_contain_text("a call back")
    expect(home).to_contain_text("100% of promises kept on time")
    shot(page, shots, "07-home")

    # 7. The message shortcut: "⋯ → Review apology" on a plain message opens a modal.
    page.locator("#sidebar .item", has_text="# support").click()
    page.fill("#composer", "So sorry for the mix-up, we will refund you by Friday.")
    page.press("#composer", "Enter")
    message = page.locator(".message:not(.ephemeral)", has_text="mix-up").last
    message.hover()
    message.get_by_title("More actions").click()
    page.get_by_role("menuitem", name="Review apology").click()
    modal = page.get_by_role("dialog")
    expect(modal).to_contain_text("Review apology")
    expect(modal).to_contain_text("refund")
    shot(page, shots, "08-shortcut-modal")
    modal.get_by_role("button", name="Track promises").click()
    expect(modal).to_contain_text("Tracking 1 promise")
    assert len(running.store.open_promises(running.sandbox.team_id, running.sandbox.user_id)) == 1
