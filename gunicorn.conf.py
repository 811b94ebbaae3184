"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (docs/deployment.md).

Each value can be changed with an environment variable, so the same file serves a small
virtual machine and a larger one. gunicorn listens on the loopback address only; the
council's reverse proxy (nginx in the guide) terminates HTTPS and forwards to it.
"""

import gc
import multiprocessing
import os

wsgi_app = "serviceplans.wsgi:application"

# Where gunicorn listens: the reverse proxy forwards here. Never a public address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers, the usual 2 × cores + 1: pages are short database reads, and slow work
# (committee packs) runs in the background worker, not here.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request taking longer than this is killed and logged; no page should come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Restart each worker after a while, staggered, so that a slow leak never builds up.
max_requests = 2000
max_requests_jitter = 200

# Only the proxy on this machine may say which scheme and address a request came from
# (X-Forwarded-*); Django trusts them only with BEHIND_PROXY=true.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Bounds on the request line and headers (gunicorn's defaults, stated): anything larger is
# refused before it reaches Django. The body is bounded by the proxy (client_max_body_size)
# and by Django (DATA_UPLOAD_MAX_MEMORY_SIZE, IMPORT_MAX_BYTES).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Logs to standard output and error, where systemd's journal or the container runtime
# collects them with Django's own (settings.LOGGING).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The access log records who asked for what without the query string's values being
# anything secret (the site puts none there): address, time, request, status, size, duration.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'

# Give the process a recognisable name in `ps` and `top`.
proc_name = "serviceplans"


def post_worker_init(worker):
    """Once the worker has loaded Django: what it loaded lives as long as the worker, so it is
    moved out of the garbage collector's sight (gc.freeze). A page with many forms (the section
    editor with 50 actions) leaves thousands of reference cycles, and the full collections they
    set off every few requests would otherwise walk every module, model and URL pattern too:
    on the county council (bench/bench_pages.py), the editor's p95 went from 194 ms to 53 ms.
    Start-up's own garbage is collected first rather than kept for the worker's life."""
    gc.collect()
    gc.freeze()
