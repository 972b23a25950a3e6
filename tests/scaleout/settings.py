"""Settings of the scale-out suite's app servers and task workers: production's, on loopback.

Production settings read the environment the suite sets (plain HTTP behind one proxy, the
suite's database, Redis and SMTP sink), with three changes: static files need no
collectstatic, a form may be sent at once (clients do not wait to look human), and e-mail
retries and the search for abandoned e-mails come within seconds. Each run keeps its cache
keys apart with a prefix of its own.
"""

import os

from kis_site.settings.production import *  # noqa: F403
from kis_site.settings.production import CACHES, KIS_FORMS

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KIS_FORMS = {**KIS_FORMS, "MIN_FILL_SECONDS": 0, "RETRY_DELAYS": [1, 2], "RECOVERY_INTERVAL": 2}
for cache in CACHES.values():
    cache["KEY_PREFIX"] = os.environ["SCALEOUT_CACHE_PREFIX"]
