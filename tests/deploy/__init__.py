"""Tests of the deployment: processes and app servers sharing one database and one cache.

They start real servers on loopback (gunicorn through `make serve-prod`, Debian's nginx and
redis-server) and talk to them over HTTP; `cluster.py` holds what they share. They may import
the project's test helpers (tests/nginx_front.py, tests/security/prod_server.py), never a test
module.
"""
