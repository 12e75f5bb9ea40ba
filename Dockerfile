# Production image: gunicorn web, Celery worker and beat all run from it through scripts/serve-production
# (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_ENV=production

# WeasyPrint's pango libraries and the CJK fonts the PDF reports embed; pg_dump/pg_restore for `manage.py backup`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk curl postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings to load; these build-time values are never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost scripts/serve-production collectstatic \
 && useradd --system --uid 1000 jingpin && mkdir -p /app/media /app/state && chown -R jingpin /app/media /app/state

USER jingpin
EXPOSE 8000
# One start-up script for every service: `web` (gunicorn, GUNICORN_WORKERS), `worker`, `beat`, `migrate`.
CMD ["scripts/serve-production", "web"]
