#!/usr/bin/env python3
"""Open capgraph's HTML report in headless Chromium and check that it works as a person would use it.

    python3 tests/browser/check_report.py REPORT_DIR/index.html [--max-load-ms N]

Drives Debian's Chromium (/usr/bin/chromium) through its chromedriver (/usr/bin/chromedriver) with
Selenium 4. The driver path is given to Service(), so Selenium Manager is never run and nothing is
downloaded. Prints one "ok:" line per check passed and one "FAIL:" line per check failed, then a
closing "check_report: N passed, N failed" line; exits 1 if any check failed or the browser could
not be started, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

CHROMIUM = os.environ.get("CAPGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CAPGRAPH_CHROMEDRIVER", "/usr/bin/chromedriver")

# Records errors from the page's own scripts, installed before any of them runs. The browser log
# catches the same things; this is a second net that does not depend on the log's format.
ERROR_HOOK = """
window.__capgraphErrors = [];
window.addEventListener('error', function (e) {
  window.__capgraphErrors.push('uncaught: ' + (e.error && e.error.stack ? e.error.stack : e.message));
});
window.addEventListener('unhandledrejection', function (e) {
  window.__capgraphErrors.push('unhandled rejection: ' + String(e.reason));
});
"""


def die(msg: str) -> None:
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def make_driver(width: int = 1400, height: int = 1000, perf_log: bool = False):
    """A headless Chromium driven by the system chromedriver, with no Selenium Manager."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        die("the Python package selenium is missing: python3 -m pip install 'selenium>=4.20,<5'")
    for path, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            die(f"{path} not found: apt-get install -y {pkg}")

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--allow-file-access-from-files",
        f"--window-size={width},{height}",
        "--disable-dev-shm-usage",
        # Keep the browser itself off the network: no updates, sync, metrics or first-run pings.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
    ):
        opts.add_argument(arg)
    prefs = {"browser": "ALL"}
    if perf_log:
        prefs["performance"] = "ALL"
    opts.set_capability("goog:loggingPrefs", prefs)

    # An explicit executable_path makes Selenium skip Selenium Manager (no driver download).
    service = Service(executable_path=CHROMEDRIVER)
    try:
        driver = webdriver.Chrome(service=service, options=opts)
    except Exception as err:  # noqa: BLE001 - any start-up failure ends the run with its reason
        die(f"could not start headless Chromium via {CHROMEDRIVER}: {type(err).__name__}: {err}")
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


def file_url(report: str) -> str:
    path = Path(report)
    if not path.is_file():
        die(f"{report}: no such file")
    return path.resolve().as_uri()


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def ok(self, msg: str) -> None:
        self.passed += 1
        print(f"ok: {msg}", flush=True)

    def fail(self, msg: str) -> None:
        self.failed += 1
        print(f"FAIL: {msg}", flush=True)

    def check(self, cond: bool, ok_msg: str, fail_msg: str) -> bool:
        if cond:
            self.ok(ok_msg)
        else:
            self.fail(fail_msg)
        return cond


# --- the checks, each given the driver and the Checks tally ---------------------------------------


def check_load_time(driver, c: Checks, max_load_ms: int | None) -> None:
    # loadEventEnd is set just after the load handlers return, which can be a moment after get().
    timing = {}
    for _ in range(100):
        timing = driver.execute_script(
            "const t = performance.timing;"
            "return {start: t.navigationStart, dcl: t.domContentLoadedEventEnd, end: t.loadEventEnd};"
        )
        if timing["end"]:
            break
        time.sleep(0.05)
    if not timing.get("end"):
        c.fail("the load event never finished (performance.timing.loadEventEnd is 0)")
        return
    load_ms = timing["end"] - timing["start"]
    dcl_ms = timing["dcl"] - timing["start"]
    print(f"load time: {load_ms} ms (DOMContentLoaded at {dcl_ms} ms)", flush=True)
    if max_load_ms is None:
        c.ok(f"page loaded in {load_ms} ms")
    else:
        c.check(
            load_ms <= max_load_ms,
            f"page loaded in {load_ms} ms (limit {max_load_ms} ms)",
            f"page took {load_ms} ms to load, over --max-load-ms {max_load_ms}",
        )


