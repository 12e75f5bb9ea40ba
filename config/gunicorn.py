"""gunicorn settings read by scripts/serve-production (``--config python:config.gunicorn``).

With several workers the Prometheus metrics of django-prometheus live in files under PROMETHEUS_MULTIPROC_DIR
(one set per worker process, summed by /metrics); a worker that exits has its live gauges dropped here.
"""

import os

# gunicorn's access log line, with the request id the app put on the response (core.observability).
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
