# Two commands: `make run` serves the app on the embedded SQLite database, `make test` checks everything
# (`make test-fast`: everything but the slow tests, for day-to-day work).
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Settings for the test suite: plain HTTP on loopback, static files without a manifest.
TEST_ENV := SECRET_KEY=tests-only-not-secret DEBUG=0 CACHE_URL=dummycache:// SECURE_SSL_REDIRECT=0 \
	SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 \
	STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage
DEV_ENV := DEBUG=1

.PHONY: run serve-worker test test-fast lint pytest pytest-fast messages serve-prod clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# XStatic-Bootstrap's sdist still imports pkg_resources: build it with an older setuptools.
	$(BIN)/pip install -q --upgrade "setuptools<81" wheel

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --no-build-isolation -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_plan
	$(DEV_ENV) $(BIN)/python manage.py create_demo_accounts
	# The task worker runs beside the server, as in production; Ctrl+C stops both.
	$(DEV_ENV) $(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/pytest $(ARGS)

# Leaves out the tests marked `slow` (nginx in front, the parsers' memory bound, serve-prod
# under gunicorn: subprocesses that take most of the suite's time). In CI (CI set) nothing is
# left out.
pytest-fast: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/pytest $(if $(CI),,-m "not slow") $(ARGS)

test: lint pytest

test-fast: lint pytest-fast

# Rebuild the French catalogue: collect msgids, take their translations from locale/parts/*.po.
CATALOGUE := locale/fr_CA/LC_MESSAGES/django.po
messages: $(VENV)/.installed-dev
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale fr_CA --keep-pot --no-location \
		--no-wrap --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*'
	cat locale/parts/_header.po locale/parts/[!_]*.po > locale/compendium.po
	msguniq --use-first --no-wrap -o locale/compendium.po locale/compendium.po
	msgmerge --quiet --no-fuzzy-matching --no-wrap --compendium=locale/compendium.po \
		-o $(CATALOGUE) locale/parts/_header.po locale/django.pot
	rm -f locale/compendium.po locale/django.pot
	msgattrib --untranslated --no-wrap $(CATALOGUE) | grep -A1 '^msgid' || true
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale fr_CA --ignore '.venv/*'

# Production settings on this machine: DEBUG=0, whitenoise's compressed manifest static files,
# migrations, then gunicorn on 127.0.0.1:$(PORT) behind nginx (deploy/nginx/tiess.conf).
# SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL… come from the environment or .env (see .env.example).
# To try it over plain HTTP: SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0.
GUNICORN_WORKERS ?= 2
GUNICORN_TIMEOUT ?= 30
# Each worker is replaced after about this many requests (plus a random 0-jitter, so that the
# workers do not restart together): memory a worker gained on a big export is given back.
GUNICORN_MAX_REQUESTS ?= 1000
GUNICORN_MAX_REQUESTS_JITTER ?= 100
PROD_ENV := DEBUG=0 STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage
serve-prod: $(VENV)/.installed
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD_ENV) $(BIN)/python manage.py migrate --noinput
	$(PROD_ENV) exec $(BIN)/gunicorn tiess.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers $(GUNICORN_WORKERS) --timeout $(GUNICORN_TIMEOUT) \
		--max-requests $(GUNICORN_MAX_REQUESTS) --max-requests-jitter $(GUNICORN_MAX_REQUESTS_JITTER) \
		--access-logfile - --error-logfile - --forwarded-allow-ips 127.0.0.1

# The background task worker (exports, e-mails, the board's cache): deploy/systemd/
# tiess-worker.service runs it beside serve-prod, with the same environment.
serve-worker: $(VENV)/.installed
	$(PROD_ENV) exec $(BIN)/python manage.py db_worker --no-reload --interval 1

clean:
	rm -rf $(VENV) staticfiles
