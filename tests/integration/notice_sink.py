#!/usr/bin/python3
"""notice_sink.py: the far ends of buzon's staff notices, for test_notices.

  notice_sink.py smtp PORT DIR READY        an SMTP sink (Debian's python3-aiosmtpd)
  notice_sink.py webhook PORT DIR SECRET READY   a webhook receiver

Both listen on 127.0.0.1:PORT (0: any free port), write the port they got
to the file READY once listening, and keep what they receive in DIR, one
file per message (written under a temporary name and renamed, so a test
polling DIR never reads half a file):
  smtp:    DIR/mail-N.eml   the message, with "X-Rcpt: <to>" lines on top
  webhook: DIR/hook-N.json  the body, only when X-Buzon-Signature is the
           HMAC-SHA256 of "<X-Buzon-Timestamp>.<body>" under the secret in
           the file SECRET and the timestamp is within 300 s of now;
           otherwise DIR/bad-N.txt with the reason, and a 401 answer.
This is also the reference for a gateway verifying buzon's webhook.
"""
import asyncio
import hashlib
import hmac
import itertools
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

counter = itertools.count(1)


def keep(folder, name, data):
    tmp = os.path.join(folder, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, os.path.join(folder, name))


def ready(path, port):
    keep(os.path.dirname(path) or ".", os.path.basename(path), str(port).encode() + b"\n")


def smtp(port, folder, ready_file):
    from aiosmtpd.smtp import SMTP

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            head = "".join("X-Rcpt: %s\r\n" % r for r in envelope.rcpt_tos).encode()
            keep(folder, "mail-%d.eml" % next(counter), head + envelope.original_content)
            return "250 OK"

    async def main():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Handler(), enable_SMTPUTF8=True),
                                          "127.0.0.1", port)
        ready(ready_file, server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


def webhook(port, folder, secret_file, ready_file):
    with open(secret_file, "rb") as f:
        secret = f.read().rstrip(b"\r\n")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            ts = self.headers.get("X-Buzon-Timestamp", "")
            sig = self.headers.get("X-Buzon-Signature", "")
            want = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
            n = next(counter)
            if not hmac.compare_digest(sig, want):
                keep(folder, "bad-%d.txt" % n, b"bad signature\n" + body)
                self.send_response(401)
            elif not ts.isdigit() or abs(time.time() - int(ts)) > 300:
                keep(folder, "bad-%d.txt" % n, b"stale timestamp\n" + body)
                self.send_response(401)
            else:
                keep(folder, "hook-%d.json" % n, body)
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", port), Handler)
    ready(ready_file, server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "smtp":
        smtp(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        webhook(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
