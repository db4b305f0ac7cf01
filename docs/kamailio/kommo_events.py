# Builds and signs one event of the Kommo VoIP integration's generic PBX contract (docs/generic-pbx.md)
# for kamailio.cfg. Runs inside Kamailio (app_python3, called with python_exec); it only computes: the
# HTTP POST itself is made by Kamailio's http_client module in kamailio.cfg.
#
# Why Python: the contract's signature is hex HMAC-SHA256 over "<timestamp>.<raw body>". Kamailio 5.6
# (Debian 12) has no HMAC function in its config language (its crypto module offers AES and Call-ID
# generation; the gcrypt_hmac_sha256 of later versions returns base64url, not hex), and JSON built by string
# concatenation in the config would break on a quote in a caller id. Python's standard library does both
# correctly in a few lines, inside the Kamailio process: no extra daemon.
#
# Reads from the environment of the Kamailio process (never from kamailio.cfg, so the secret stays out of
# the config file and out of `ps`):
#   KOMMO_SIGNING_SECRET  the connection's signing secret, shown once in the widget's settings window
# Reads from the config (pseudo-variables set before python_exec):
#   $var(kommo_type)      call.ringing | call.answered | call.ended
#   $var(kommo_outcome)   with call.ended: answered | missed | busy | rejected | failed | canceled
#   $var(kommo_duration)  with call.ended: talk time in seconds
#   $dlg_var(kommo_cid), $dlg_var(kommo_dir), $dlg_var(kommo_from), $dlg_var(kommo_to), $dlg_var(kommo_ext)
#                         the call as first seen on its INVITE (the BYE's From/To depend on who hung up)
# Writes: $var(kommo_body) (the JSON) and $var(kommo_headers) (the signed headers, "\r\n" separated).
import hashlib
import hmac
import json
import os
import re
import time
from datetime import datetime, timezone

import KSR

SEQUENCE = {"call.ringing": 0, "call.answered": 1, "call.ended": 2}
OUTCOMES = {"answered", "missed", "busy", "rejected", "failed", "canceled"}
PRINTABLE = re.compile(r"^[\x21-\x7e]{1,100}$")


def mod_init():
    return KommoEvents()


def text(name, limit=64):
    value = KSR.pv.get(name)
    return "" if value is None else str(value)[:limit]


def call_key(call_id):
    """The contract's call_id (≤ 128) and event_id prefix: the SIP Call-ID, or its hash when too long or odd."""
    if PRINTABLE.match(call_id):
        return call_id
    return "sha256-" + hashlib.sha256(call_id.encode("utf-8", "replace")).hexdigest()


class KommoEvents:
    def __init__(self):
        self.secret = os.environ.get("KOMMO_SIGNING_SECRET", "").encode("utf-8")
        if not self.secret:
            KSR.err("kommo: KOMMO_SIGNING_SECRET is not set: events will be refused (403)\n")

    def child_init(self, rank):
        return 0

    def kommo_event(self, msg, args=None):
        event_type = text("$var(kommo_type)")
        if event_type not in SEQUENCE:
            KSR.err("kommo: unknown event type %r\n" % event_type)
            return -1
        key = call_key(text("$dlg_var(kommo_cid)", 1024) or text("$ci", 1024))
        event = {
            # Deterministic: the same SIP event reported twice (retransmission, HTTP retry) is one event.
            "event_id": "%s:%s" % (key, event_type.split(".", 1)[1]),
            "call_id": key,
            "type": event_type,
            "occurred_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "direction": "outbound" if text("$dlg_var(kommo_dir)") == "outbound" else "inbound",
            "from": text("$dlg_var(kommo_from)"),
            "to": text("$dlg_var(kommo_to)"),
            "sequence": SEQUENCE[event_type],
        }
        extension = text("$dlg_var(kommo_ext)")
        if extension:
            event["extension"] = extension
        if event_type == "call.ended":
            outcome = text("$var(kommo_outcome)")
            event["outcome"] = outcome if outcome in OUTCOMES else "failed"
            try:
                event["duration_sec"] = max(0, int(text("$var(kommo_duration)") or "0"))
            except ValueError:
                event["duration_sec"] = 0
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=True)
        timestamp = str(int(time.time()))
        signature = hmac.new(self.secret, (timestamp + "." + body).encode("utf-8"), hashlib.sha256).hexdigest()
        KSR.pv.sets("$var(kommo_body)", body)
        KSR.pv.sets(
            "$var(kommo_headers)",
            "Content-Type: application/json\r\nX-Pbx-Timestamp: %s\r\nX-Pbx-Signature: v1=%s" % (timestamp, signature),
        )
        return 1
