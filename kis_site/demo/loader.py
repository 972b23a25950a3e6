"""Builds a club's Site, settings, worker and page tree from a demo JSON file.

Every step looks its object up by a natural key first, so loading twice changes nothing.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import Page, Site

from kis_forms.models import EnquiryFormPage, FormField
from kis_pages.blocks import EasyReadTextBlock
from kis_pages.models import (
    AccessibilityStatementPage,
    ActivityIndexPage,
    ActivityPage,
    AnnouncementIndexPage,
    AnnouncementPage,
    ClubPage,
    ClubSettings,
    EasyReadPage,
    SocialWorker,
    Workplace,
    WorkplaceListPage,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CLUB_FILES = ["nysa.json", "kedzierzyn_kozle.json"]


def read_clubs():
    """The demo clubs' data, in the order they are loaded."""
    return [json.loads((DATA_DIR / name).read_text(encoding="utf-8")) for name in CLUB_FILES]


class DemoLoader:
    """Loads demo clubs and reports each object it creates to `report(kind, name)`.

    With `port`, the clubs' Sites answer on that port (the development server's), so that
    their absolute addresses (feeds, the accessibility statement's meta tag) lead there.
    """

    def __init__(self, report, port=None):
        self.report = report
        self.port = port

    @transaction.atomic
    def load(self, clubs):
        self._remove_wagtail_welcome_site()
        return [self.load_club(club) for club in clubs]

    def load_club(self, data):
        workers = {row["name"]: self._worker(row) for row in data["workers"]}
        club = self._club(data["club"], workers)
        site = self._site(data["site"], club)
        self._settings(site, data["settings"])
        self._activities(club, data["activities"])
        for edition in data["workplace_editions"]:
            self._workplace_edition(club, edition)
        self._announcements(club, data["announcements"])
        self._enquiry_form(club, data["enquiry_form"], workers)
        self._accessibility_statement(club, data["accessibility_statement"], workers)
        self._easy_read(club, data["easy_read"])
        return site

    def _remove_wagtail_welcome_site(self):
        """Drop the 'Welcome to Wagtail' page and Site that Wagtail's migrations create."""
        welcome = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        if welcome is None or welcome.get_children().exists():
            return
        Site.objects.filter(root_page=welcome).delete()
        welcome.delete()
        self.report(gettext("removed"), welcome.title)

    def _worker(self, row):
        worker = SocialWorker.objects.filter(name=row["name"]).first()
        if worker is None:
            worker = SocialWorker(**row)
            worker.full_clean()
            worker.save()
            self.report(SocialWorker._meta.verbose_name, worker.name)
        return worker

    def _child(self, parent, model, fields):
        """The child page of `parent` with the slug in `fields`, created live if missing."""
        existing = model.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing is not None:
            return existing, False
        page = model(**fields)
        parent.add_child(instance=page)
        self.report(model._meta.verbose_name, page.title)
        return page, True

    def _club(self, fields, workers):
        fields = dict(fields)
        worker_name = fields.pop("contact_worker")
        fields["contact_worker"] = workers.get(worker_name) if worker_name else None
        fields["eligible_groups"] = [
            {"type": "group", "value": text} for text in fields["eligible_groups"]
        ]
        club, _created = self._child(Page.get_first_root_node(), ClubPage, fields)
        return club

    def _site(self, fields, club):
        port = self.port or fields["port"]
        site, created = Site.objects.get_or_create(
            hostname=fields["hostname"],
            root_page=club,
            defaults={
                "port": port,
                "site_name": fields["site_name"],
                "is_default_site": fields["is_default_site"],
            },
        )
        if created:
            self.report(Site._meta.verbose_name, f"{site.hostname}:{site.port}")
        elif site.port != port:
            site.port = port
            site.save(update_fields=["port"])
            self.report(gettext("new port"), f"{site.hostname}:{site.port}")
        return site

    def _settings(self, site, fields):
        if ClubSettings.objects.filter(site=site).exists():
            return
        ClubSettings.objects.create(site=site, **fields)
        self.report(ClubSettings._meta.verbose_name, fields["institution_name"])

    def _activities(self, club, data):
        index, _created = self._child(club, ActivityIndexPage, self._index_fields(data))
        for fields in data["pages"]:
            self._child(index, ActivityPage, fields)

    @staticmethod
    def _index_fields(data):
        """An index page's own fields: everything but its child pages, shown in the menu."""
        fields = {name: value for name, value in data.items() if name != "pages"}
        return {**fields, "show_in_menus": True}

    def _workplace_edition(self, club, data):
        data = dict(data)
        rows = data.pop("workplaces")
        data["as_of"] = date.fromisoformat(data["as_of"])
        data["hourly_rate"] = Decimal(data["hourly_rate"])
        data["show_in_menus"] = True
        edition, created = self._child(club, WorkplaceListPage, data)
        if created:
            edition.workplaces = [Workplace(sort_order=i, **row) for i, row in enumerate(rows)]
            edition.save()

    def _announcements(self, club, data):
        index, _created = self._child(club, AnnouncementIndexPage, self._index_fields(data))
        for fields in data["pages"]:
            fields = dict(fields)
            for name in ("date", "valid_from", "valid_until"):
                if fields[name]:
                    fields[name] = date.fromisoformat(fields[name])
            self._child(index, AnnouncementPage, fields)

    def _enquiry_form(self, club, data, workers):
        fields = {name: value for name, value in data.items() if name != "fields"}
        fields["default_worker"] = workers[data["default_worker"]]
        fields["show_in_menus"] = True
        form_page, created = self._child(club, EnquiryFormPage, fields)
        if created:
            form_page.form_fields = [
                FormField(sort_order=i, **field) for i, field in enumerate(data["fields"])
            ]
            form_page.save()

    def _accessibility_statement(self, club, data, workers):
        """The statement, its contact taken from the worker unless the data says otherwise."""
        fields = dict(data)
        worker = workers[fields.pop("contact_worker")]
        fields = {**AccessibilityStatementPage.contact_from(worker), **fields}
        for name in ("site_published_on", "site_updated_on", "prepared_on", "last_reviewed_on"):
            fields[name] = date.fromisoformat(fields[name])
        fields["inaccessible_content"] = [
            {"type": "item", "value": item} for item in fields["inaccessible_content"]
        ]
        self._child(club, AccessibilityStatementPage, fields)

    def _easy_read(self, club, data):
        """The easy-to-read texts, then the PJM recording whose transcript is those texts."""
        fields = {name: value for name, value in data.items() if name not in ("texts", "video")}
        text_block = EasyReadTextBlock()
        transcript = "\n\n".join(text_block.plain_text(text) for text in data["texts"])
        fields["body"] = [
            *({"type": "text", "value": text} for text in data["texts"]),
            {"type": "sign_language_video", "value": {**data["video"], "transcript": transcript}},
        ]
        self._child(club, EasyReadPage, fields)
