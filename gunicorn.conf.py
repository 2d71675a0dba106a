"""gunicorn settings for the web process (gunicorn reads ./gunicorn.conf.py by itself: the
Dockerfile, docker-compose.yml and benchmarks/load.py all use it). The choice is measured, see
docs/operations.md ("Web workers") and benchmarks/README.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads overlap the time a request waits on PostgreSQL; processes use the cores.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60  # the proxy's read timeout (docs/operations.md)
# An idle kept-alive connection is closed after 5 s (gunicorn's default is 2): a browser, or the
# load test, that reads a page for a second or two reuses its connection instead of racing the
# server that closes it.
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): a slow leak
# in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# The request time (%(M)s ms) at the end of each access log line: slow pages show in the log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# The control socket would live in $HOME, which the container's non-root user cannot write.
control_socket_disable = True
