"""A local HTTP server standing in for MessageBird's REST API: it accepts POST /messages like
the real one (access key, JSON body, 201 with an id), can be told to fail, and signs delivery
reports the way MessageBird does (MessageBird-Signature-JWT, HS256, url_hash and payload_hash)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import jwt

ACCESS_KEY = "test_accesskey_0123456789"
SIGNING_KEY = "test_signing_key_abcdef"


class StandIn:
    def __init__(self):
        self.received: list[dict] = []
        self.fail_next = 0  # answer this many requests with HTTP 500
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/messages":
                    return self._reply(404, {"errors": [{"code": 20, "description": "not found"}]})
                if self.headers.get("Authorization") != f"AccessKey {ACCESS_KEY}":
                    return self._reply(401, {"errors": [{"code": 2, "description": "Request not allowed"}]})
                with stand_in.lock:
                    if stand_in.fail_next:
                        stand_in.fail_next -= 1
                        return self._reply(500, {"errors": [{"code": 99, "description": "Internal error"}]})
                    data = json.loads(body)
                    message_id = uuid.uuid4().hex
                    stand_in.received.append({"id": message_id, **data})
                self._reply(
                    201,
                    {
                        "id": message_id,
                        "body": data["body"],
                        "reference": data.get("reference"),
                        "recipients": {
                            "totalCount": 1,
                            "items": [{"recipient": int(data["recipients"][0]), "status": "sent"}],
                        },
                    },
                )

            def _reply(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def signed_report(report_url: str, sent: dict, status: str = "delivered", key: str = SIGNING_KEY):
        """The GET MessageBird makes to the reportUrl, signed: (full URL, headers)."""
        query = urlencode(
            {
                "id": sent["id"],
                "reference": sent.get("reference", ""),
                "recipient": sent["recipients"][0],
                "status": status,
                "statusDatetime": "2026-12-07T09:00:00+00:00",
            }
        )
        url = f"{report_url}?{query}"
        now = int(time.time())
        claims = {
            "iss": "MessageBird",
            "nbf": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            "url_hash": hashlib.sha256(url.encode()).hexdigest(),
        }
        token = jwt.encode(claims, key, algorithm="HS256")
        return url, {"HTTP_MESSAGEBIRD_SIGNATURE_JWT": token}
