"""The "Enquiry permissions" panel of Settings › Groups: which clubs' enquiries a group reads
or handles, one row per club, as Wagtail's own page permissions panel does per page.
"""

import html

from django import forms
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.formsets import BaseFormSetMixin
from wagtail.models import Page

from kis_forms.models import GroupEnquiryPermission
from kis_forms.permissions import HANDLE, VIEW
from kis_pages.models import ClubPage

# (codename, column heading, checkbox label): the panel's columns, in order.
PERMISSION_TYPES = [
    (VIEW, pgettext_lazy("enquiry permission", "View"), _("View enquiries")),
    (HANDLE, pgettext_lazy("enquiry permission", "Handle"), _("Handle enquiries")),
]
PERMISSION_LABELS = {codename: label for codename, _heading, label in PERMISSION_TYPES}
DUPLICATE_CLUB = _(
    "%(club)s is chosen in more than one row. Give each club one row and tick its "
    "permissions there."
)


# Where a saved row's prefix goes in its cells, and where the rows go in the panel: marks
# made of a character no label, codename or title holds (a form field refuses it, PostgreSQL
# cannot store it).
PREFIX_MARK = "\0"
ROWS_MARK = "\0rows\0"


class PanelChoices:
    """The clubs and the enquiry permissions, read once for all the rows of the panel: a
    group of every club in a voivodeship has hundreds of rows, and a query per row (or a
    list of every club in each row) would grow with the square of the clubs."""

    def __init__(self):
        # (pk, title) pairs: a ClubPage instance each cost more than its whole row. Read from
        # the pages of the clubs' types by their content type's index: joined to ClubPage's
        # table, PostgreSQL scanned every page of every club (1.1 ms at 300 clubs, not 0.3).
        clubs = (
            Page.objects.type(ClubPage)
            .order_by("title", "pk")
            .values_list("pk", "title", named=True)
        )
        self.clubs = {str(club.pk): club for club in clubs}
        # Each title escaped once, for its saved row and for the list of clubs of a new row
        # (text from the database: html.escape, as Django's escape does without its checks).
        self.titles_html = {key: html.escape(club.title) for key, club in self.clubs.items()}
        self._cells = {}
        self.permissions = {
            permission.codename: permission
            for permission in Permission.objects.filter(
                content_type__app_label="kis_forms", codename__in=PERMISSION_LABELS
            )
        }
        self.codenames = {
            permission.pk: codename for codename, permission in self.permissions.items()
        }

    def saved_row(self, prefix, club, codenames):
        """A saved row (a grant shown, not sent back) as the widgets would draw it: the club
        named, its choice in a hidden field, its permissions ticked. Drawn through the
        widgets' templates, a form per row, 300 rows took most of the group editor's time;
        through str.format, which parses its format string each time, 3.5 µs a row; as an
        f-string with the cells of each set of ticks put together once, 0.8 µs."""
        return (
            f'<tr id="inline_child_{prefix}" data-w-formset-target="child">'
            f'<td>{self.titles_html[str(club.pk)]}<input type="hidden" name="{prefix}-club" '
            f'value="{club.pk}" id="id_{prefix}-club"><input type="hidden" '
            f'name="{prefix}-DELETE" data-w-formset-target="deleteInput" '
            f'id="id_{prefix}-DELETE"></td>{prefix.join(self.cells(frozenset(codenames)))}'
            f'<td><button class="button button-small no" type="button" '
            f'id="id_{prefix}-DELETE-button" data-action="w-formset#delete">'
            f"{self.delete_label}</button></td></tr>"
        )

    def cells(self, ticked):
        """The cells of a saved row's permissions with the codenames `ticked` ticked, split
        where the row's prefix goes, their labels translated when first drawn."""
        if ticked not in self._cells:
            self._cells[ticked] = "".join(
                f'<td><label for="id_{PREFIX_MARK}-permissions_{index}" class="w-sr-only">'
                f'{escape(label)}</label><input type="checkbox" name="{PREFIX_MARK}-permissions" '
                f'value="{codename}" id="id_{PREFIX_MARK}-permissions_{index}"'
                f"{' checked' if codename in ticked else ''}></td>"
                for index, (codename, _heading, label) in enumerate(PERMISSION_TYPES)
            ).split(PREFIX_MARK)
        return self._cells[ticked]

    @cached_property
    def delete_label(self):
        return escape(gettext("Delete"))


