"""The demo command builds both seed clubs as structured content, and is idempotent."""

import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from kis_forms.models import EnquirySubmission
from kis_forms.permissions import enquiry_policy
from kis_pages.models import (
    AccessibilityStatementPage,
    ActivityPage,
    AnnouncementPage,
    ClubPage,
    ClubSettings,
    EasyReadPage,
    SocialWorker,
    Workplace,
    WorkplaceListPage,
)
from kis_site.demo.management.commands.kis_demo import moderator_username


def table_counts():
    models = [Page, Site, ClubSettings, SocialWorker, Workplace]
    return {model.__name__: model.objects.count() for model in models}


def test_running_the_demo_command_again_changes_nothing(db):
    before = table_counts()
    latest_page_change = Page.objects.order_by("-latest_revision_created_at").first()
    output = io.StringIO()

    call_command("kis_demo", stdout=output)

    assert table_counts() == before
    assert Page.objects.order_by("-latest_revision_created_at").first() == latest_page_change
    assert "  + " not in output.getvalue()  # no object reported as created


def test_the_demo_clubs_move_to_the_servers_port_once(db):
    sites_before = Site.objects.count()
    output = io.StringIO()

    call_command("kis_demo", "--port", "8123", stdout=output)

    assert Site.objects.count() == sites_before
    assert set(Site.objects.values_list("port", flat=True)) == {8123}
    assert "http://kedzierzyn-kozle.localhost:8123/" in output.getvalue()
    again = io.StringIO()
    call_command("kis_demo", "--port", "8123", stdout=again)
    assert "  + " not in again.getvalue()


def test_demo_clubs_answer_on_their_own_hosts(nysa_site, kk_site):
    assert nysa_site.root_page.specific.title == "Klub Integracji Społecznej w Nysie"
    assert kk_site.root_page.specific.title == "Klub Integracji Społecznej w Kędzierzynie-Koźlu"
    assert not Page.objects.filter(slug="home", depth=2).exists()


def test_kedzierzyn_kozle_edition_2020_has_all_22_workplaces_and_its_figures(kk_site):
    edition = WorkplaceListPage.objects.descendant_of(kk_site.root_page).get(year=2020)
    assert edition.workplaces.count() == 22
    assert edition.hourly_rate == Decimal("8.50")
    assert (edition.hours_per_week, edition.hours_per_month, edition.places) == (10, 40, 31)
    names = [w.unit_name for w in edition.workplaces.all()]
    assert names[0] == "Urząd Miasta" and names[-1] == "Dom Dziennego Pobytu nr 5"


def test_the_named_social_worker_is_the_kedzierzyn_kozle_contact(kk_site):
    club = kk_site.root_page.specific
    worker = club.contact_worker
    assert worker == SocialWorker.objects.get(name="Agnieszka Jarońska")
    assert (worker.phone, worker.phone_extension) == ("+48774837723", "103")
    assert worker.room == "I piętro, pokój 102"


def test_each_club_has_its_eligible_groups_activities_and_announcements(nysa_site, kk_site):
    nysa, kk = nysa_site.root_page.specific, kk_site.root_page.specific
    assert len(nysa.eligible_groups) == 5
    assert "matki samotnie wychowujące dzieci" in [block.value for block in kk.eligible_groups]
    assert ActivityPage.objects.descendant_of(nysa).count() == 5
    assert ActivityPage.objects.descendant_of(kk).count() == 5
    crisis = AnnouncementPage.objects.descendant_of(kk).get()
    assert (crisis.category, crisis.pinned) == ("crisis", True)
    assert AnnouncementPage.objects.descendant_of(nysa).get().category == "deadlines"
    assert isinstance(nysa, ClubPage) and nysa.founded_year == 2005


def test_demo_logins_give_each_club_a_moderator_and_a_new_enquiry_only_they_see(db):
    call_command("kis_demo", "--demo-login", stdout=io.StringIO())
    again = io.StringIO()
    call_command("kis_demo", "--demo-login", stdout=again)
    assert "  + " not in again.getvalue()

    User = get_user_model()
    for site in Site.objects.all():
        moderator = User.objects.get(username=moderator_username(site.root_page))
        (enquiry,) = enquiry_policy.instances_user_has_permission_for(moderator, "handle")
        assert enquiry.page.get_site() == site
        assert enquiry.status == EnquirySubmission.Status.NEW and enquiry.reference
        assert enquiry.resident_phone == "+48600100200" and enquiry.notifications.exists()


def test_each_club_has_a_consistent_statement_and_an_easy_read_page(nysa_site, kk_site):
    workers = {nysa_site: "Lider Klubu Integracji Społecznej", kk_site: "Agnieszka Jarońska"}
    for site, worker_name in workers.items():
        statement = AccessibilityStatementPage.objects.child_of(site.root_page).get()
        statement.full_clean()  # every date in order and none in the future
        assert statement.last_reviewed_on >= date(2025, 11, 23)
        worker = SocialWorker.objects.get(name=worker_name)
        assert (statement.contact_name, statement.contact_email) == (worker.name, worker.email)
        easy_read = EasyReadPage.objects.child_of(site.root_page).get()
        kinds = [block.block_type for block in easy_read.body]
        assert 4 <= kinds.count("text") <= 6 and kinds[-1] == "sign_language_video"
    assert AccessibilityStatementPage.objects.child_of(kk_site.root_page).get().contact_phone == (
        "+48774837723"
    )
