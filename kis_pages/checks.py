"""System checks that name the wiring a host site must add for the club pages, with the fix."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from . import preview

REQUIRED_APPS = {
    "wagtail.contrib.settings": "the club's settings (institution, opening hours, RODO clause)",
    "wagtail.contrib.routable_page": "the announcement feeds and the easy-to-read text file",
}
THEME_TEMPLATE = "kis_pages/base.html"
THEME_STYLESHEET = "kis_pages/css/kis.css"


def missing_apps(required, app_id):
    """One error per app of `required` ({module: what needs it}) missing from INSTALLED_APPS."""
    return [
        checks.Error(
            f"{module} is not in INSTALLED_APPS; wagtail-kis needs it for {purpose}.",
            hint=f'Add "{module}" to INSTALLED_APPS.',
            id=app_id,
        )
        for module, purpose in required.items()
        if not apps.is_installed(module)
    ]


@checks.register(checks.Tags.compatibility)
def check_required_apps(app_configs, **kwargs):
    return missing_apps(REQUIRED_APPS, "kis_pages.E001")


@checks.register(checks.Tags.templates)
def check_theme_templates(app_configs, **kwargs):
    """The theme ships inside the app: found only by the app-directories loader."""
    try:
        get_template(THEME_TEMPLATE)
    except TemplateDoesNotExist:
        return [
            checks.Error(
                f"The club theme's template {THEME_TEMPLATE} cannot be found.",
                hint='Set "APP_DIRS": True in the DjangoTemplates entry of TEMPLATES (or add '
                '"django.template.loaders.app_directories.Loader" to its loaders).',
                id="kis_pages.E002",
            )
        ]
    return []


@checks.register(checks.Tags.staticfiles)
def check_theme_stylesheet(app_configs, **kwargs):
    """Without the stylesheet the form's hidden trap field shows, and residents who fill it
    in are filed as spam."""
    if not apps.is_installed("django.contrib.staticfiles") or finders.find(THEME_STYLESHEET):
        return []
    return [
        checks.Warning(
            f"The club theme's stylesheet {THEME_STYLESHEET} cannot be found.",
            hint='Keep "django.contrib.staticfiles.finders.AppDirectoriesFinder" in '
            "STATICFILES_FINDERS.",
            id="kis_pages.W001",
        )
    ]


@checks.register(checks.Tags.templates)
def check_request_in_templates(app_configs, **kwargs):
    """The theme finds the club, its settings and the current menu item from the request."""
    processor = "django.template.context_processors.request"
    backends = [
        backend
        for backend in settings.TEMPLATES
        if backend["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    ]
    if any(processor in b.get("OPTIONS", {}).get("context_processors", []) for b in backends):
        return []
    return [
        checks.Error(
            "The club theme needs the request in its templates.",
            hint=f'Add "{processor}" to the context_processors of TEMPLATES.',
            id="kis_pages.E003",
        )
    ]


@checks.register(checks.Tags.compatibility)
def check_headless_preview(app_configs, **kwargs):
    """A front end named for previews is unused until its package is installed."""
    if not preview.client_urls() or apps.is_installed(preview.PACKAGE):
        return []
    return [
        checks.Warning(
            "WAGTAIL_HEADLESS_PREVIEW names a front end, but Preview draws pages with the "
            "club theme: wagtail-headless-preview is not installed.",
            hint=f'Add "{preview.PACKAGE}" to INSTALLED_APPS.',
            id="kis_pages.W002",
        )
    ]
