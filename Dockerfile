# Production image: gunicorn with one gevent worker per container (WebSockets via simple-websocket).
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/baton

COPY pyproject.toml README.md ./
COPY backend ./backend
RUN pip install --upgrade pip && pip install .

RUN useradd --system --home /srv/baton baton && mkdir -p /srv/baton/instance && chown baton /srv/baton/instance
USER baton

ENV BATON_ENV=production BATON_AUTO_MIGRATE=1
EXPOSE 8000
CMD ["gunicorn", "--worker-class", "gevent", "--workers", "1", "--worker-connections", "5000", \
     "--bind", "0.0.0.0:8000", "--access-logfile", "-", "baton.app:create_app()"]
