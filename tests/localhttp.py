"""A tiny HTTP server on 127.0.0.1 (a free port) for tests of fetching: nothing reaches the internet.

Routes map a path to (status, body, headers). A route may be a list of such
tuples: each request takes the next one (the last repeats), for flaky servers.
An ``etag`` header makes the route answer 304 to a matching If-None-Match.
Every request is logged as (path, headers).
"""
from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent.parent / "armsledger" / "examples"


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                hdrs = {k.lower(): v for k, v in self.headers.items()}
                owner.log.append((self.path, hdrs))
                route = owner.routes.get(self.path)
                if isinstance(route, list):
                    route = route.pop(0) if len(route) > 1 else route[0]
                if route is None:
                    route = (404, b"not found", {"Content-Type": "text/plain"})
                status, body, headers = route
                headers = dict(headers)
                delay = float(headers.pop("X-Test-Delay", 0))
                if delay:
                    time.sleep(delay)
                if isinstance(body, str):
                    body = body.encode("utf-8")
                etag = headers.get("ETag")
                if etag and hdrs.get("if-none-match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def example_page(name: str) -> tuple[str, str]:
    """(HTML page, publication date) made from one of the project's example articles."""
    raw = (EXAMPLES / name).read_text(encoding="utf-8")
    head, body = raw.split("\n---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    paras = "".join(f"<p>{html.escape(p.strip())}</p>\n" for p in body.split("\n\n") if p.strip())
    page = (f"<!DOCTYPE html><html><head><title>{html.escape(meta['title'])}</title>"
            f"<meta property=\"article:published_time\" content=\"{meta['published']}\">"
            f"<meta property=\"og:site_name\" content=\"{html.escape(meta['outlet'])}\"></head>"
            f"<body><nav>Home | World | Defence</nav><article><h1>{html.escape(meta['title'])}</h1>\n"
            f"{paras}</article><footer>Copyright example</footer></body></html>")
    return page, meta["published"]


def rss(items: list[tuple[str, str, str]], title: str = "Example Defence Feed") -> str:
    """An RSS 2.0 feed of (title, link, RFC 822 date) items."""
    body = "".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
                   f"<pubDate>{d}</pubDate><description>{html.escape(t)}</description></item>"
                   for t, link, d in items)
    return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>"
            f"<link>http://example.invalid/</link><description>x</description>{body}</channel></rss>")
