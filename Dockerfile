# One image for web (gunicorn), worker and beat (Celery); docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 1000 adctrack
COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput

USER adctrack
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --retries=3 CMD ["python", "-m", "adctrack.healthcheck"]
CMD ["gunicorn", "adctrack.wsgi:application", "--config", "gunicorn.conf.py"]
