"""gunicorn settings for thidua (issue 16): `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Sync workers — every request runs its SQL in its own process; each keeps its PostgreSQL connection open
(`THIDUA_CONN_MAX_AGE`). Every value can be set through the environment."""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("THIDUA_WEB_BIND", "127.0.0.1:8000")
# 2 × cores + 1 (5 on a 2-core machine), gunicorn's own advice for sync workers
workers = int(os.environ.get("THIDUA_WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
# a request still running after 60 s is killed (its statement was cancelled at 30 s before that:
# THIDUA_STATEMENT_TIMEOUT_MS); a restart lets running requests finish for 30 s
timeout = int(os.environ.get("THIDUA_WEB_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("THIDUA_WEB_GRACEFUL_TIMEOUT", "30"))
# recycle each worker after about 2,000 requests (jitter: not all at once) against slow memory growth
max_requests = int(os.environ.get("THIDUA_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("THIDUA_WEB_MAX_REQUESTS_JITTER", "200"))
# behind nginx: keep its upstream connections for a few seconds
keepalive = int(os.environ.get("THIDUA_WEB_KEEPALIVE", "5"))
# the request headers may be large (session and CSRF cookies); the body limits are Django's
limit_request_field_size = 8190
accesslog = os.environ.get("THIDUA_WEB_ACCESS_LOG", "-")
errorlog = os.environ.get("THIDUA_WEB_ERROR_LOG", "-")
loglevel = os.environ.get("THIDUA_WEB_LOG_LEVEL", "info")
# client (the proxy's X-Forwarded-For first), request, status, bytes, microseconds, the user agent
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
forwarded_allow_ips = os.environ.get("THIDUA_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