class ClubSelect(forms.Select):
    """The list of clubs of a new row ("---------", then the panel's clubs), its options
    written here as Django's option template draws them: one template include per club cost
    20 ms at 300 clubs. The clubs come as the panel read and escaped them, not as choices
    Django would normalise and escape again for each list drawn."""

    template_name = "kis_forms/group_permissions/club_select.html"
    panel = None  # the PanelChoices of the form's panel

    def use_required_attribute(self, initial):
        """Select's answer, its first option being the empty one, without listing every club
        to find that out."""
        return forms.Widget.use_required_attribute(self, initial)

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # no option dicts
        chosen = context["widget"]["value"]
        options, selected = [], False
        for key, label_html in [("", "---------"), *self.panel.titles_html.items()]:
            mark = not selected and key in chosen
            selected = selected or mark
            options.append(
                f'<option value="{key}"{" selected" if mark else ""}>{label_html}</option>'
            )
        context["widget"]["options"] = mark_safe("".join(options))  # noqa: S308 (escaped)
        return context


class ClubChoiceField(forms.ChoiceField):
    """A club, looked up among the clubs the panel read once (not a queryset copied into
    each row, as a ModelChoiceField would), and listed from them where a new row is drawn."""

    widget = ClubSelect

    def use(self, panel):
        self.clubs = panel.clubs
        self.widget.panel = panel

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if str(value) not in self.clubs:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return self.clubs[str(value)]

    def validate(self, value):
        forms.Field.validate(self, value)  # to_python has found it among the clubs


class EnquiryPermissionChoiceField(forms.MultipleChoiceField):
    """The enquiry permissions as checkboxes labelled by what they let a moderator do, looked
    up among the permissions the panel read once."""

    def use(self, permissions):
        self.permissions = permissions
        # view, then handle: the order of the column headings
        self.choices = [(codename, label) for codename, _heading, label in PERMISSION_TYPES]

    def clean(self, value):
        return [self.permissions[codename] for codename in super().clean(value)]


class ClubEnquiryPermissionsForm(forms.Form):
    """One row of the panel: the enquiry permissions a group has on one club."""

    # Every enquiry form sits below a ClubPage, and a grant covers the club's subtree.
    club = ClubChoiceField(label=_("Club"))
    permissions = EnquiryPermissionChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].use(choices)
        self.fields["permissions"].use(choices.permissions)

    @property
    def chosen_club(self):
        """The club of a row that has one (a grant, or a row sent back), shown by its name
        with the choice kept in a hidden field: a list of every club is for new rows."""
        return self.fields["club"].clubs.get(str(self["club"].value()))


