"""Hostile uploads against the production set-up: python bench/upload_bombs.py [--port 8765] [--big]

Runs `config.settings.prod` (DJANGO_SECRET_KEY, DATABASE_URL to a THROWAWAY PostgreSQL database
`thidua_upload_bench` — dropped and created —, DJANGO_ALLOWED_HOSTS; HTTPS is simulated with
X-Forwarded-Proto) under gunicorn with 3 sync workers plus `manage.py db_worker`, signs in as an officer
and uploads, through the real upload screen:
  1. the ~2 KB sparse-range .xlsx (a sheet declared A1:XFD1048576 — calamine would allocate 512 GB),
  2. the ~1 MB XML bomb (a sheet that inflates to 1 GB of XML),
  3. the same sparse file WITHOUT its <dimension> (only the parser's sandbox in the worker can stop it),
  4. a small valid roster (the normal path: stored, read once by the worker, mapping page),
  5. with --big, a valid 200,000-row × 11-column roster (about 11 MB).
It prints the message each upload got, whether every gunicorn worker and the db_worker survived (same
PIDs before and after, no "exited"/"timeout" in the gunicorn log) and the peak resident memory (VmHWM)
of every process: gunicorn master and workers, db_worker, and any child seen (sampled every 2 ms from
/proc). The acceptance of issue 12: every peak under 300 MB.

Environment: PostgreSQL at postgres://postgres@127.0.0.1:5432 (override with BENCH_PG_URL).
"""

from __future__ import annotations

import argparse
import html
import http.cookies
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = "thidua_upload_bench"
PASSWORD = "Bench-upload-2026!"
LIMIT_MB = 300


def environment(tmp: Path, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "THIDUA_OTP_REQUIRED": "0",  # the bench signs in with a password only
        "THIDUA_VAR_DIR": str(tmp / "var"),
        "THIDUA_MEDIA_ROOT": str(tmp / "media"),
        "THIDUA_LOG_LEVEL": "WARNING",
    }


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


SETUP = f"""
import django; django.setup()
from conftest import build_tree
from accounts.models import RoleAssignment, User
from accounts.roles import Role
tree = build_tree()
user = User.objects.create_user("canbo.bench", password={PASSWORD!r}, first_name="Cán bộ", last_name="Bench")
RoleAssignment.objects.create(user=user, role=Role.OFFICER, unit=tree.md, include_subtree=True)
print(tree.ubnd.pk)
"""


# ---- memory sampling ---------------------------------------------------------------------------------------


def status_of(pid: int) -> dict:
    try:
        with open(f"/proc/{pid}/status") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
    except OSError:
        return {}
    return {k: v.strip() for k, v in fields.items()}


def kb(value: str) -> int:
    return int(value.split()[0]) if value else 0


def children_of(pids: set[int]) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid = status_of(int(entry)).get("PPid")
            if ppid and int(ppid) in pids:
                found.add(int(entry))
    return found


class Sampler(threading.Thread):
    """Peak VmHWM of the watched processes and of every descendant seen alive."""

    def __init__(self, roots: dict[int, str]):
        super().__init__(daemon=True)
        self.names = dict(roots)
        self.peak: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self):
        tick = 0
        while not self.stop.is_set():
            if tick % 10 == 0:  # the process table every 20 ms, the known processes every 2 ms
                for child in children_of(set(self.names)):
                    if child not in self.names:
                        parent = self.names.get(int(status_of(child).get("PPid", "0")), "?")
                        name = status_of(child).get("Name", "?")
                        self.names[child] = f"{name} (child of {parent.split(' ')[0]})"
            for pid in list(self.names):
                hwm = kb(status_of(pid).get("VmHWM", ""))
                if hwm:
                    self.peak[pid] = max(self.peak.get(pid, 0), hwm)
            tick += 1
            time.sleep(0.002)


# ---- HTTP as a browser behind an HTTPS proxy ---------------------------------------------------------------


class Client:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: bytes | None = None, content_type: str | None = None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": self.origin + path,
            "Origin": self.origin,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(req, timeout=120)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username: str) -> None:
        _, _, page = self.request("GET", "/dang-nhap/")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token(page), "username": username, "password": PASSWORD}
        ).encode()
        status, headers, _ = self.request("POST", "/dang-nhap/", body, "application/x-www-form-urlencoded")
        assert status == 302, f"sign-in failed ({status})"

    def upload(self, unit: int, name: str, data: bytes):
        path = f"/nhap-du-lieu/doan-vien/tai-len/?don_vi={unit}"  # the import framework, kind "doan-vien"
        _, _, page = self.request("GET", path)
        boundary = uuid.uuid4().hex
        parts = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{self.token(page)}\r\n"
            ).encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="unit"\r\n\r\n{unit}\r\n'.encode(),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def message_of(page: str) -> str:
    for pattern in (
        r'class="invalid-feedback[^"]*"[^>]*>(.*?)</div>',
        r'class="alert alert-danger[^"]*"[^>]*>(.*?)</div>',
    ):
        found = re.findall(pattern, page, re.S)
        if found:
            return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found[0])).split())
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return "trang: " + (
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).split()) if heading else "?"
    )


