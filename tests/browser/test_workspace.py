"""The web workspace in real headless Chromium (Debian's /usr/bin/chromium, Playwright).

Drives what a new user does: screen "SMIC", upload a customer file and follow its progress,
clear a false positive in the review queue, load a newer list and see only the new alerts,
then export the audit trail. Screenshots go to tests/screenshots/ (git-ignored).
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} missing (apt-get install -y chromium)")


@pytest.fixture
def server(make_app):
    from service_fixtures import ServerThread

    app, ws = make_app()
    srv = ServerThread(app).start()
    yield srv
    srv.stop()


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        pg = ctx.new_page()
        pg.set_default_timeout(15000)
        yield pg
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_screen_review_decide_update_export(server, page, lists_dir, tmp_path):
    base = server.url
    # 1. Screen "SMIC": a match with its explanation, licence requirement and policy; a case opens.
    page.goto(base + "/")
    page.fill("#name", "SMIC")
    page.fill("#country", "CN")
    page.click("#screen-btn")
    page.wait_for_selector("#decision")
    assert page.text_content("#decision").strip() in ("match", "review")
    body = page.text_content("table.hits")
    assert "Semiconductor Manufacturing International Corporation" in body
    assert "Presumption of denial" in body and "For all items subject to the EAR." in body
    assert page.is_visible("#case-link")
    shot(page, "1-screen-smic")
    page.click("#case-link")
    page.wait_for_selector("#case-status")
    assert page.text_content("#case-status").strip() == "open"
    assert "Presumption of denial" in page.text_content("table.hits")
    shot(page, "1b-case")

    # 2. Upload a customer file and follow its progress to the end.
    upload = tmp_path / "customers.csv"
    with upload.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Customer Name", "Country"])
        w.writerows([["Huawei Technologies", "CN"], ["Acme Widgets", "AE"], ["Plain Bakery LLC", "US"]])
    page.goto(base + "/ui/upload")
    page.set_input_files("#file", str(upload))
    page.click("#upload-btn")
    page.wait_for_url("**/ui/batches/*")
    page.wait_for_function("document.querySelector('#status').textContent.trim() === 'done'")
    assert page.text_content("#done").strip() == "3" and page.text_content("#alerts").strip() == "1"
    shot(page, "2-batch-done")

    # 3. Review queue: SMIC and Huawei are open; clear both as false positives with a comment.
    page.click("#to-queue")
    page.wait_for_selector("article.case")
    cases = page.locator("article.case")
    assert cases.count() == 2
    shot(page, "3-queue")
    for _ in range(2):
        first = page.locator("article.case").first
        first.locator("input[name=comment]").fill("different company, checked registry")
        first.locator("button[value=false_positive]").click()
        page.wait_for_load_state()
    page.wait_for_selector("#queue-empty")
    shot(page, "4-queue-cleared")

    # 4. Load the newer list: only the changed (Huawei) and new (Acme) entries alert.
    page.goto(base + "/ui/lists")
    page.fill("#source", str(lists_dir / "csl_v2.csv"))
    page.click("#update-btn")
    page.wait_for_selector("#update-result")
    assert page.text_content("#new-alerts").strip() == "2"
    assert "added" in page.text_content("main") and "Acme Widgets Trading Company" in page.text_content(".diff")
    shot(page, "5-lists-updated")
    page.goto(base + "/ui/queue")
    titles = [t for t in page.locator("article.case h3").all_text_contents()]
    assert len(titles) == 2 and not any("SMIC" in t for t in titles)
    assert any("Acme Widgets" in t for t in titles) and any("Huawei" in t for t in titles)
    shot(page, "6-queue-new-alerts")

    # 5. A party's history, then the audit trail and its CSV export.
    page.locator("article.case h3 a[href^='/ui/parties/']").first.click()
    page.wait_for_selector("ol.history")
    assert "false_positive" in page.text_content("ol.history") or "Case #" in page.text_content("ol.history")
    shot(page, "7-party-history")
    page.goto(base + "/ui/audit")
    with page.expect_download() as dl:
        page.click("#audit-csv")
    text = Path(dl.value.path()).read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    actions = {r["action"] for r in rows}
    assert {"screening", "decision", "list_update", "rescreen", "batch"} <= actions
    assert all(r["snapshot"].startswith("csl:") for r in rows if r["action"] == "decision")
    shot(page, "8-audit")
