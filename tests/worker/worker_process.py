"""One worker pass in its own process, for the multi-process and crash tests.

    python -m tests.worker.worker_process --db PATH [--go FILE] [--base-url URL] [--lease S] ...

It waits for the --go file (so several processes start claiming together), runs one pass and
prints the pass summary as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from shared.worker.options import WorkerOptions
from shared.worker.runner import run_pass
from tests.worker.helpers import make_context, openai_env, settings_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--go", help="wait for this file to exist before the pass")
    parser.add_argument("--base-url", help="an OpenAI-compatible endpoint; offline generator without it")
    parser.add_argument("--lease", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--budget", type=float, default=60)
    args = parser.parse_args(argv)

    env = openai_env(args.base_url, timeout=60) if args.base_url else {}
    context = make_context(settings_for(Path(args.db), **env))
    options = WorkerOptions(
        concurrency=args.concurrency, lease_seconds=args.lease, heartbeat_seconds=args.lease / 4, cancel_check_seconds=0.1, retry_base_seconds=0
    )
    if args.go:
        while not Path(args.go).exists():
            time.sleep(0.01)
    summary = run_pass(context, "timer", budget_seconds=args.budget, options=options)
    print(json.dumps(summary.to_dict()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
