"""The background task of a build (Django Tasks API; `make run` starts `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_job_task(job_id: int) -> str:
    from .services import job_run

    return job_run(job_id=job_id)
