"""Kwint as the production proxy serves it, for benchmarks/lighthouse.py: HTML (and other text
that is not compressed yet) gzip-compressed, as nginx's `gzip on` does in docs/operations.md.
Static files pass through untouched: WhiteNoise already sends them Brotli- or gzip-compressed.

Not for production: there the proxy compresses (`gunicorn kwint.wsgi`). Measuring the pages
uncompressed would measure a deployment nobody runs.
"""

from __future__ import annotations

import gzip

from kwint.wsgi import application as kwint_application

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
# nginx's defaults: gzip_comp_level 1, gzip_min_length 20.
LEVEL = 1
MIN_LENGTH = 20


def application(environ, start_response):
    if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
        return kwint_application(environ, start_response)
    captured: dict = {}
    body: list[bytes] = []

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return body.append

    result = kwint_application(environ, capture)
    try:
        body.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status, headers = captured["status"], captured["headers"]
    names = {name.lower(): value for name, value in headers}
    data = b"".join(body)
    if (
        "content-encoding" in names
        or not names.get("content-type", "").startswith(COMPRESSIBLE)
        or len(data) < MIN_LENGTH
    ):
        start_response(status, headers)
        return [data]
    data = gzip.compress(data, compresslevel=LEVEL)
    headers = [(n, v) for n, v in headers if n.lower() not in {"content-length", "vary"}]
    vary = ", ".join(filter(None, [names.get("vary", ""), "Accept-Encoding"]))
    headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(data))), ("Vary", vary)]
    start_response(status, headers)
    return [data]
