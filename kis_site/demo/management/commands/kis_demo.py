"""`manage.py kis_demo`: load both seed clubs as two Sites; running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from kis_forms.intake.forms import CHOICE_FIELD_TYPES, split_choices
from kis_forms.intake.submissions import record_enquiry
from kis_forms.models import EnquiryFormPage, EnquirySubmission
from kis_forms.permissions import HANDLE, grant

from ...loader import DemoLoader, read_clubs

DEMO_ANSWERS = {
    "name": "Anna Przykładowa",
    "phone": "+48600100200",
    "email": "anna.przykladowa@example.org",
    "multiline": "Dzień dobry, chciałabym dołączyć do zajęć Klubu. "
    "Kiedy mogę przyjść na pierwszą rozmowę?",
}
DEMO_USERNAME = "admin"
DEMO_PASSWORD = "kis-demo"  # noqa: S105 - a documented login for the local demo only


class Command(BaseCommand):
    help = "Loads the demo clubs of Nysa and Kędzierzyn-Koźle as two Wagtail Sites."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-login",
            action="store_true",
            help=f"Also create the superuser '{DEMO_USERNAME}', a moderator and a new enquiry "
            "per club, "
            f"all with the password '{DEMO_PASSWORD}' (never on a public server).",
        )
        parser.add_argument(
            "--port",
            type=int,
            help="The port the clubs' Sites answer on, that of the server (8000 if not given).",
        )

    def handle(self, *args, demo_login=False, port=None, **options):
        created = []

        def report(kind, name):
            created.append(name)
            self.stdout.write(f"  + {kind}: {name}")

        self.stdout.write(gettext("Loading the demo clubs…"))
        sites = DemoLoader(report, port=port).load(read_clubs())
        if demo_login:
            self._demo_login(report)
            for site in sites:
                self._demo_moderator(site, report)
                self._demo_enquiry(site, report)
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

    def _demo_enquiry(self, site, report):
        """One new enquiry per club, so its moderator has something to open."""
        form_page = EnquiryFormPage.objects.descendant_of(site.root_page).live().first()
        demo_sent = EnquirySubmission.objects.filter(
            page=form_page, resident_email=DEMO_ANSWERS["email"]
        )
        if form_page is None or demo_sent.exists():
            return
        answers = {field.clean_name: demo_answer(field) for field in form_page.get_form_fields()}
        enquiry = record_enquiry(
            form_page,
            answers,
            worker=form_page.default_worker,
            resident_name=DEMO_ANSWERS["name"],
            resident_phone=DEMO_ANSWERS["phone"],
            resident_email=DEMO_ANSWERS["email"],
        )
        report(EnquirySubmission._meta.verbose_name, enquiry.reference)


def demo_answer(field):
    """What the demo resident answers: the first choice, or a typical text."""
    if field.field_type in ("checkboxes", "multiselect"):
        return split_choices(field.choices)[:1]
    if field.field_type in CHOICE_FIELD_TYPES:
        return split_choices(field.choices)[0]
    return DEMO_ANSWERS.get(field.field_type, "")


def moderator_username(club):
    """The demo moderator's login for a club, e.g. moderator-nysa for the page kis-nysa."""
    return "moderator-" + club.slug.removeprefix("kis-")
