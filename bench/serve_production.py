"""`make serve-production`: the production process layout on loopback, for trying it.

Production settings against the local PostgreSQL and Redis: gunicorn with two workers, one
`kis_worker`, and a stand-in mail server that prints every e-mail it receives. Before they
start it migrates, loads the demo clubs with their demo logins, collects static files and
queues the nightly purge, as a release would. Plain HTTP on loopback: SECURE_SSL_REDIRECT=0.

    .venv/bin/python -m bench.serve_production [--port 8001]

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kis_production_demo, created if
missing) and REDIS_URL (default redis://127.0.0.1:6379/1) come from the environment.
"""

import argparse
import os
import secrets
import subprocess
import sys
import time

from tests.smtp_sink import free_port

from .harness import LOOPBACK, ROOT, ensure_database, site_processes

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kis_production_demo"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
SECRET_KEY_FILE = ROOT / ".run" / "secret_key"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    return parser.parse_args()


def loopback_environment(database_url, redis_url, port, mail_port, secret_key):
    """What production settings require, for a site on loopback over plain HTTP."""
    return {
        "DJANGO_SETTINGS_MODULE": "kis_site.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_HOST": LOOPBACK,
        "EMAIL_PORT": str(mail_port),
        "DEFAULT_FROM_EMAIL": "kis@localhost",
        "WAGTAILADMIN_BASE_URL": f"http://localhost:{port}",
        "SECURE_SSL_REDIRECT": "0",
    }


def manage(env, *args, quiet=False):
    """Run one `manage.py` command with `env` added to this process's environment."""
    command = [sys.executable, "manage.py", *args]
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, stdout=output, check=True)  # noqa: S603


def release(env, *demo_options):
    """What each release runs before the processes start: migrate, demo content, static files."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "kis_demo", *demo_options)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def collect_static_if_stale(env):
    """Collect static files, as production serves them, unless done since the last change."""
    manifest = ROOT / "static_collected" / "staticfiles.json"
    ours = [path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file()]
    if not manifest.exists() or manifest.stat().st_mtime < max(ours, default=0):
        print("Collecting static files (about 40 s)…", flush=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def secret_key():
    """A secret key kept in .run/ (ignored by git), so sessions outlive a restart."""
    if not SECRET_KEY_FILE.exists():
        SECRET_KEY_FILE.parent.mkdir(exist_ok=True)
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50))
    return SECRET_KEY_FILE.read_text().strip()


def banner(port, mail_port, env):
    return f"""
  Production settings on loopback: gunicorn (2 workers) on {LOOPBACK}:{port}, one kis_worker,
  e-mails printed below by a stand-in mail server on {LOOPBACK}:{mail_port}.
  Database {env["DATABASE_URL"]}, Redis {env["REDIS_URL"]}.

  Nysa:               http://localhost:{port}/
  Kędzierzyn-Koźle:   http://kedzierzyn-kozle.localhost:{port}/
  Admin:              http://localhost:{port}/admin/  (password for every login: kis-demo)

  Plain HTTP, but the session and CSRF cookies are Secure, as in production. Browsers that
  trust loopback addresses keep them anyway (Chromium does); in one that does not, the admin
  login page just comes back.
  Pages are cached for visitors who are not logged in (see the X-Cache header).
  Stop with Ctrl+C.
"""


def main():
    args = parse_args()
    mail_port = free_port()
    env = loopback_environment(
        args.database_url, args.redis_url, args.port, mail_port, secret_key()
    )
    ensure_database(args.database_url)
    print("Migrating, loading the demo clubs, collecting static files…", flush=True)
    release(env, "--demo-login", "--port", str(args.port))
    manage(env, "kis_purge", "--schedule")
    mail = subprocess.Popen(  # noqa: S603 - aiosmtpd's own stand-in server, on loopback
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"{LOOPBACK}:{mail_port}"]
    )
    try:
        with site_processes(env, workers=2, task_workers=1, port=args.port):
            print(banner(args.port, mail_port, env), flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        mail.terminate()
        mail.wait(timeout=30)


if __name__ == "__main__":
    main()