def outcome(client: Client, status: int, headers, page: str) -> str:
    if status != 302:
        return f"{status} {message_of(page)}"
    location = headers["Location"]
    for _ in range(600):  # the worker reads it: follow the mapping page until it is not "reading"
        code, headers2, page = client.request("GET", location)
        if code == 302:
            location = headers2["Location"]
            continue
        if 'hx-trigger="every 1s"' not in page:  # the status page polls while the worker reads
            return f"302 → {location} → {message_of(page)}"
        time.sleep(0.2)
    return "302 → still reading after 120 s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--big", action="store_true", help="also upload a valid 200,000-row roster")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bombs-"))
    env = environment(tmp, args.port)
    print(f"work dir {tmp}; database {DB} (recreated)")
    recreate_database()
    subprocess.run([BIN / "python", "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    setup = subprocess.run(
        [BIN / "python", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    unit = int(setup.stdout.split()[-1])

    from core.tests import bombs

    files = [
        ("1. thưa, A1:XFD1048576", "thua.xlsx", bombs.sparse_range()),
        ("2. bom XML 1 GB", "bom.xlsx", bombs.xml_bomb(inflated=1024**3)),
        ("3. thưa, không khai báo vùng", "an.xlsx", bombs.sparse_range(declare=False)),
        (
            "4. danh sách hợp lệ",
            "roster_basic.xlsx",
            (ROOT / "members/tests/files/roster_basic.xlsx").read_bytes(),
        ),
    ]
    if args.big:
        from bench.roster_import import make_file

        path = tmp / "big.xlsx"
        make_file(path, 200_000)
        files.append(("5. hợp lệ, 200.000 dòng", "big.xlsx", path.read_bytes()))

    log = tmp / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [
            BIN / "gunicorn",
            "config.wsgi:application",
            "-w",
            "3",
            "-b",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "120",
            "--log-file",
            str(log),
            "--log-level",
            "info",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [BIN / "python", "manage.py", "db_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "db_worker.log", "wb"),  # noqa: SIM115 — open while the worker runs
    )
    try:
        client = Client(args.port)
        for _ in range(100):
            try:
                client.request("GET", "/dang-nhap/")
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        before = sorted(children_of({gunicorn.pid}))
        sampler = Sampler(
            {
                gunicorn.pid: "gunicorn master",
                worker.pid: "db_worker",
                **dict.fromkeys(before, "gunicorn worker"),
            }
        )
        sampler.start()
        client.login("canbo.bench")
        print(f"\n{'tệp':32} {'cỡ':>10}  kết quả")
        for label, name, data in files:
            started = time.monotonic()
            status, headers, page = client.upload(unit, name, data)
            result = outcome(client, status, headers, page)
            print(f"{label:32} {len(data):>10,}  {result}  ({time.monotonic() - started:.1f} s)")
        time.sleep(0.5)
        sampler.stop.set()
        sampler.join()
        after = sorted(children_of({gunicorn.pid}))
        text = log.read_text(errors="replace")
        died = [
            line for line in text.splitlines() if re.search(r"exited|WORKER TIMEOUT|Booting worker", line)
        ]
        boots = sum("Booting worker" in line for line in died)
        print(
            f"\ngunicorn workers before {before}, after {after}: "
            + ("same PIDs, none died" if before == after and boots == 3 else "CHANGED")
        )
        print(
            f"db_worker pid {worker.pid}: "
            + ("alive" if worker.poll() is None else f"DIED ({worker.returncode})")
        )
        print(f"\n{'process':40} {'pid':>7} {'peak RSS (VmHWM)':>18}")
        worst = 0
        for pid, name in sampler.names.items():
            peak = sampler.peak.get(pid, 0) / 1024
            worst = max(worst, peak)
            print(f"{name:40} {pid:>7} {peak:>15.1f} MB")
        ok = worst < LIMIT_MB and before == after and worker.poll() is None
        print(f"\nhighest peak {worst:.1f} MB — " + (f"under {LIMIT_MB} MB: OK" if ok else "NOT OK"))
        return 0 if ok else 1
    finally:
        for proc in (gunicorn, worker):
            proc.send_signal(signal.SIGTERM)
        for proc in (gunicorn, worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    import urllib.parse  # noqa: F401  (used by Client.login)

    sys.exit(main())