class BaseGroupEnquiryPermissionFormSet(BaseFormSetMixin, forms.BaseFormSet):
    """The rows of one group's enquiry grants; saving replaces the group's grants with them."""

    permission_types = PERMISSION_TYPES
    panel_template_name = "kis_forms/group_permissions/formset.html"

    def __init__(self, data=None, files=None, instance=None, prefix="enquiry_permissions"):
        self.instance = Group() if instance is None else instance
        self.choices = PanelChoices()
        initial = self.saved_rows() if self.instance.pk is not None else []
        super().__init__(data, files, initial=initial, prefix=prefix)

    def saved_rows(self):
        """The group's grants as rows ({"club": id, "permissions": codenames}) in the order of
        the panel's clubs, by title. Read as (club, permission) ids: model instances cost 4 ms
        at 300 clubs, and joining the pages for their titles took 1.5 of the query's 2 ms. A
        grant on a page that is not a club (any more) has no place among the clubs: then the
        grants are read again with their pages' titles to order them."""
        grants = self.instance.enquiry_permissions
        granted = self.codenames_by_club(grants.values_list("club_id", "permission_id"))
        rows = [
            {"club": club.pk, "permissions": granted[club.pk]}
            for club in self.choices.clubs.values()
            if club.pk in granted
        ]
        if len(rows) < len(granted):
            granted = self.codenames_by_club(
                grants.order_by("club__title", "club_id").values_list("club_id", "permission_id")
            )
            rows = [
                {"club": club_id, "permissions": codenames}
                for club_id, codenames in granted.items()
            ]
        return rows

    def codenames_by_club(self, pairs):
        """The codenames granted on each club, from (club, permission) ids, in their order."""
        codenames = self.choices.codenames
        granted = {}
        for club_id, permission_id in pairs:
            club_codenames = granted.setdefault(club_id, [])
            if permission_id in codenames:
                club_codenames.append(codenames[permission_id])
        return granted

    def drawn_rows(self):
        """Every row of the group: saved rows written plain without building their forms (a
        template loop per row cost 3 ms at 300 clubs), a row sent back or on a page that is
        not a club (any more, its row offers the list of clubs) by its form's widgets."""
        if self.is_bound:
            return "".join(self.form_row(form) for form in self.forms)
        rows = []
        for index, row in enumerate(self.initial):
            club = self.choices.clubs.get(str(row["club"]))
            if club is None:
                rows.append(self.form_row(self.forms[index]))
            else:
                rows.append(
                    self.choices.saved_row(self.add_prefix(index), club, row["permissions"])
                )
        return "".join(rows)

    @staticmethod
    def form_row(form):
        return render_to_string("kis_forms/group_permissions/row.html", {"form": form})

    def __getitem__(self, index):
        """A row's form by number. A template's `formset.prefix` tries formset["prefix"]
        first, which built every row's form (300 at 300 clubs) before failing; a name now
        fails at once."""
        if not isinstance(index, int):
            raise TypeError(index)
        return super().__getitem__(index)

    @property
    def media(self):
        """The rows' media, read from the empty row: Django's formset reads them from its first
        form, which builds every row's form (300 at 300 clubs) on a page that draws none."""
        return self.empty_form.media

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "choices": self.choices}

    def rows_to_save(self):
        """The rows that stay: not deleted, with a club chosen."""
        return [
            form
            for form in self.forms
            if form not in self.deleted_forms and "club" in form.cleaned_data
        ]

    def clean(self):
        """Refuse a club chosen in two rows: the rows would disagree about its permissions."""
        if any(self.errors):
            return
        seen = set()
        for form in self.rows_to_save():
            club = form.cleaned_data["club"]
            if club.pk in seen:
                raise forms.ValidationError(
                    DUPLICATE_CLUB, code="duplicate_club", params={"club": club.title}
                )
            seen.add(club.pk)

    @transaction.atomic
    def save(self):
        wanted = {
            (form.cleaned_data["club"].pk, permission.pk)
            for form in self.rows_to_save()
            for permission in form.cleaned_data["permissions"]
        }
        existing = {
            (grant.club_id, grant.permission_id): grant.pk
            for grant in self.instance.enquiry_permissions.all()
        }
        self.instance.enquiry_permissions.filter(
            pk__in=[pk for key, pk in existing.items() if key not in wanted]
        ).delete()
        GroupEnquiryPermission.objects.bulk_create(
            GroupEnquiryPermission(group=self.instance, club_id=club_id, permission_id=perm_id)
            for club_id, perm_id in wanted - existing.keys()
        )

    def as_admin_panel(self):
        """The panel, its rows put in where the template marks their place once it is drawn:
        drawn inside it (in a loop, the panel's body, the panel, the template) 300 rows were
        copied a dozen times, 2 ms of the page at 300 clubs."""
        panel = render_to_string(self.panel_template_name, {"formset": self, "rows": ROWS_MARK})
        before, _rows, after = panel.partition(ROWS_MARK)
        return mark_safe(f"{before}{self.drawn_rows()}{after}")  # noqa: S308 (rows escaped)


GroupEnquiryPermissionFormSet = forms.formset_factory(
    ClubEnquiryPermissionsForm,
    formset=BaseGroupEnquiryPermissionFormSet,
    extra=0,
    can_delete=True,
)
