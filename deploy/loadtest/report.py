"""The load test's report from locust's CSV files (scripts/loadtest.sh): per page the requests, errors, p50/p95/p99
under load, p95 alone (one user of that role on the server) and the ratio of the two. Exit status 1 when a request
failed or a page's p95 under load is above the bound."""

import argparse
import csv
import sys
from pathlib import Path


def read_stats(path: Path) -> dict[tuple[str, str], dict]:
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        return {(row["Type"], row["Name"]): row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"}


def ms(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--p95-ms", type=float, default=500)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=int)
    args = parser.parse_args()

    load = read_stats(args.dir / "load_stats.csv")
    if not load:
        print(f"No results in {args.dir / 'load_stats.csv'} (see {args.dir / 'load.log'}).")
        return 1
    alone: dict = {}
    for path in sorted(args.dir.glob("alone-*_stats.csv")):
        alone.update(read_stats(path))
    failures = []
    failures_csv = args.dir / "load_failures.csv"
    if failures_csv.exists():
        with failures_csv.open(newline="") as handle:
            failures = list(csv.DictReader(handle))

    total = sum(int(r["Request Count"]) for r in load.values())
    errors = sum(int(r["Failure Count"]) for r in load.values())
    rps = sum(float(r["Requests/s"]) for r in load.values())
    print(f"Hongyin load test: {args.users} users for {args.seconds}s on gunicorn + PostgreSQL + Redis (loopback)")
    print(f"{total} requests, {rps:.1f}/s, {errors} errors; bound p95 <= {args.p95_ms:.0f} ms")
    print()
    head = f"{'page':<40} {'reqs':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6} {'alone95':>7} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    over = []
    for key in sorted(load, key=lambda k: (k[1], k[0])):
        row = load[key]
        method, name = key
        p95 = ms(row["95%"])
        base = ms(alone.get(key, {}).get("95%"))
        ratio = f"{p95 / base:.1f}x" if p95 and base else "-"
        flag = ""
        if p95 is not None and p95 > args.p95_ms:
            over.append(name)
            flag = "  > bound"
        label = f"{method} {name}"[:40]
        print(
            f"{label:<40} {row['Request Count']:>6} {row['Failure Count']:>4} {row['50%']:>6} {row['95%']:>6}"
            f" {row['99%']:>6} {base if base is not None else '-':>7} {ratio:>6}{flag}"
        )
    print("(milliseconds; alone95 = p95 with one user of the role alone on the server; ratio = p95 / alone95)")
    if failures:
        print()
        print("Errors:")
        for row in failures:
            print(f"  {row['Occurrences']:>5} x {row['Method']} {row['Name']}: {row['Error'][:160]}")
    verdict = "PASS" if not errors and not over else "FAIL"
    print()
    print(f"{verdict}: {errors} errors, {len(over)} page(s) over p95 {args.p95_ms:.0f} ms")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
