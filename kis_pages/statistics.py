"""Socially useful work in figures, for the clubs' yearly report: each edition's places, hours
and rate, and its workplaces by kind of unit. Two aggregate queries, whatever the number of
editions or workplaces."""

from django.db.models import Count, Sum

from .models import Workplace, WorkplaceListPage
from .tree import subtree_q

# What the report shows of each edition, in its columns' order.
EDITION_FIELDS = [
    "year",
    "title",
    "places",
    "hours_per_week",
    "hours_per_month",
    "hourly_rate",
    "workplace_count",
]


def editions(club_paths):
    """Each live edition below the clubs at `club_paths`, by year: the figures it sets."""
    return list(
        WorkplaceListPage.objects.live()
        .filter(subtree_q(club_paths))
        .order_by("year", "path")
        .annotate(workplace_count=Count("workplaces"))
        .values(*EDITION_FIELDS)
    )


def workplaces_by_kind(club_paths):
    """[(year, kind label, workplaces, places named)] of the live editions below the clubs."""
    labels = dict(Workplace.UnitKind.choices)
    rows = (
        Workplace.objects.filter(edition__live=True)
        .filter(subtree_q(club_paths, "edition__path"))
        .order_by("edition__year", "unit_kind")
        .values("edition__year", "unit_kind")
        .annotate(units=Count("pk"), places=Sum("places"))
    )
    return [
        (
            row["edition__year"],
            labels.get(row["unit_kind"], row["unit_kind"]),
            row["units"],
            row["places"],
        )
        for row in rows
    ]
