"""gunicorn settings of the web container (`gunicorn -c gunicorn.conf.py clts.wsgi:application`).

The access log names the path without its query string, and neither the Referer nor the full request line: a URL
may carry what a person typed, and a log line must never carry a child's name or number. (The portal puts no
personal data in URLs; this keeps it so for a mistyped or forged one.)
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60
# Behind the reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For (see README).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
# %(U)s: the path only. Not %(r)s (request line with the query), %(q)s (the query) or %(f)s (the Referer).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
