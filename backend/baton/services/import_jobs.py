"""Import jobs: a CSV file handed to the background worker, so a file of tens of thousands of rows never
holds a web request; the office polls the job for its progress and, at the end, every row's errors."""

from dataclasses import asdict

from ..domain.errors import NotFound
from ..extensions import db
from ..models import ImportJob, User
from .importer import import_orders_csv
from .record_import import import_records_csv
from .tx import transaction

WAITING_KEY = "baton_imports_waiting"  # job ids to hand to the worker once their row is committed


def start_import(kind: str, content: bytes, *, dry_run: bool, channel: str, actor: User | None) -> ImportJob:
    with transaction():
        job = ImportJob(
            kind=kind,
            dry_run=dry_run,
            channel=channel,
            content=content,
            status="queued",
            total=_data_lines(content),
            created_by_id=actor.id if actor else None,
        )
        db.session.add(job)
        db.session.flush()
        # The worker is woken after the commit (jobs.py): before it, it could not see the job.
        db.session.info.setdefault(WAITING_KEY, []).append(job.id)
    return job


def get_job(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"No import {job_id}.")
    return job


def run_import(job_id: int, report=None) -> None:
    """The worker's side: check (and unless a dry run, import) the file, then record the outcome."""
    job = get_job(job_id)
    if job.status != "queued":
        return  # a wake-up delivered twice
    job.status = "running"
    db.session.commit()
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    kind, content, dry_run, channel = job.kind, job.content, job.dry_run, job.channel
    try:
        if kind == "orders":
            result = import_orders_csv(
                content, channel=channel, actor=actor, dry_run=dry_run, on_progress=report
            )
        else:
            result = import_records_csv(kind, content, actor=actor, dry_run=dry_run, on_progress=report)
    except Exception as broken:  # a bug or a database failure: the file is not to blame, but say so
        db.session.rollback()
        job = get_job(job_id)
        job.status = "failed"
        job.errors = [
            {"row": 0, "field": "file", "message": f"The import stopped: {broken.__class__.__name__}."}
        ]
        db.session.commit()
        raise
    job = get_job(job_id)
    job.total = result.rows or job.total
    job.done = job.total
    job.errors = [asdict(error) for error in result.errors]
    job.result = {"created": result.created, "skipped": result.skipped}
    if kind == "orders":
        job.result["order_ids"] = result.order_ids[:1000]
    job.status = "failed" if result.errors else "done"
    db.session.commit()


def _data_lines(content: bytes) -> int:
    """A first guess at the rows (lines after the header) until the worker has read the file."""
    return max(0, content.count(b"\n") - 1 + (0 if content.endswith(b"\n") else 1))
