"""The `vigil` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from domain.errors import VigilError
from vigil import __version__
from vigil.settings import Settings

SCHEMA_PATH = Path("frontend-schema/schema.graphql")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vigil", description="Vigil incident management.")
    parser.add_argument("--version", action="version", version=f"vigil {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Run the API server (GraphQL at /graphql).")
    serve.add_argument("--host", help="Overrides VIGIL_HOST.")
    serve.add_argument("--port", type=int, help="Overrides VIGIL_PORT.")

    commands.add_parser(
        "worker",
        help="Run the background jobs and escalation without serving HTTP "
        "(needs VIGIL_MONGODB_URI).",
    )

    export = commands.add_parser("export-schema", help="Write the GraphQL SDL.")
    export.add_argument("--output", type=Path, default=SCHEMA_PATH)
    export.add_argument(
        "--check",
        action="store_true",
        help="Fail if the file differs from the schema instead of writing it.",
    )

    correlate = commands.add_parser(
        "correlate", help="Evaluate the correlation engine on alert streams, offline."
    )
    from vigil import correlate_cli

    correlate_cli.add_arguments(correlate)

    from vigil import demo

    demo.add_arguments(
        commands.add_parser(
            "demo",
            help="Register the Online Boutique on a running server and replay an alert storm.",
        )
    )

    args = parser.parse_args(argv)
    if args.command == "correlate":
        return correlate_cli.run(args)
    try:
        if args.command == "serve":
            return _serve(Settings.from_env(os.environ), host=args.host, port=args.port)
        if args.command == "worker":
            from vigil.worker import run_worker

            return run_worker(Settings.from_env(os.environ))
        if args.command == "demo":
            return demo.run(args)
        return _export_schema(args.output, check=args.check)
    except VigilError as exc:
        print(f"vigil: {exc.message}\n  hint: {exc.suggestion}", file=sys.stderr)
        return 2


GRACEFUL_SHUTDOWN_SECONDS = 10
"""How long a stopping server waits for open requests and websockets before closing them."""


def _serve(settings: Settings, *, host: str | None, port: int | None) -> int:
    import uvicorn

    from api.app import create_app
    from vigil.logs import configure_logging

    if port is not None and not 0 <= port <= 65535:
        print(f"vigil: --port must be between 0 and 65535, got {port}", file=sys.stderr)
        return 2
    configure_logging(settings)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=settings.port if port is None else port,
        # Ours (vigil/logs.py), not uvicorn's: one format, request ids, redacted paths.
        log_config=None,
        log_level=settings.log_level.lower(),
        ws="websockets-sansio",
        ws_per_message_deflate=settings.ws_compression,
        # Live subscriptions never end by themselves: without a bound, a stop would wait
        # for every war-room dashboard to disconnect. Clients reconnect to another replica.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


def _export_schema(output: Path, *, check: bool) -> int:
    from api.schema.schema import sdl

    current = sdl()
    if check:
        if not output.exists() or output.read_text() != current:
            print(f"vigil: {output} is out of date; run 'make schema'", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(current)
    print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
