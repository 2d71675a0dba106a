# Kwint production image: gunicorn (web), celery worker and celery beat all run from this one image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time, with production storage (hashed, compressed names).
# Production settings refuse to load without these variables; the dummy values below exist only
# for this one command and are never part of the running container's environment.
RUN KWINT_ENV=production \
    SECRET_KEY=build-time-only-collectstatic-dummy-key-not-used-at-runtime-0123456789 \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Translations: locale/*/LC_MESSAGES/django.mo is committed, so the image needs no gettext.

# Never run as root. .run/ holds the beat schedule (a volume in docker-compose.yml).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin kwint \
    && mkdir -p /app/.run \
    && chown -R kwint:kwint /app/.run
USER kwint

ENV KWINT_ENV=production
EXPOSE 8000
# Workers, threads, timeout, access log: gunicorn.conf.py (measured, docs/operations.md).
CMD ["gunicorn", "kwint.wsgi:application", "--bind", "0.0.0.0:8000"]
