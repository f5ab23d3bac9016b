"""Benchmark: parcel ratings per second over demo-shaped tariffs, then notices drained per second to SMTP.

The second figure is bench/notices.py's (PostgreSQL, 4 drainers by default); `--notices 0` skips it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench.*, tests.*
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

import argparse
import copy
import json
import random
import statistics
import time
from datetime import date
from decimal import Decimal

import zipcodes

from baton.domain import rating
from baton.schemas.carriers import CarrierIn
from baton.services.carriers import as_domain, carrier_from_spec
from baton.services.demo_carriers import DEMO_CARRIERS

SERVICES_PER_CARRIER = 5
ORIGIN = ("US", "89521")  # the demo's WEST warehouse, Reno NV
AIM = 5000


def carriers() -> list[rating.Carrier]:
    """The three demo carriers, each topped up to five services with dearer copies of its own."""
    built = []
    for spec in DEMO_CARRIERS:
        spec = copy.deepcopy(spec)
        services = spec["services"]
        for n in range(SERVICES_PER_CARRIER - len(services)):
            extra = copy.deepcopy(services[n % len(services)])
            extra["code"] = f"{extra['code']}_alt{n}"
            extra["rates"] = [{**row, "amount": str(Decimal(row["amount"]) + 1)} for row in extra["rates"]]
            services.append(extra)
        built.append(as_domain(carrier_from_spec(CarrierIn().load(spec))))
    return built


def parcels(rng: random.Random, count: int) -> list[rating.Shipment]:
    zips = [z["zip_code"] for z in zipcodes.filter_by(active=True) if z.get("lat")]
    shipments = []
    for _ in range(count):
        weight = Decimal(rng.randint(200, 30000)) / 1000
        dims = [Decimal(rng.randint(10, 80)) for _ in range(3)]
        shipments.append(
            rating.Shipment(
                origin=ORIGIN,
                destination=("US", rng.choice(zips)),
                parcels=(rating.Parcel(weight, *dims),),
                ship_date=date(2026, 12, 1),
                residential=rng.random() < 0.5,
                deliver_by=date(2026, 12, 4) if rng.random() < 0.3 else None,
            )
        )
    return shipments


def run_ratings(tariffs, shipments) -> dict:
    started = time.perf_counter()
    ratings = chosen = 0
    for shipment in shipments:
        rates = rating.rate_shipment(tariffs, shipment)
        ratings += len(rates)
        chosen += rating.choose(rates) is not None
    elapsed = time.perf_counter() - started
    return {"ratings": ratings, "seconds": elapsed, "chosen": chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--notices", type=int, default=2000, help="notices to drain; 0 skips that figure")
    parser.add_argument("--drainers", default="4")
    parser.add_argument("--databases", default="postgresql")
    args = parser.parse_args()
    rng = random.Random(10)
    tariffs = carriers()
    shipments = parcels(rng, args.parcels)
    services = sum(len(c.services) for c in tariffs)
    results = [run_ratings(tariffs, shipments) for _ in range(args.runs)]
    # The first run also fills the ZIP and holiday caches, as the first minutes of a shift would.
    per_s = [r["ratings"] / r["seconds"] for r in results]
    print(
        json.dumps(
            {
                "bench": "rates",
                "figure": "parcel_ratings_per_s",
                "parcels": args.parcels,
                "carriers": len(tariffs),
                "services": services,
                "ratings_per_run": results[0]["ratings"],
                "median": round(statistics.median(per_s)),
                "first_run": round(per_s[0]),
                "best": round(max(per_s)),
                "chosen_share": round(results[0]["chosen"] / args.parcels, 3),
                "aim": AIM,
                "meets_aim": statistics.median(per_s) >= AIM,
            }
        )
    )
    if args.notices:
        from bench import notices

        notices.run(args.notices, args.drainers, 3, args.databases)


if __name__ == "__main__":
    main()
