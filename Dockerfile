# Production image: gunicorn with one gevent worker per container (WebSockets via simple-websocket).

# The phone app: a Vite build (pwa/dist) that Baton serves at `/`.
FROM node:20-slim AS pwa
WORKDIR /pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund
# Sources only: a developer's pwa/node_modules (native binaries of another OS) must not come along.
COPY pwa/index.html pwa/vite.config.js ./
COPY pwa/src ./src
COPY pwa/public ./public
COPY pwa/scripts ./scripts
RUN npm run build

FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/baton

COPY pyproject.toml README.md ./
COPY backend ./backend
RUN pip install --upgrade pip && pip install .

COPY --from=pwa /pwa/dist ./pwa/dist

RUN useradd --system --home /srv/baton baton && mkdir -p /srv/baton/instance && chown baton /srv/baton/instance
USER baton

# The door as under `baton serve` (README, Configuration): 4 quick requests of the worker at once.
ENV BATON_ENV=production BATON_AUTO_MIGRATE=1 BATON_PWA_DIR=/srv/baton/pwa/dist BATON_REQUESTS_AT_ONCE=4
EXPOSE 8000
# Baton's gevent worker (backend/baton/serving.py), as under `baton serve`: JSON for the requests gunicorn refuses,
# and the garbage collector settled after start-up and again once warm.
CMD ["gunicorn", "--worker-class", "baton.serving.JsonErrorsGeventWorker", "--workers", "1", \
     "--worker-connections", "5000", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "baton.app:create_app()"]
