"""HTTP load benchmark: python bench/http_load.py --database thidua_1m [--connections 50] [--seconds 5]
[--rounds 3] [--workers N] [--port 8200]

Serves an existing PostgreSQL database — a dataset made by `manage.py generate_dataset` (or just the demo)
— with the production settings under gunicorn (`config/gunicorn.conf.py`, sync workers, persistent
connections), signs in through the login page as the demo roles, and drives the key pages with a
bounded asyncio client on loopback: `--connections` requests in flight at every moment, each page for
`--seconds`, in `--rounds` rounds. Every round also measures the floor, interleaved with the pages: the
signed-in page `/kiem-tra-dang-nhap/` ("auth-hello": the same middleware, session and user lookup, and
nothing else). It prints, per page, requests/s, p50/p95/p99 latency (ms), errors (a status other than
the page's, or a failed connection), the page's size, and its requests/s as a ratio to the floor of the
same round (median over the rounds). It stops by itself and stops the server it started.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_1m python manage.py generate_dataset
    python bench/http_load.py --database thidua_1m

Environment: PostgreSQL at postgres://postgres@127.0.0.1:5432 (override with BENCH_PG_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookies
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "thidua@2026"  # the demo accounts' (demo.builder.DEMO_PASSWORD)
FLOOR = "auth-hello"


def environment(database: str, port: int, workers: int, tmp: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"{PG}/{database}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "THIDUA_OTP_REQUIRED": "0",  # the bench signs in with a password only
        "THIDUA_VAR_DIR": str(tmp / "var"),
        "THIDUA_LOG_LEVEL": "WARNING",
        "THIDUA_WEB_BIND": f"127.0.0.1:{port}",
        "THIDUA_WEB_WORKERS": str(workers),
        "THIDUA_WEB_ACCESS_LOG": str(tmp / "access.log"),
        "THIDUA_WEB_ERROR_LOG": str(tmp / "error.log"),
    }


# ---- the pages ------------------------------------------------------------------------------------------
@dataclass
class Target:
    label: str
    user: str
    path: str
    status: int = 200


PAGES_OF = """
import django, json, sys
django.setup()
from django.urls import reverse
from nominations.models import ApprovalStep
from organizations.models import OrgUnit

hn = OrgUnit.objects.get(code="HN")
year = __import__("organizations.tree", fromlist=["x"]).current_year()
step = ApprovalStep.objects.filter(level=hn, verdict="PENDING").order_by("pk").first()
dossier = step.dossier_id if step else None
pages = [
    ("Trang chủ (cán bộ TP)", "canbo.hanoi", reverse("core:home")),
    ("Cây đơn vị", "canbo.hanoi", reverse("organizations:tree")),
    ("Trang đơn vị Hà Nội", "canbo.hanoi", reverse("organizations:detail", args=[hn.pk])),
    ("Danh sách đoàn viên", "canbo.hanoi", reverse("members:list") + f"?don_vi={hn.pk}"),
    ("Tìm đoàn viên", "canbo.hanoi", reverse("members:list") + f"?don_vi={hn.pk}&q=nguyen+thi+lan"),
    ("Bảng số liệu", "canbo.hanoi", reverse("reports:dashboard", args=[hn.pk]) + f"?nam={year}"),
    ("Hồ sơ khen thưởng", "canbo.hanoi", reverse("nominations:inbox")),
    ("Sổ khen thưởng", "canbo.hanoi", reverse("commendations:records") + f"?don_vi={hn.pk}"),
    ("Phong trào", "canbo.hanoi", reverse("movements:list")),
    ("Trang chủ (CĐCS)", "canbo.ubndmyduc", reverse("core:home")),
    ("Trang của tôi (đoàn viên)", "doanvien.myduc", reverse("me")),
]
if dossier:
    pages.insert(7, ("Một hồ sơ", "canbo.hanoi", reverse("nominations:detail", args=[dossier])))
