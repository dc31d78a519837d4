"""Create the configured PostgreSQL database if it does not exist (`python -m clts.database_create`).

Runs before Django can connect, so it reads DATABASE_URL itself and talks to the server's `postgres` database.
"""

import os
import sys
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql


def main() -> int:
    env = environ.Env()
    environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)
    config = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/clts")
    name = config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            print(f"database {name} exists")
        else:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"database {name} created")
    connection.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clts.settings")
    sys.exit(main())
