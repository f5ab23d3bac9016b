"""On SQLite under gevent (`baton demo`), a transaction waiting for the one write lock lets the process's
other greenlets go on (app._took_write_lock): the driver's own wait, in C, would stop them all, the lock's
holder among them when it is one of them, until the wait gave up."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1] / "backend"

SCRIPT = textwrap.dedent(
    """
    from gevent import monkey

    monkey.patch_all()

    import json, sqlite3, sys, time
    import gevent
    from sqlalchemy import text

    sys.path.insert(0, sys.argv[1])
    from baton.app import create_app
    from baton.config import Settings
    from baton.extensions import db

    path = sys.argv[2]
    env = {"BATON_ENV": "test", "BATON_DATABASE_URL": f"sqlite:///{path}", "BATON_SECRET_KEY": "k" * 64}
    app = create_app(Settings.from_env(env))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE IF NOT EXISTS marks (n INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # another holds the write lock, in this process
    ticks, written = [], []

    def ticker():
        for _ in range(30):
            ticks.append(time.monotonic())
            gevent.sleep(0.01)

    def writer():
        with app.app_context():
            db.session.execute(text("INSERT INTO marks (n) VALUES (1)"))
            db.session.commit()
            written.append(time.monotonic())

    started = time.monotonic()
    waiting, ticking = gevent.spawn(writer), gevent.spawn(ticker)
    gevent.sleep(0.5)  # the holder's own work, while the writer waits
    released = time.monotonic()
    holder.execute("COMMIT")
    gevent.joinall([waiting, ticking], timeout=60, raise_error=True)
    print(json.dumps({
        "ticks_while_waiting": sum(1 for t in ticks if t < released),
        "released_after_s": released - started,
        "written_after_release_s": written[0] - released if written else None,
    }))
    """
)


def test_a_writer_waiting_for_the_sqlite_lock_lets_the_other_greenlets_run(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(BACKEND), str(tmp_path / "wait.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["released_after_s"] < 5  # the holder was not stopped by the waiting writer
    assert seen["ticks_while_waiting"] >= 20  # nor was anyone else
    assert seen["written_after_release_s"] is not None and seen["written_after_release_s"] < 2
