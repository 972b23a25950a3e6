#!/usr/bin/env bash
# The plugin leg: build wagtail-kis's sdist and wheel, install the wheel alone into a fresh
# virtual environment, start a site with `wagtail start`, wire it in as the README shows
# (host_settings.py and host_urls.py, appended as they are) and run tests/plugin there.
#
#   tests/plugin/run_plugin_leg.sh [PYTHON]
#
# PYTHON (argument or environment; default python3.11) builds both virtual environments;
# DJANGO (environment, e.g. "Django>=6.1,<6.2") is installed beside the wheel when given.
# Everything happens in a temporary folder, removed on exit; pip's own cache is used.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
python=${1:-${PYTHON:-python3.11}}
django=${DJANGO:-}
start=$SECONDS

step() { echo "--- $* ($((SECONDS - start)) s)"; }

quietly() {  # quietly LOG COMMAND...: run COMMAND, show its output only if it fails
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { cat "$log"; echo "FAILED: $*"; return 1; }
}

work=$(mktemp -d "${TMPDIR:-/tmp}/kis-plugin-leg.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/dist" "$work/site"

step "copying the working tree (tracked and new files, as git sees them) to $work/src"
# A copy keeps build/ and *.egg-info out of the repository, where others are working.
(cd "$repo" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -f "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf -) | tar -C "$work/src" -xf -

step "building sdist and wheel with $("$python" --version 2>&1)"
"$python" -m venv "$work/tools"
quietly "$work/pip-tools.log" "$work/tools/bin/pip" install --quiet build twine
quietly "$work/build.log" "$work/tools/bin/python" -m build --outdir "$work/dist" "$work/src"
wheel=$(ls "$work"/dist/*.whl)
sdist=$(ls "$work"/dist/*.tar.gz)
echo "$(basename "$wheel")  $(basename "$sdist")"

step "checking the distributions"
"$work/tools/bin/twine" check --strict "$wheel" "$sdist"
"$work/tools/bin/python" "$repo/tests/plugin/check_dists.py" "$wheel" "$sdist"

step "installing the wheel alone into a fresh virtual environment${django:+ with $django}"
venv=$work/venv
"$python" -m venv "$venv"
quietly "$work/pip-venv.log" "$venv/bin/pip" install --quiet \
  "$wheel" pytest pytest-django playwright ${django:+"$django"}
"$venv/bin/python" -c 'import django, wagtail
print(f"Django {django.get_version()}, Wagtail {wagtail.__version__}")'

step "wagtail start host"
(cd "$work/site" && "$venv/bin/wagtail" start host >/dev/null)
site=$work/site/host
cat "$repo/tests/plugin/host_settings.py" >>"$site/host/settings/base.py"
cat "$repo/tests/plugin/host_urls.py" >>"$site/host/urls.py"

step "manage.py check, makemigrations --check, migrate (host.settings.dev)"
cd "$site"
export DJANGO_SETTINGS_MODULE=host.settings.dev
"$venv/bin/python" manage.py check --fail-level WARNING
"$venv/bin/python" manage.py makemigrations --check --dry-run
quietly "$work/migrate.log" "$venv/bin/python" manage.py migrate --noinput

step "running tests/plugin in the host site"
mkdir "$site/host_tests"
cp "$repo"/tests/plugin/conftest.py "$repo"/tests/plugin/test_*.py "$site/host_tests/"
cat >"$site/host_tests/pytest.ini" <<'INI'
[pytest]
DJANGO_SETTINGS_MODULE = host.settings.dev
django_find_project = false
pythonpath = ..
addopts = -p no:cacheprovider --strict-markers --import-mode=importlib
markers =
    browser: drives a real Chromium against a live server (their own pytest run)
INI
cd "$site/host_tests"
# The tests check that kis_pages and kis_forms come from the wheel, not from this checkout.
export KIS_PLUGIN_REPO=$repo
"$venv/bin/pytest" -m "not browser" -q -ra
step "running the browser tests in the host site"
DJANGO_ALLOW_ASYNC_UNSAFE=true "$venv/bin/pytest" -m browser -q -ra

step "plugin leg passed"
