# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; Noto fonts render Hindi in PDFs; gettext compiles the Hindi catalogue.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-noto-core gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# build_css writes static/build/clts.css (the Bootstrap rules the templates use, then ours); collectstatic then
# stores every file under its content hash with .gz and .br copies, which WhiteNoise serves with a year's cache.
RUN DEBUG=on python manage.py compilemessages --ignore=.venv -v 0 \
 && DEBUG=on python manage.py build_css -v 0 \
 && DEBUG=on STATIC_ROOT=/app/staticfiles MANIFEST_STATIC=on python manage.py collectstatic --no-input -v 0 \
 && useradd --system --uid 10001 clts && mkdir -p /srv/clts/media && chown -R clts /srv/clts
USER clts
ENV STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/srv/clts/media
EXPOSE 8000
# gunicorn.conf.py: workers, timeout, and an access log without query strings or Referer.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "clts.wsgi:application"]
