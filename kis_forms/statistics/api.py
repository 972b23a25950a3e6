"""The report's figures for headless use: a staff-only django-ninja router for API v3.

The same scope as the admin report: a token's user reads the figures of the clubs where a
grant lets them read enquiries, and a club or form of another club is a 404, as one that
does not exist. Durations are in hours.
"""

from http import HTTPStatus

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import problem_response

from kis_forms.intake.api import problems
from kis_forms.permissions import enquiry_policy
from kis_forms.statistics.report import gather, hours
from kis_forms.statistics.scope import scope_of
from kis_pages.statistics import EDITION_FIELDS

router = Router(tags=["statistics"])
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Choice(Schema):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="Default: this year.")
    club: int | None = Field(None, description="A club page's id; default: all the user's clubs.")
    form: int | None = Field(None, description="An enquiry form page's id; default: all forms.")


class MonthOut(Schema):
    month: int
    enquiries: int
    previous_year: int
    spam: int


class StatusOut(Schema):
    status: str
    enquiries: int


class WorkerOut(Schema):
    worker: str = Field(description="The routed worker's name; empty for none.")
    enquiries: int


class TopicOut(Schema):
    question: str
    answer: str
    enquiries: int


class SpeedOut(Schema):
    month: int
    handled: int
    median_hours_to_handling: float | None
    p90_hours_to_handling: float | None
    closed: int
    median_hours_to_closing: float | None
    p90_hours_to_closing: float | None


class NotificationsOut(Schema):
    sent: int
    retried: int
    given_up: int
    failing: int
    queued: int


class EditionOut(Schema):
    year: int
    title: str
    places: int
    hours_per_week: int
    hours_per_month: int
    hourly_rate: str = Field(description="PLN, as a decimal number in text, e.g. 8.50.")
    workplaces: int


class WorkplaceKindOut(Schema):
    year: int
    kind: str
    workplaces: int
    places: int | None


class StatisticsOut(Schema):
    year: int
    enquiries: int
    spam: int
    months: list[MonthOut]
    statuses: list[StatusOut]
    workers: list[WorkerOut]
    topics: list[TopicOut]
    reply_speed: list[SpeedOut]
    handled_in_time: int
    handled_late: int
    not_yet_due: int
    notifications: NotificationsOut
    work_editions: list[EditionOut]
    workplaces_by_kind: list[WorkplaceKindOut]


@router.get(
    "/",
    response=StatisticsOut,
    auth=BearerTokenAuth(),
    url_name="statistics",
    operation_id="statistics",
    summary="A year's figures of the enquiries and socially useful work of the caller's clubs",
    description=(
        "For staff: the figures of Reports › Statistics in the admin, for the clubs where the "
        "token's user may read enquiries (all clubs for a superuser), narrowed to one club or "
        "form if given. Months and days are in Polish time; durations in hours, the "
        "nearest-rank median and 90th percentile."
    ),
    openapi_extra={
        "responses": problems(
            {
                401: "No valid API token (`Authorization: Bearer …`).",
                403: "The token's user may read no club's enquiries.",
                404: "No club or form with this id among the caller's.",
                422: "A parameter is not valid: `errors` lists each.",
            }
        )
    },
)
def statistics(request, choice: Query[Choice]):
    user = request.user
    if not enquiry_policy.user_has_permission(user, "view"):
        return problem_response(
            status=HTTPStatus.FORBIDDEN, detail=_("You may not read any club's enquiries.")
        )
    scope = scope_of(user)
    if (choice.club is not None and scope.club(choice.club) is None) or (
        choice.form is not None and scope.form(choice.form) is None
    ):
        return problem_response(
            status=HTTPStatus.NOT_FOUND, detail=_("No such club or form among yours.")
        )
    figures = gather(*scope.select(choice.year, choice.club, choice.form))
    return as_schema(figures)


def as_schema(figures):
    return {
        "year": figures.year,
        "enquiries": figures.total,
        "spam": figures.spam,
        "months": [
            {"month": month, "enquiries": total, "previous_year": before, "spam": spam}
            for month, total, before, spam in figures.months
        ],
        "statuses": [{"status": s, "enquiries": n} for s, n in figures.statuses],
        "workers": [{"worker": name, "enquiries": n} for name, n in figures.workers],
        "topics": [{"question": q, "answer": a, "enquiries": n} for q, a, n in figures.topics],
        "reply_speed": [
            {
                "month": month,
                "handled": handled,
                "median_hours_to_handling": hours(h50),
                "p90_hours_to_handling": hours(h90),
                "closed": closed,
                "median_hours_to_closing": hours(c50),
                "p90_hours_to_closing": hours(c90),
            }
            for month, handled, h50, h90, closed, c50, c90 in figures.speed
        ],
        "handled_in_time": figures.in_time,
        "handled_late": figures.late,
        "not_yet_due": figures.waiting,
        "notifications": figures.notifications,
        "work_editions": [
            {
                **{name: edition[name] for name in EDITION_FIELDS[:5]},
                "hourly_rate": str(edition["hourly_rate"]),
                "workplaces": edition["workplace_count"],
            }
            for edition in figures.editions
        ],
        "workplaces_by_kind": [
            {"year": year, "kind": str(kind), "workplaces": units, "places": places}
            for year, kind, units, places in figures.workplaces
        ],
    }
