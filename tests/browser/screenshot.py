#!/usr/bin/env python3
"""Save a full-page PNG of capgraph's HTML report, as headless Chromium draws it.

    python3 tests/browser/screenshot.py REPORT_DIR/index.html OUT.png [--width 1400] [--height N]

Without --height the picture is as tall as the page, capped at 6000 px. Uses the same browser set-up
as check_report.py (system chromium and chromedriver, no Selenium Manager, no network).
"""

from __future__ import annotations

import argparse
import base64
import sys
import time
from pathlib import Path

from check_report import die, file_url, make_driver

MAX_HEIGHT = 6000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", help="the report's index.html")
    ap.add_argument("out", help="the PNG file to write")
    ap.add_argument("--width", type=int, default=1400, help="viewport width in CSS px (default 1400)")
    ap.add_argument(
        "--height",
        type=int,
        default=None,
        help=f"picture height in px (default: the page's full height, at most {MAX_HEIGHT})",
    )
    args = ap.parse_args()
    if args.width < 1 or (args.height is not None and args.height < 1):
        die("--width and --height must be positive")

    url = file_url(args.report)
    driver = make_driver(width=args.width, height=args.height or 1000)
    try:
        # Fix the viewport width exactly (the window size includes no chrome in headless mode, but
        # this makes it independent of that), then measure the page at that width.
        metrics = {"width": args.width, "height": args.height or 1000, "deviceScaleFactor": 1, "mobile": False}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        driver.get(url)
        for _ in range(100):  # let the load handlers finish (they may lay out the maps)
            if driver.execute_script("return document.readyState === 'complete' && performance.timing.loadEventEnd > 0;"):
                break
            time.sleep(0.05)
        full = driver.execute_script(
            "return Math.max(document.body ? document.body.scrollHeight : 0,"
            " document.documentElement.scrollHeight);"
        )
        height = args.height or max(1, min(int(full), MAX_HEIGHT))
        metrics["height"] = height
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": args.width, "height": height, "scale": 1},
            },
        )
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
        severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception as err:  # noqa: BLE001 - any failure ends the run with its reason
        die(f"screenshot failed: {type(err).__name__}: {err}")
    finally:
        driver.quit()
    note = f" (page is {full} px tall, cut at {height})" if full > height else ""
    print(f"wrote {out}: {args.width}x{height} px{note}")
    for msg in severe:
        print(f"warning: SEVERE console entry: {msg}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
