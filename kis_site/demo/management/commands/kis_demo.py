"""`manage.py kis_demo`: load both seed clubs as two Sites; running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from kis_forms.permissions import HANDLE, grant

from ...loader import DemoLoader, read_clubs

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "kis-demo"  # noqa: S105 - a documented login for the local demo only


class Command(BaseCommand):
    help = "Loads the demo clubs of Nysa and Kędzierzyn-Koźle as two Wagtail Sites."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help=f"Also create the superuser '{DEMO_USERNAME}' and a moderator per club, "
            f"all with the password '{DEMO_PASSWORD}' (never on a public server).",
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
            for site in sites:
                self._demo_moderator(site, report)
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

    def _demo_moderator(self, site, report):
        """A social worker who may open the admin and handle only this club's enquiries."""
        club = site.root_page
        username = moderator_username(club)
        group, created = Group.objects.get_or_create(
            name=gettext("Moderators – %(club)s") % {"club": site.site_name}
        )
        if created:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="wagtailadmin", codename="access_admin"
                )
            )
            grant(group, club, HANDLE)
            report(Group._meta.verbose_name, group.name)
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(username, f"{username}@localhost", DEMO_PASSWORD)
            user.groups.add(group)
            report(User._meta.verbose_name, username)


def moderator_username(club):
    """The demo moderator's login for a club, e.g. moderator-nysa for the page kis-nysa."""
    return "moderator-" + club.slug.removeprefix("kis-")
