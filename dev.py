#!/usr/bin/env python3
"""The two set-up commands of README.md, needing nothing but Python 3.11+.

    python3 dev.py serve   # install, migrate, load demo data and accounts, serve http://127.0.0.1:8000
    python3 dev.py test    # install and run the whole test suite (pytest args may follow)

Both create ``.venv`` and install the locked versions of ``requirements.lock`` (skipped when the
lock file has not changed since the last install).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock"
CHROMIUM = "/usr/bin/chromium"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(f"dev.py: command failed ({result.returncode}): {' '.join(map(str, cmd))}")


def install() -> None:
    """Create .venv and install the lock file, once per lock-file content."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("dev.py: adctrack needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    print("Installing locked dependencies (requirements.lock) ...", flush=True)
    run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", LOCK)
    STAMP.write_text(digest)


def ensure_chromium() -> None:
    """The end-to-end tests drive Debian's Chromium (Playwright cannot download a browser here)."""
    if Path(CHROMIUM).exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing chromium for the end-to-end tests (apt-get) ...", flush=True)
        run("apt-get", "install", "-y", "-q", "chromium")
        return
    sys.exit(f"dev.py: the end-to-end tests need {CHROMIUM}; install Debian's 'chromium' package.")


def serve() -> None:
    install()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    manage = [PY, "manage.py"]
    run(*manage, "migrate", "--noinput", env=env)
    run(*manage, "seed_demo", env=env)
    run(*manage, "create_demo_users", env=env)
    print(
        "\nadctrack is starting at http://127.0.0.1:8000\n"
        "Log in as viewer, bd, editor or admin; password: adctrack-demo-pass\n",
        flush=True,
    )
    os.execve(PY, [str(PY), "manage.py", "runserver", "127.0.0.1:8000"], env)


def test(args: list[str]) -> None:
    install()
    ensure_chromium()
    env = dict(os.environ)
    marker: list[str] = []
    if not env.get("REDIS_URL"):
        # The worker tests need a broker and a real Celery worker; .ci/run runs them in its
        # PostgreSQL + Redis pass. Without REDIS_URL they are deselected, and said so.
        print("dev.py: REDIS_URL is unset: embedded run, tests marked 'worker' are deselected.", flush=True)
        marker = ["-m", "not worker"]
    code = subprocess.run([str(PY), "-m", "pytest", *marker, *args], cwd=ROOT, env=env).returncode
    if code == 5:
        sys.exit("dev.py: pytest collected no tests (exit 5): check the arguments.")
    sys.exit(code)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test", "install"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "serve":
        serve()
    elif command == "test":
        test(rest)
    else:
        install()


if __name__ == "__main__":
    main()
