from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Holds the `kis_demo` command; it has no models."""

    name = "kis_site.demo"
    label = "kis_demo"
    verbose_name = "Demo content"
