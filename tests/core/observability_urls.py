"""The project's URLs plus one view that queues a task, for tests/core/test_observability.py."""

import logging

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from core import outbox


def queue_logging_task(request):
    logging.getLogger("jingpin.test").info("queueing the task")
    outbox.enqueue("tests.core.test_observability.log_in_task", "from the request")
    return HttpResponse("queued")


urlpatterns = [path("test-queue-task/", queue_logging_task), *project_urlpatterns]
