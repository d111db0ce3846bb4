"""Run the registered benchmarks: `python -m bench [NAME ...]` (NAME with or without `bench_`)."""

from __future__ import annotations

import importlib
import sys

# One module per line, each in this package with a `main() -> None`; add yours here.
BENCHMARKS: tuple[str, ...] = (
    "bench_engine",
    "bench_store",
    "bench_http",
)


def _module_name(name: str) -> str | None:
    for module in BENCHMARKS:
        if name in (module, module.removeprefix("bench_")):
            return module
    return None


def main(argv: list[str]) -> int:
    chosen = [(name, _module_name(name)) for name in argv] if argv else [(m, m) for m in BENCHMARKS]
    unknown = [name for name, module in chosen if module is None]
    if unknown:
        known = ", ".join(BENCHMARKS)
        print(f"unknown benchmark {', '.join(unknown)}; known: {known}", file=sys.stderr)
        return 2
    for _, module in chosen:
        print(f"\n=== {module} ===", flush=True)
        importlib.import_module(f"bench.{module}").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
