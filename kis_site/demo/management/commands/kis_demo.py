"""`manage.py kis_demo`: load both seed clubs as two Sites; running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from ...loader import DemoLoader, read_clubs

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "kis-demo"  # noqa: S105 - a documented login for the local demo only


class Command(BaseCommand):
    help = "Loads the demo clubs of Nysa and Kędzierzyn-Koźle as two Wagtail Sites."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help=f"Also create the superuser '{DEMO_USERNAME}' with the password "
            f"'{DEMO_PASSWORD}' (never on a public server).",
        )

    def handle(self, *args, demo_login=False, **options):
        created = []

        def report(kind, name):
            created.append(name)
            self.stdout.write(f"  + {kind}: {name}")

        self.stdout.write(gettext("Loading the demo clubs…"))
        sites = DemoLoader(report).load(read_clubs())
        if demo_login:
            self._demo_login(report)
        if not created:
            self.stdout.write(gettext("  The demo content is already loaded; nothing changed."))
        for site in sites:
            self.stdout.write(self.style.SUCCESS(f"  {site.site_name}: {site.root_url}/"))

    def _demo_login(self, report):
        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            return
        User.objects.create_superuser(DEMO_USERNAME, "admin@localhost", DEMO_PASSWORD)
        report(User._meta.verbose_name, DEMO_USERNAME)