def check_no_requests(driver, c: Checks, url: str) -> None:
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.initiatorType + ' ' + e.name);"
    )
    c.check(
        not resources,
        "no resource requests (performance.getEntriesByType('resource') is empty)",
        f"the report made {len(resources)} request(s) besides itself: {'; '.join(resources[:10])}",
    )
    # Requests that failed (no network, refused, blocked) may leave no resource-timing entry; the
    # DevTools network events see every request the page started.
    others = []
    for entry in driver.get_log("performance"):
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        req_url = msg["params"]["request"]["url"]
        if req_url.split("#")[0] == url or req_url.startswith(("data:", "blob:", "about:")):
            continue
        others.append(req_url)
    c.check(
        not others,
        "no network requests besides the report file (DevTools network events)",
        f"the report requested {len(others)} URL(s) besides itself: {'; '.join(others[:10])}",
    )


def check_structure(driver, c: Checks) -> None:
    from selenium.webdriver.common.by import By

    def section(sid: str):
        found = driver.find_elements(By.CSS_SELECTOR, f"section#{sid}")
        if not found:
            c.fail(f'<section id="{sid}"> is missing')
            return None
        return found[0]

    summary = section("summary")
    if summary is not None:
        text = " ".join(summary.text.split())
        c.check(
            bool(text) and bool(re.search(r"\d", text)),
            f"#summary shows counts: {text[:100]}",
            f"#summary is empty or has no numbers: {text[:100]!r}",
        )

    for sid in ("dsm-team", "dsm-capability"):
        sec = section(sid)
        if sec is None:
            continue
        tables = sec.find_elements(By.CSS_SELECTOR, "table.dsm")
        if not tables:
            c.fail(f'#{sid} has no <table class="dsm">')
            continue
        cells = tables[0].find_elements(By.CSS_SELECTOR, "td.cell")
        bad = [
            i
            for i, cell in enumerate(cells)
            if not cell.get_attribute("data-from") or not cell.get_attribute("data-to")
        ]
        c.check(
            bool(cells) and not bad,
            f"#{sid} table.dsm has {len(cells)} td.cell, each with data-from and data-to",
            f"#{sid} table.dsm has no td.cell"
            if not cells
            else f"#{sid}: {len(bad)} td.cell lack data-from/data-to",
        )

    for sid in ("capability-map", "service-map"):
        sec = section(sid)
        if sec is None:
            continue
        svgs = sec.find_elements(By.CSS_SELECTOR, "svg")
        if not svgs:
            c.fail(f"#{sid} has no inline <svg>")
            continue
        nodes = svgs[0].find_elements(By.CSS_SELECTOR, "g.node")
        size = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", svgs[0]
        )
        if not nodes:
            c.fail(f"#{sid} <svg> has no g.node")
        elif size[0] < 1 or size[1] < 1:
            c.fail(f"#{sid} <svg> is not drawn: {size[0]:.0f}x{size[1]:.0f} px")
        else:
            c.ok(f"#{sid} <svg> has {len(nodes)} g.node, drawn at {size[0]:.0f}x{size[1]:.0f} px")

    if section("findings") is not None:
        rows = driver.find_elements(By.CSS_SELECTOR, "#findings-table tbody tr.finding")
        missing = [
            a
            for a in ("data-severity", "data-rule", "data-team", "data-capability")
            if rows and rows[0].get_attribute(a) is None
        ]
        c.check(
            bool(rows) and not missing,
            f"#findings-table has {len(rows)} finding row(s) with data-severity/rule/team/capability",
            "#findings-table has no tbody tr.finding row"
            if not rows
            else f"finding rows lack {', '.join(missing)}",
        )
        absent = [
            f"#{i}"
            for i in (
                "filter-severity",
                "filter-rule",
                "filter-team",
                "filter-capability",
                "filter-text",
                "findings-shown",
            )
            if not driver.find_elements(By.ID, i)
        ]
        c.check(
            not absent,
            "filter controls and #findings-shown are present",
            f"missing: {', '.join(absent)}",
        )


def check_cell_click(driver, c: Checks) -> None:
    from selenium.common.exceptions import ElementClickInterceptedException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if not driver.find_elements(By.ID, "cell-details"):
        c.fail('<div id="cell-details"> is missing')
        return
    for sid in ("dsm-team", "dsm-capability"):
        cells = driver.find_elements(By.CSS_SELECTOR, f"section#{sid} table.dsm td.cell")
        if not cells:
            continue  # already reported by check_structure
        cell = cells[0]
        label = f"{cell.get_attribute('data-from')} -> {cell.get_attribute('data-to')}"
        # Empty the panel first, so that the second click must fill it again.
        driver.execute_script("document.getElementById('cell-details').innerHTML = '';")
        try:
            try:
                cell.click()
            except ElementClickInterceptedException:
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
                cell.click()
        except ElementClickInterceptedException as err:
            c.fail(f"#{sid}: the first cell ({label}) cannot be clicked, something covers it: {err.msg}")
            continue
        try:
            WebDriverWait(driver, 3).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, "#cell-details li")
            )
        except TimeoutException:
            c.fail(f"#{sid}: clicking the first cell ({label}) left #cell-details without any li")
            continue
        items = driver.find_elements(By.CSS_SELECTOR, "#cell-details li")
        c.ok(f"#{sid}: clicking cell {label} lists {len(items)} item(s) in #cell-details")


