"""`manage.py kis_purge`: anonymise the enquiries that have outlived their retention period."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from kis_forms.conf import option
from kis_forms.privacy.retention import expired_counts, purge, retention_days_for
from kis_forms.privacy.tasks import schedule_purge


class Command(BaseCommand):
    help = (
        "Anonymises closed and spam enquiries older than their form's or club's retention "
        "period, and spam older than its own; running it again changes nothing."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext("Only count, per club and form, what would be anonymised."),
        )
        mode.add_argument(
            "--schedule",
            action="store_true",
            help=gettext(
                "Queue the nightly purge task unless it is queued already; purge nothing."
            ),
        )

    def handle(self, *args, dry_run=False, schedule=False, **options):
        if schedule:
            self.schedule()
        elif dry_run:
            self.dry_run()
        else:
            self.purge()

    def purge(self):
        bar = ProgressBar(self.stdout)
        done = 0
        for done, total in purge():
            bar.show(done, total)
        bar.finish()
        if done:
            message = ngettext(
                "Anonymised %(count)s enquiry.", "Anonymised %(count)s enquiries.", done
            )
            self.stdout.write(self.style.SUCCESS(message % {"count": done}))
        else:
            self.stdout.write(gettext("No enquiry has outlived its retention period."))

    def dry_run(self):
        counts = expired_counts()
        if not counts:
            self.stdout.write(gettext("No enquiry has outlived its retention period."))
            return
        self.stdout.write(gettext("Dry run, nothing is changed. Would anonymise:"))
        club = None
        for form_page, count, spam_count in counts:
            if form_page.get_parent() != club:
                club = form_page.get_parent()
                self.stdout.write(club.title)
            if count:
                line = ngettext(
                    "  %(form)s: %(count)s enquiry older than %(days)s days",
                    "  %(form)s: %(count)s enquiries older than %(days)s days",
                    count,
                )
                days = retention_days_for(form_page)
                self.stdout.write(line % {"form": form_page.title, "count": count, "days": days})
            if spam_count:
                line = ngettext(
                    "  %(form)s: %(count)s spam enquiry older than %(days)s days",
                    "  %(form)s: %(count)s spam enquiries older than %(days)s days",
                    spam_count,
                )
                days = option("SPAM_RETENTION_DAYS")
                self.stdout.write(
                    line % {"form": form_page.title, "count": spam_count, "days": days}
                )
        total = sum(count + spam_count for _form_page, count, spam_count in counts)
        self.stdout.write(
            ngettext("Total: %(count)s enquiry.", "Total: %(count)s enquiries.", total)
            % {"count": total}
        )

    def schedule(self):
        run_after = schedule_purge()
        if run_after is None:
            raise CommandError(
                gettext(
                    "The task backend cannot delay tasks; run “manage.py kis_purge” daily "
                    "from cron or a systemd timer instead."
                )
            )
        when = formats.date_format(timezone.localtime(run_after), "SHORT_DATETIME_FORMAT")
        self.stdout.write(
            gettext("The nightly purge is queued; next run: %(when)s.") % {"when": when}
        )


class ProgressBar:
    """A plain-text bar: redrawn in place on a terminal, one line per step elsewhere."""

    WIDTH = 30

    def __init__(self, out):
        self.out = out
        self.redraw = out.isatty()
        self.drawn = False

    def show(self, done, total):
        self.drawn = True
        filled = self.WIDTH * done // total if total else self.WIDTH
        line = f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {done}/{total}"
        if self.redraw:
            self.out.write(f"\r{line}", ending="")
            self.out.flush()
        else:
            self.out.write(line)

    def finish(self):
        """End the redrawn line, so what follows starts on its own."""
        if self.redraw and self.drawn:
            self.out.write("")
