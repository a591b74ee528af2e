#!/usr/bin/env python3
"""Take the README's screenshots from a running Odoo (scripts/run) with headless Chromium.

Logs in through JSON-RPC, hands the session cookie to Chromium over the DevTools protocol, opens each
page, waits for it to settle and saves a PNG under docs/screenshots/.

Usage: python3 scripts/screenshots.py [--url http://localhost:8069] [--db logistics_crm_demo]
       [--login admin --password admin] [--lang en_US] [--only NAME]
Needs Debian's chromium and websocket-client (requirements.txt).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# a customer form: open its Logistics tab and bring the Satisfaction group into view
LOGISTICS_TAB_SATISFACTION = (
    "document.querySelector('.o_notebook a.nav-link[name=logistics]').click();"
    "setTimeout(() => document.querySelector('.o_field_widget[name=logistics_nps]')"
    ".scrollIntoView({block: 'center'}), 500);"
)
# name: (path, seconds to wait after load[, script run then, followed by 2 more seconds])
PAGES = {
    "matching_board": ("/odoo/action-logistics_crm.action_logistics_match", 8),
    "cargo_offer": ("/odoo/action-logistics_crm.action_logistics_cargo/{cargo}", 4),
    "sea_map": ("/odoo/action-logistics_crm.action_logistics_sea_map", 6),
    "complaints_board": ("/odoo/action-logistics_crm.action_logistics_complaint", 8),
    "complaint_form": ("/odoo/action-logistics_crm.action_logistics_complaint/{complaint}", 5),
    "complaint_sla_dashboard": ("/odoo/action-logistics_crm.action_logistics_complaint_dashboard", 5),
    # a customer's view: run with --login wangwei --password wangwei --only portal_complaint
    "portal_complaint": ("/my/complaints/{complaint_portal}", 10),
    # also a customer's view: --login wangwei --password wangwei --only portal_surveys
    "portal_surveys": ("/my/surveys", 5),
    "satisfaction_kpis": ("/odoo/action-logistics_crm.action_logistics_satisfaction_report", 5),
    "survey_answers": ("/odoo/action-logistics_crm.action_logistics_survey_answers", 5),
    "customer_satisfaction": (
        "/odoo/action-logistics_crm.action_logistics_customers/{customer_satisfaction}",
        5,
        LOGISTICS_TAB_SATISFACTION,
    ),
    "booking_calendar": ("/odoo/action-logistics_crm.action_logistics_booking_calendar", 12),
    "booking_dispatch_today": ("/odoo/action-logistics_crm.action_logistics_booking_dispatch_today", 5),
    "booking_form": ("/odoo/action-logistics_crm.action_logistics_booking/{booking}", 5),
    # a customer's view: --login wangwei --password wangwei --only portal_booking
    "portal_booking": ("/my/bookings/{booking_portal}", 6),
    "portal_booking_new": ("/my/bookings/new", 4),
    "care_rule": ("/odoo/action-logistics_crm.action_logistics_care_rule/{care_rule}", 5),
    # the customer's chatter: the care mail next to the care calls
    "care_chatter": (
        "/odoo/action-logistics_crm.action_logistics_customers/{care_customer}",
        6,
        "document.querySelector('.o-mail-Chatter-top').scrollIntoView({block: 'start'});",
    ),
    # the page of a care mail's unsubscribe link (the link is signed: read from the customer)
    "care_unsubscribe": ("{care_unsubscribe_path}", 4),
    "dashboard": ("/odoo/action-logistics_crm.action_logistics_dashboard", 10),
    # further down: stages, complaints by tier, NPS per quarter, bookings per week, cargo
    "dashboard_more": (
        "/odoo/action-logistics_crm.action_logistics_dashboard",
        10,
        "document.querySelectorAll('.o_logistics_dashboard_body canvas')[1].closest('.card')"
        ".scrollIntoView({block: 'start'});",
    ),
    # the bottom: the customers most at risk of churning
    "dashboard_at_risk": (
        "/odoo/action-logistics_crm.action_logistics_dashboard",
        10,
        "document.querySelector('.o_logistics_dashboard_body').lastElementChild.scrollIntoView({block: 'end'});",
    ),
    # a Chinese-speaking account manager's dashboard: --login songmei --password songmei (language zh_CN)
    "dashboard_zh_CN": ("/odoo/action-logistics_crm.action_logistics_dashboard", 10),
}
# demo records the pages open: {placeholder: xmlid}
RECORDS = {
    "cargo": "cargo_coal_newcastle_qingdao",
    "complaint": "complaint_demo_coal_short_landed",
    "complaint_portal": "complaint_demo_demurrage_invoice",
    "customer_satisfaction": "partner_shenhua_coal",
    "booking": "booking_demo_haier_today",
    "booking_portal": "booking_demo_baosteel_requested",
    "care_rule": "care_rule_key_accounts",
    "care_customer": "partner_sany_heavy",
}
# field values the pages open, read from a demo record: {placeholder: (model, xmlid, field)}
FIELDS = {
    "care_unsubscribe_path": ("res.partner", "partner_sany_heavy", "logistics_care_unsubscribe_url"),
}


def rpc(url, path, params, cookie=None):
    request = urllib.request.Request(
        url + path,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
    )
    with urllib.request.urlopen(request) as response:
        body = json.loads(response.read())
        return body.get("result"), response.headers.get("Set-Cookie", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="logistics_crm_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--only")
    args = parser.parse_args()

    _result, set_cookie = rpc(
        args.url, "/web/session/authenticate", {"db": args.db, "login": args.login, "password": args.password}
    )
    session_id = set_cookie.split("session_id=")[1].split(";")[0]
    cookie = f"session_id={session_id}"

    def record_id(xmlid):
        reference, _h = rpc(
            args.url,
            "/web/dataset/call_kw",
            {
                "model": "ir.model.data",
                "method": "check_object_reference",
                "args": ["logistics_crm", xmlid],
                "kwargs": {},
            },
            cookie,
        )
        return reference[1] if reference else 0  # a portal user may not read the references

    ids = {key: record_id(xmlid) for key, xmlid in RECORDS.items()}
    for key, (model, xmlid, field) in FIELDS.items():
        values, _h = rpc(
            args.url,
            "/web/dataset/call_kw",
            {"model": model, "method": "read", "args": [[record_id(xmlid)], [field]], "kwargs": {}},
            cookie,
        )
        value = (values or [{}])[0].get(field) or ""
        ids[key] = "/" + value.split("/", 3)[3] if value.count("/") >= 3 else value  # the path of a full URL
    profile = tempfile.mkdtemp()
    browser = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--remote-debugging-port=9333",
            f"--user-data-dir={profile}",
            "--window-size=1440,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json") as response:
                    targets = json.loads(response.read())
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        counter = iter(range(1, 10_000))

        def send(method, **params):
            ident = next(counter)
            ws.send(json.dumps({"id": ident, "method": method, "params": params}))
            while True:
                message = json.loads(ws.recv())
                if message.get("id") == ident:
                    return message.get("result", {})

        send("Network.enable")
        host = args.url.split("//")[1].split(":")[0].split("/")[0]
        send("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")
        send("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)
        out = os.path.join(REPO, "docs", "screenshots")
        os.makedirs(out, exist_ok=True)
        for name, (path, wait, *script) in PAGES.items():
            if args.only and name != args.only:
                continue
            send("Page.navigate", url=args.url + path.format(**ids))
            time.sleep(wait)
            if script:
                send("Runtime.evaluate", expression=script[0])
                time.sleep(2)
            shot = send("Page.captureScreenshot", format="png")
            with open(os.path.join(out, f"{name}.png"), "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            print(f"docs/screenshots/{name}.png")
        ws.close()
    finally:
        browser.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