VISIBLE_ROWS_JS = """
const rows = Array.from(document.querySelectorAll('#findings-table tbody tr.finding'));
const shown = rows.filter(r => !r.hasAttribute('hidden'));
// A row marked hidden that still takes up space would be a CSS rule overriding [hidden].
const leaking = rows.filter(r => r.hasAttribute('hidden') && r.getClientRects().length > 0).length;
const el = document.getElementById('findings-shown');
return {total: rows.length, shown: shown.length, leaking: leaking, label: el ? el.textContent : null};
"""


def check_filter(driver, c: Checks) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    if not driver.find_elements(By.ID, "filter-severity") or not driver.find_elements(
        By.CSS_SELECTOR, "#findings-table tbody tr.finding"
    ):
        return  # already reported by check_structure

    def state(when: str):
        s = driver.execute_script(VISIBLE_ROWS_JS)
        label = s["label"] if s["label"] is not None else ""
        m = re.search(r"\d+", label)
        c.check(
            m is not None and int(m.group()) == s["shown"],
            f"{when}: #findings-shown says {label.strip()!r}, {s['shown']} of {s['total']} rows visible",
            f"{when}: #findings-shown says {label.strip()!r} but {s['shown']} of {s['total']} rows are visible",
        )
        if s["leaking"]:
            c.fail(f"{when}: {s['leaking']} row(s) have the hidden attribute but are still displayed")
        return s

    before = state("before filtering")
    select = Select(driver.find_element(By.ID, "filter-severity"))
    options = select.options
    first = options[0].get_attribute("value") if options else None
    if first != "":
        c.fail(f'#filter-severity: the first option\'s value is {first!r}, expected "" (all)')
    if len(options) < 2:
        c.fail(f"#filter-severity has {len(options)} option(s), needs at least 2 to filter")
        return
    value = options[1].get_attribute("value")
    select.select_by_index(1)
    after = state(f"severity {value!r} chosen")
    c.check(
        after["shown"] != before["shown"],
        f"choosing severity {value!r} changes the visible rows from {before['shown']} to {after['shown']}",
        f"choosing severity {value!r} leaves {after['shown']} rows visible, as before",
    )
    select.select_by_index(0)
    reset = driver.execute_script(VISIBLE_ROWS_JS)
    c.check(
        reset["shown"] == before["shown"],
        f"choosing all severities again shows {reset['shown']} rows",
        f"choosing all severities again shows {reset['shown']} rows, not {before['shown']}",
    )


def check_console(driver, c: Checks) -> None:
    severe = [
        f"{e.get('source', '?')}: {e.get('message', '')}"
        for e in driver.get_log("browser")
        if e.get("level") == "SEVERE"
    ]
    c.check(
        not severe,
        "no SEVERE browser console entries",
        f"{len(severe)} SEVERE console entr{'y' if len(severe) == 1 else 'ies'}: "
        + " | ".join(severe[:10]),
    )
    hooked = [" ".join(str(h).split()) for h in driver.execute_script("return window.__capgraphErrors || [];")]
    c.check(
        not hooked,
        "no uncaught JavaScript errors",
        f"{len(hooked)} uncaught JavaScript error(s): " + " | ".join(hooked[:10]),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", help="the report's index.html")
    ap.add_argument("--max-load-ms", type=int, default=None, help="fail if loading takes longer")
    args = ap.parse_args()

    url = file_url(args.report)
    driver = make_driver(perf_log=True)
    c = Checks()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_HOOK})
        driver.get(url)
        print(f"opened {url}", flush=True)
        check_load_time(driver, c, args.max_load_ms)
        check_no_requests(driver, c, url)
        check_structure(driver, c)
        check_cell_click(driver, c)
        check_filter(driver, c)
        # Last, so that errors thrown by the clicks and the filter are counted too.
        check_console(driver, c)
    except Exception as err:  # noqa: BLE001 - report whatever stopped the run, then fail
        c.fail(f"the check stopped early: {type(err).__name__}: {err}")
    finally:
        driver.quit()
    print(f"check_report: {c.passed} passed, {c.failed} failed", flush=True)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
