"""Benchmarks for Pimpasa Learning: load runs, report scaling, write storm and slow clients.

Every command starts its own production server (gunicorn with the repo's `gunicorn.conf.py`) on a
free loopback port, against a throw-away SQLite file or a PostgreSQL database it creates and drops,
and stops everything it started when it ends, fails or is interrupted. See docs/BENCHMARKS.md.

Importing this package (or any module in it) has no side effects; the work starts in `main()`.
"""
