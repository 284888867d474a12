"""Scale-out on real parts (issue 16, acceptance 4): python bench/scale_out.py [--seconds 8] [--rounds 2]

Starts, all on this machine and all stopped at the end (even on failure: try/finally, process groups):
  - a PostgreSQL 15 primary on 127.0.0.1:5433 and a streaming replica of it on 5434 (initdb, pg_ctl,
    pg_basebackup -R, as the postgres user; data directories under /tmp),
  - an S3 server (moto) on a free port, bucket `thidua-bench`,
  - the Redis already running on 127.0.0.1:6379, database 11 (flushed before and after),
  - migrations and the demo (`manage.py load_demo --before-2025`) on the primary,
  - two gunicorn app servers (config/gunicorn.conf.py, production settings) on 8101 and 8102 and one
    background worker (`manage.py db_worker`), all with THIDUA_REDIS_URL, THIDUA_S3_* and
    THIDUA_REPLICA_URL,
  - nginx on 8100 (a config written to /tmp: upstream of both servers, proxy_next_upstream error timeout
    http_502).
Then it measures, through nginx, with a bounded loopback client (threads + http.client):
  1. signed-in page requests/s (the profile page /tai-khoan/, as canbo.hanoi) with 1 app server in the
     upstream vs 2, interleaved rounds, median of each;
  2. replica lag: a dossier created through the app, the replica polled until its row appears (ms), and
     the dossier page read right after by the same browser (pin after write: it must be there);
  3. an upload through server 1 (a dossier document) lands in the S3 bucket and downloads, byte for
     byte, through server 2;
  4. an import's progress (imports.tasks.set_progress, written by a process with the servers' settings as
     the worker writes it) is shown by the status page of both app servers (the shared Redis cache);
  5. during load, server 2 is stopped (SIGTERM): the errors the client saw (must be 0: nginx retries the
     other server).
Prints a table. Needs root (runuser), nginx (apt-get install -y nginx) and moto[server] (dev extras).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY_PORT, REPLICA_PORT = 5433, 5434
APP_PORTS = (8101, 8102)
NGINX_PORT = 8100
REDIS_URL = "redis://127.0.0.1:6379/11"
BUCKET = "thidua-bench"
PAGE = "/tai-khoan/"
USER, OFFICER, PASSWORD = "canbo.hanoi", "canbo.ubndmyduc", "thidua@2026"
PYTHON = sys.executable

_procs: list[subprocess.Popen] = []
_cleanups: list = []


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def start(cmd, *, env=None, logfile: Path, user: str | None = None) -> subprocess.Popen:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    handle = open(logfile, "ab")  # noqa: SIM115 - kept open for the child's life
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    _procs.append(proc)
    return proc


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, wait: float = 20) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(wait)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def cleanup() -> None:
    for proc in reversed(_procs):
        stop(proc)
    _procs.clear()
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - every cleanup runs
            print(f"cleanup: {error}", file=sys.stderr)
    _cleanups.clear()


def run(cmd, *, env=None, user: str | None = None, timeout: float = 600) -> str:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, seconds: float = 60, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for port {port} ended ({proc.returncode}); see its log")
        if not port_free(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


# ---- the parts ---------------------------------------------------------------------------------------


def postgres(work: Path) -> None:
    pg = work / "pg"
    pg.mkdir()
    shutil.chown(pg, "postgres", "postgres")
    primary, replica = pg / "primary", pg / "replica"
    run(
        [PG_BIN / "initdb", "-D", primary, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        user="postgres",
    )
    options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={pg} -c fsync=off"
    for data, port in ((primary, PRIMARY_PORT), (replica, REPLICA_PORT)):
        if data == replica:
            run(
                [PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres"]
                + ["-D", replica, "-R", "-X", "stream", "--no-sync", "-c", "fast"],
                user="postgres",
            )
        run(
            [PG_BIN / "pg_ctl", "-D", data, "-l", pg / f"{data.name}.log", "-w", "-t", "60"]
            + ["-o", f"-p {port} {options}", "start"],
            user="postgres",
        )
        _cleanups.append(
            lambda d=data: run([PG_BIN / "pg_ctl", "-D", d, "-m", "fast", "-w", "stop"], user="postgres")
        )
        if data == primary:
            sql(PRIMARY_PORT, "CREATE DATABASE thidua", dbname="postgres")


def sql(port: int, statement: str, params=(), dbname: str = "thidua"):
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/{dbname}", autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def s3_server(work: Path) -> str:
    port = free_port()
    proc = start([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], logfile=work / "moto.log")
    wait_port(port, proc=proc)
    return f"http://127.0.0.1:{port}"


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        region_name="us-east-1",
    )


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


NGINX_CONF = """worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    client_max_body_size 25m;
    upstream thidua {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://thidua;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def nginx_conf(work: Path, ports) -> Path:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, servers=servers, port=NGINX_PORT))
    return conf


def nginx_reload(work: Path, ports) -> None:
    conf = nginx_conf(work, ports)
    run(["nginx", "-e", work / "nginx-error.log", "-c", conf, "-s", "reload"])
    time.sleep(1.5)  # the old worker finishes, the new one takes the connections


# ---- a small browser ---------------------------------------------------------------------------------


class Browser:
    """Cookies, CSRF and one keep-alive connection to one port (http.client)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        host = f"127.0.0.1:{self.port}"
        headers = {
            "Host": host,
            "Referer": f"https://{host}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if "csrftoken" in self.cookies and method == "POST":
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2 or method != "GET":
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or value == '""':
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, response.headers, data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: application/pdf\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            from urllib.parse import urlencode

            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})

    def sign_in(self, username: str) -> None:
        self.get("/dang-nhap/")
        status, headers, _ = self.post("/dang-nhap/", {"username": username, "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {username} through port {self.port} failed ({status})")


def load(port: int, cookies: dict, seconds: float, threads: int, during=None) -> dict:
    """GET PAGE from `threads` clients for `seconds`; counts, errors (anything but 200 with the page)."""
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    kinds: dict[str, int] = {}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": f"127.0.0.1:{port}", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        ok = errors = 0
        while time.monotonic() < stop_at:
            try:
                conn.request("GET", PAGE, headers=headers)
                response = conn.getresponse()
                body = response.read()
                if response.status == 200 and USER.encode() in body:
                    ok += 1
                else:
                    errors += 1
                    with lock:
                        kinds[str(response.status)] = kinds.get(str(response.status), 0) + 1
            except (ConnectionError, http.client.HTTPException, OSError) as error:
                errors += 1
                with lock:
                    kinds[type(error).__name__] = kinds.get(type(error).__name__, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    workers = [threading.Thread(target=client) for _ in range(threads)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    if during is not None:
        during()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    return {**counts, "rps": counts["ok"] / elapsed, "kinds": kinds}


# ---- the run -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per load round")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of 1 and 2 servers")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per app server")
    args = parser.parse_args()

    if os.geteuid() != 0:
        sys.exit("Run as root: the PostgreSQL servers run as the postgres user (runuser).")
    if shutil.which("nginx") is None:
        sys.exit("nginx is missing: apt-get install -y nginx")
    busy = [p for p in (PRIMARY_PORT, REPLICA_PORT, NGINX_PORT, *APP_PORTS) if not port_free(p)]
    if busy:
        sys.exit(f"ports in use: {busy}")

    work = Path(tempfile.mkdtemp(prefix="thidua-scaleout-"))
    os.chmod(work, 0o755)
    _cleanups.append(lambda: shutil.rmtree(work, ignore_errors=True))
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    rows: list[tuple[str, str]] = []
    try:
        began = time.monotonic()
        log(f"PostgreSQL primary :{PRIMARY_PORT} and streaming replica :{REPLICA_PORT} under {work}")
        postgres(work)
        endpoint = s3_server(work)
        s3 = s3_client(endpoint)
        s3.create_bucket(Bucket=BUCKET)
        redis_flush()
        _cleanups.append(redis_flush)
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DJANGO_", "DATABASE_URL", "THIDUA_"))
            },
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # the app servers are also asked directly (tests 3, 4)
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/thidua",
            "THIDUA_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/thidua",
            "THIDUA_REDIS_URL": REDIS_URL,
            "THIDUA_S3_BUCKET": BUCKET,
            "THIDUA_S3_ENDPOINT_URL": endpoint,
            "THIDUA_S3_ACCESS_KEY": "bench",
            "THIDUA_S3_SECRET_KEY": "bench",
            "THIDUA_S3_REGION": "us-east-1",
            "THIDUA_VAR_DIR": str(work / "var"),
            "THIDUA_OTP_REQUIRED": "0",  # the demo officers sign in with a password
            "THIDUA_PROXY_COUNT": "1",
            "THIDUA_WEB_WORKERS": str(args.web_workers),
        }
        log("migrate and load_demo --before-2025 on the primary")
        run([PYTHON, "manage.py", "migrate", "--noinput"], env=env, timeout=900)
        run([PYTHON, "manage.py", "load_demo", "--before-2025"], env=env, timeout=900)
        setup_seconds = time.monotonic() - began

        def app_server(port: int) -> subprocess.Popen:
            return start(
                [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
                env={
                    **env,
                    "THIDUA_WEB_BIND": f"127.0.0.1:{port}",
                    # a var/ of its own, as on its own machine: only Redis and S3 are shared
                    "THIDUA_VAR_DIR": str(work / f"var-{port}"),
                    "THIDUA_WEB_ACCESS_LOG": str(work / f"access-{port}.log"),
                },
                logfile=work / f"app-{port}.log",
            )

        servers = {port: app_server(port) for port in APP_PORTS}
        start(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.5"],
            env={**env, "THIDUA_VAR_DIR": str(work / "var-worker")},
            logfile=work / "worker.log",
        )
        for port, proc in servers.items():
            wait_port(port, proc=proc)
        conf = nginx_conf(work, APP_PORTS)
        nginx = start(
            ["nginx", "-e", work / "nginx-error.log", "-c", conf, "-g", "daemon off;"],
            logfile=work / "nginx.log",
        )
        wait_port(NGINX_PORT, proc=nginx)
        log("all parts up: nginx → 2 gunicorn servers, db_worker, primary + replica, Redis, S3")
        rows.append(("setup (initdb, base backup, migrate, demo)", f"{setup_seconds:.0f} s"))

        # 1. throughput through nginx, 1 vs 2 servers in the upstream (interleaved)
        reader = Browser(NGINX_PORT)
        reader.sign_in(USER)
        reader.get(PAGE)
        time.sleep(1)
        load(NGINX_PORT, reader.cookies, 2, args.threads)  # warm every worker
        replica_before = sql(REPLICA_PORT, "SELECT sum(xact_commit) FROM pg_stat_database")[0][0]
        rates = {1: [], 2: []}
        for _ in range(args.rounds):
            for n in (1, 2):
                nginx_reload(work, APP_PORTS[:n])
                result = load(NGINX_PORT, reader.cookies, args.seconds, args.threads)
                if result["errors"]:
                    raise RuntimeError(f"errors under load with {n} server(s): {result['kinds']}")
                rates[n].append(result["rps"])
                log(f"{n} app server(s): {result['rps']:.1f} req/s ({result['ok']} pages)")
        replica_after = sql(REPLICA_PORT, "SELECT sum(xact_commit) FROM pg_stat_database")[0][0]
        one, two = statistics.median(rates[1]), statistics.median(rates[2])
        rows.append(
            (
                "load",
                f"{args.threads} clients, {args.web_workers} gunicorn workers per server, {os.cpu_count()} cores, "
                f"{args.rounds} × {args.seconds:g} s rounds each (median)",
            )
        )
        rows.append((f"signed-in page {PAGE}, 1 app server", f"{one:.1f} req/s"))
        rows.append(("same, 2 app servers", f"{two:.1f} req/s (× {two / one:.2f})"))
        rows.append(("replica transactions during the load", f"{replica_after - replica_before}"))

        # 2. replica lag and read-your-writes
        officer = Browser(NGINX_PORT)
        officer.sign_in(OFFICER)
        (ubnd,), (md,) = (
            sql(PRIMARY_PORT, "SELECT id FROM organizations_orgunit WHERE code=%s", (c,))[0]
            for c in ("HN-MD-UBND", "HN-MD")
        )
        lags, own = [], []
        dossiers = []
        import psycopg

        poll = psycopg.connect(f"postgresql://postgres@127.0.0.1:{REPLICA_PORT}/thidua", autocommit=True)
        for i in range(10):
            title = f"Hồ sơ đo độ trễ {i} {uuid.uuid4().hex[:6]}"
            status, headers, _ = officer.post(
                f"/de-nghi/lap/?don_vi={ubnd}",
                {"title": title, "kind": "YEARLY", "year": "2025", "authority": md},
            )
            sent = time.monotonic()
            location = headers.get("Location", "")
            if status != 302 or not re.search(r"/de-nghi/\d+/$", location):
                raise RuntimeError(f"creating a dossier answered {status} {location}")
            dossiers.append(location)
            if i % 2:  # read-your-writes: the same browser asks for the new dossier's page at once
                page_status, _, page = officer.get(location)
                own.append(
                    page_status == 200 and title.encode() in page and "thidua_primary" in officer.cookies
                )
                continue
            # replica lag: from the app's answer (committed on the primary) until the replica has the row
            while not poll.execute("SELECT 1 FROM nominations_dossier WHERE title=%s", (title,)).fetchall():
                if time.monotonic() - sent > 10:
                    raise RuntimeError("the replica did not receive the row in 10 s")
            lags.append((time.monotonic() - sent) * 1000)
        poll.close()
        rows.append(
            (
                "replica lag after a write (from the app's answer)",
                f"median {statistics.median(lags):.1f} ms, max {max(lags):.1f} ms (5 writes)",
            )
        )
        rows.append(("own write visible on the next page (pin after write)", f"{sum(own)}/{len(own)}"))

        # 3. an upload through server 1, in S3, downloaded through server 2
        first, second = Browser(APP_PORTS[0]), Browser(APP_PORTS[1])
        first.cookies = dict(officer.cookies)
        second.cookies = dict(officer.cookies)
        content = b"%PDF-1.4 scale-out " + secrets.token_bytes(200_000)
        status, _, _ = first.post(
            f"{dossiers[0]}tai-lieu/", {"kind": "TO_TRINH"}, {"file": ("to-trinh.pdf", content)}
        )
        dossier_id = int(re.search(r"/(\d+)/$", dossiers[0]).group(1))
        ((doc_id, name),) = sql(
            PRIMARY_PORT,
            "SELECT id, file FROM nominations_dossierdocument WHERE dossier_id=%s",
            (dossier_id,),
        )
        stored = s3.get_object(Bucket=BUCKET, Key=name)["Body"].read()
        time.sleep(0.5)
        status2, _, downloaded = second.get(f"{dossiers[0]}tai-lieu/{doc_id}/")
        local = [p for var in work.glob("var*") for p in var.rglob("to-trinh*")]
        upload_ok = (
            status == 302 and stored == content and status2 == 200 and downloaded == content and not local
        )
        rows.append(
            (
                "upload via :8101 → S3 → download via :8102",
                f"{'identical' if upload_ok else 'FAILED'} ({len(content):,} bytes, key {name})",
            )
        )

        # 4. the shared cache: an import's progress, written as the worker writes it (a process with the
        # servers' settings), shown by the status page of each app server
        code = (
            "import django, sys; django.setup(); from imports import tasks; from imports.models import ImportBatch; "
            "from organizations.models import OrgUnit; from accounts.models import User; "
            "b = ImportBatch.objects.filter(original_name='bench.xlsx').first() or ImportBatch.objects.create("
            "kind='doan-vien', unit=OrgUnit.objects.get(code='HN-MD-UBND'), original_name='bench.xlsx', "
            f"created_by=User.objects.get(username='{OFFICER}'), status='RUNNING', rows_file='imports/bench.gz'); "
            "tasks.set_progress(b.pk, int(sys.argv[1]), 'bench'); print(b.pk)"
        )
        shown = []
        for percent in (42, 77):
            batch = int(
                run(
                    [PYTHON, "-c", code, str(percent)],
                    env={**env, "THIDUA_VAR_DIR": str(work / "var-worker")},
                ).strip()
            )
            time.sleep(0.2)  # the new row reaches the replica
            for browser in (first, second):
                status, _, body = browser.request(
                    "GET", f"/nhap-du-lieu/lan/{batch}/", headers={"HX-Request": "true"}
                )
                shown.append(status == 200 and f'aria-valuenow="{percent}"'.encode() in body)
        rows.append(
            (
                "progress set by a worker process, shown by :8101 and :8102",
                f"{sum(shown)}/{len(shown)} pages show it",
            )
        )
        import redis

        keys = sorted(k.decode().split(":", 2)[0] for k in redis.Redis.from_url(REDIS_URL).keys("*"))
        rows.append(
            ("cache keys in Redis by prefix", ", ".join(f"{p}: {keys.count(p)}" for p in sorted(set(keys))))
        )

        # 5. one app server stopped during load
        nginx_reload(work, APP_PORTS)

        def stop_second():
            time.sleep(args.seconds / 3)
            log(f"stopping the app server on :{APP_PORTS[1]} (SIGTERM) under load")
            stop(servers[APP_PORTS[1]])

        result = load(NGINX_PORT, reader.cookies, args.seconds, args.threads, during=stop_second)
        rows.append(
            (
                "errors with one of 2 app servers stopped (SIGTERM) under load",
                f"{result['errors']} of {result['ok'] + result['errors']} requests {result['kinds'] or ''}".strip(),
            )
        )
        # and harsher: the second server back, then the first one killed (SIGKILL, requests in flight)
        servers[APP_PORTS[1]] = app_server(APP_PORTS[1])
        wait_port(APP_PORTS[1], proc=servers[APP_PORTS[1]])
        nginx_reload(work, APP_PORTS)  # forget that :8102 failed a moment ago
        load(NGINX_PORT, reader.cookies, 2, args.threads)  # its workers warm

        def kill_first():
            time.sleep(args.seconds / 3)
            log(f"killing the app server on :{APP_PORTS[0]} (SIGKILL) under load")
            stop(servers[APP_PORTS[0]], sig=signal.SIGKILL)

        result = load(NGINX_PORT, reader.cookies, args.seconds, args.threads, during=kill_first)
        rows.append(
            (
                "errors with one of 2 app servers killed (SIGKILL) under load",
                f"{result['errors']} of {result['ok'] + result['errors']} requests {result['kinds'] or ''}".strip(),
            )
        )
        rows.append(("total run time", f"{time.monotonic() - began:.0f} s"))
    finally:
        width = max((len(r[0]) for r in rows), default=10)
        print("\nScale-out (nginx → gunicorn × 2, PostgreSQL primary + streaming replica, Redis, S3)")
        for label, value in rows:
            print(f"  {label:<{width}}  {value}")
        log("stopping everything")
        cleanup()


if __name__ == "__main__":
    main()
