"""gunicorn's settings (config/gunicorn.conf.py, issue 16): loaded by gunicorn itself, the request
timeout longer than the statement timeout, every value from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def _load(**env) -> dict:
    code = (
        f"import json; ns = {{}}; exec(open({str(CONF)!r}).read(), ns); "
        "print(json.dumps({k: ns[k] for k in ('workers', 'timeout', 'bind', 'max_requests', 'worker_class')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_defaults_are_sync_workers_with_a_timeout_past_the_statement_timeout():
    conf = _load()
    assert conf["worker_class"] == "sync" and conf["workers"] == 2 * os.cpu_count() + 1
    assert conf["timeout"] * 1000 > 30000  # THIDUA_STATEMENT_TIMEOUT_MS's default: SQL is cancelled first
    assert conf["max_requests"] > 0


def test_every_value_comes_from_the_environment():
    conf = _load(THIDUA_WEB_WORKERS="3", THIDUA_WEB_TIMEOUT="90", THIDUA_WEB_BIND="127.0.0.1:8101")
    assert (conf["workers"], conf["timeout"], conf["bind"]) == (3, 90, "127.0.0.1:8101")


def test_gunicorn_accepts_the_file():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(CONF), "--check-config", "config.wsgi"],
        cwd=CONF.parents[1],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