print(json.dumps(pages))
"""


def targets(env: dict) -> list[Target]:
    import json

    out = subprocess.run(
        [BIN / "python", "-c", PAGES_OF], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    pages = [Target(*row) for row in json.loads(out.strip().splitlines()[-1])]
    return [Target(FLOOR, "canbo.hanoi", "/kiem-tra-dang-nhap/"), *pages]


# ---- one HTTP/1.1 request per connection (gunicorn's sync workers close it) -----------------------------
async def fetch(
    port: int, method: str, path: str, headers: dict, body: bytes = b""
) -> tuple[int, dict, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = [
            f"{method} {path} HTTP/1.1",
            "Host: 127.0.0.1",
            "Connection: close",
            "X-Forwarded-Proto: https",
        ]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    header, _, content = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    parsed: dict[str, list[str]] = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        parsed.setdefault(key.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(parsed.get("transfer-encoding", [])):
        content = dechunk(content)
    return status, parsed, content


def dechunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size, _, rest = rest.partition(b"\r\n")
        n = int(size.split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out, rest = out + rest[:n], rest[n + 2 :]
    return out


async def sign_in(port: int, username: str) -> str:
    """The Cookie header of a session of `username`, signed in through the login page."""
    origin = f"https://127.0.0.1:{port}"
    status, headers, page = await fetch(port, "GET", "/dang-nhap/", {})
    cookies = jar(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    status, headers, _ = await fetch(
        port,
        "POST",
        "/dang-nhap/",
        {
            "Cookie": cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + "/dang-nhap/",
        },
        body.encode(),
    )
    if status != 302:
        raise SystemExit(f"sign-in of {username} failed ({status})")
    cookies.update(jar(headers))
    return cookie_header(cookies)


def jar(headers: dict) -> dict:
    found = {}
    for line in headers.get("set-cookie", []):
        cookie = http.cookies.SimpleCookie()
        cookie.load(line)
        found.update({k: m.value for k, m in cookie.items()})
    return found


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# ---- load ------------------------------------------------------------------------------------------------
@dataclass
class Burst:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    size: int = 0
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def burst(port: int, target: Target, cookie: str, connections: int, seconds: float) -> Burst:
    result = Burst()
    deadline = time.perf_counter() + seconds
    headers = {"Cookie": cookie}

    async def one_connection():
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _, content = await asyncio.wait_for(fetch(port, "GET", target.path, headers), 120)
            except (TimeoutError, OSError, ValueError, IndexError):
                result.errors += 1
                continue
            if status != target.status:
                result.errors += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            result.size = len(content)

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    result.seconds = time.perf_counter() - started  # the last requests finish after the deadline
    return result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run(args, port: int, pages: list[Target]) -> dict[str, list[Burst]]:
    sessions = {}
    for user in sorted({t.user for t in pages}):
        sessions[user] = await sign_in(port, user)
    for target in pages:  # warm every worker's caches and connection; check every page answers
        status, _, _ = await fetch(port, "GET", target.path, {"Cookie": sessions[target.user]})
        if status != target.status:
            raise SystemExit(f"{target.label} ({target.path}) answered {status}, not {target.status}")
        await burst(port, target, sessions[target.user], args.connections, 0.5)
    results: dict[str, list[Burst]] = {t.label: [] for t in pages}
    for round_number in range(args.rounds):
        # the floor before and after each page would double the run; once per round between pages,
        # in a rotating order so that no page always follows the floor
        order = pages[1:][round_number % (len(pages) - 1) :] + pages[1:][: round_number % (len(pages) - 1)]
        half = len(order) // 2
        for target in [pages[0], *order[:half], pages[0], *order[half:]]:
            results[target.label].append(
                await burst(port, target, sessions[target.user], args.connections, args.seconds)
            )
        print(f"  round {round_number + 1}/{args.rounds} done", flush=True)
    return results


def report(results: dict[str, list[Burst]], args) -> list[str]:
    floor = results[FLOOR]
    floor_rps = statistics.median(b.rps for b in floor)
    lines = [
        f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'KB':>7} {'ratio':>7}",
    ]
    for label, bursts in results.items():
        latencies = [x for b in bursts for x in b.latencies]
        rps = statistics.median(b.rps for b in bursts)
        ratio = rps / floor_rps if floor_rps else float("nan")
        lines.append(
            f"{label:32} {rps:8.1f} {percentile(latencies, 0.5) * 1000:8.0f} "
            f"{percentile(latencies, 0.95) * 1000:8.0f} {percentile(latencies, 0.99) * 1000:8.0f} "
            f"{sum(b.errors for b in bursts):7d} {bursts[-1].size / 1024:7.1f} {ratio:6.2f}x"
        )
    lines.append(
        f"floor {FLOOR}: {floor_rps:.1f} req/s (median of {len(floor)} bursts, "
        f"{min(b.rps for b in floor):.1f}–{max(b.rps for b in floor):.1f}); "
        f"{args.connections} connections, {args.seconds:g} s a burst, {args.rounds} rounds"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="an existing PostgreSQL database (a dataset)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: its config's)")
    parser.add_argument("--port", type=int, default=8200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thidua-http-"))
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    env = environment(args.database, args.port, workers, tmp)
    pages = targets(env)
    subprocess.run(  # WhiteNoise wants its directory; the pages' HTML is what is measured
        [BIN / "python", "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", str(ROOT / "config" / "gunicorn.conf.py"), "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(200):
            try:
                asyncio.run(fetch(args.port, "GET", "/dang-nhap/", {}))
                break
            except OSError:
                time.sleep(0.1)
        print(
            f"database {args.database}; gunicorn {workers} sync workers on 127.0.0.1:{args.port}; "
            f"{len(pages) - 1} pages + the floor; logs in {tmp}",
            flush=True,
        )
        results = asyncio.run(run(args, args.port, pages))
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    print("\n".join(report(results, args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
