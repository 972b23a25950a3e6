"""The README's "Add wagtail-kis to your Wagtail site" shows exactly the lines that the
plugin leg of CI (tests/plugin/) adds to a fresh `wagtail start` site."""

from pathlib import Path

import pytest
from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"
HOST_WIRING = Path(settings.BASE_DIR) / "tests" / "plugin"


@pytest.mark.parametrize("name", ["host_settings.py", "host_urls.py"])
def test_the_readme_shows_the_host_wiring_the_plugin_leg_applies(name):
    lines = (HOST_WIRING / name).read_text(encoding="utf-8").splitlines()
    shown = "\n".join(f"   {line}" if line else "" for line in lines)
    assert f"   ```python\n{shown}\n   ```" in README.read_text(encoding="utf-8")
