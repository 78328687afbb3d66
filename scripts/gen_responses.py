#!/usr/bin/env python3
"""Generate simulated response files for dskill batch scoring (tests and benchmarks).

Writes a bank (minimal schema v1, 2PL or 3PL, items spread over competence areas) and responses
simulated from it with theta ~ N(0, 1), in wide CSV, long CSV or JSON Lines, optionally
gzip-compressed. Deterministic for a given --seed. Large files are generated, never committed.

  gen_responses.py --bank bank.yaml --persons 1000000 --items 30 --out responses.csv
  gen_responses.py --bank bank.yaml --persons 1000 --format jsonl --out r.jsonl.gz --missing 0.1
  gen_responses.py --use-bank existing.yaml --persons 1000 --out r.csv   (2PL/1PL/3PL items only)
"""
import argparse
import gzip
import sys

import numpy as np


def write_bank(path, n_items, rng, areas, model="2pl"):
    a = rng.uniform(0.8, 2.0, n_items)
    b = rng.uniform(-2.0, 2.0, n_items)
    c = rng.uniform(0.1, 0.25, n_items) if model == "3pl" else np.zeros(n_items)
    with open(path, "w", encoding="utf-8") as f:
        f.write("dskill: 1\nbank:\n  id: generated\n  scale: {D: 1.0}\n")
        f.write("  provenance: {method: simulated, data: simulated, note: \"scripts/gen_responses.py\"}\n")
        f.write("items:\n")
        for i in range(n_items):
            area = i % areas + 1
            guess = f", c: {c[i]:.4f}" if model == "3pl" else ""
            f.write(f"  - id: g{i + 1:04d}\n    model: {model}\n    params: {{a: {a[i]:.4f}, b: {b[i]:.4f}{guess}}}\n")
            f.write(f"    competences: [\"{area}.1\"]\n")
    ids = [f"g{i + 1:04d}" for i in range(n_items)]
    return ids, a, -a * b, c


def read_bank(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    D = float((doc.get("bank", {}).get("scale") or {}).get("D", 1.0))
    ids, slopes, ints, lows = [], [], [], []
    for it in doc["items"]:
        p = it["params"]
        if it["model"] not in ("1pl", "rasch", "2pl", "3pl", "4pl"):
            continue
        a = float(p.get("a", p.get("discrimination", 1.0)))
        if "intercept" in p:
            d = float(p["intercept"])
        else:
            d = -a * float(p.get("b", p.get("difficulty", 0.0)))
        ids.append(str(it["id"]))
        slopes.append(D * a)
        ints.append(D * d)
        lows.append(float(p.get("c", p.get("guessing", 0.0))))
    return ids, np.array(slopes), np.array(ints), np.array(lows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bank", help="write a generated bank here (2PL unless --model 3pl)")
    ap.add_argument("--model", choices=["2pl", "3pl"], default="2pl", help="model of a generated bank")
    ap.add_argument("--use-bank", help="simulate from this existing bank instead (dichotomous items)")
    ap.add_argument("--items", type=int, default=30)
    ap.add_argument("--areas", type=int, default=5)
    ap.add_argument("--persons", type=int, default=1000)
    ap.add_argument("--format", choices=["wide", "long", "jsonl"], default="wide")
    ap.add_argument("--missing", type=float, default=0.0, help="share of items not presented")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="responses file (.gz compresses)")
    ap.add_argument("--theta-out", help="write the true thetas here (one per line)")
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    if args.use_bank:
        ids, slope, intercept, low = read_bank(args.use_bank)
        if args.items and args.items < len(ids):
            ids, slope, intercept, low = ids[:args.items], slope[:args.items], intercept[:args.items], low[:args.items]
    elif args.bank:
        ids, slope, intercept, low = write_bank(args.bank, args.items, rng, args.areas, args.model)
    else:
        sys.exit("give --bank (to generate one) or --use-bank")

    opener = gzip.open if args.out.endswith(".gz") else open
    theta_f = open(args.theta_out, "w") if args.theta_out else None
    batch = 20000
    with opener(args.out, "wt", encoding="utf-8", newline="") as f:
        if args.format == "wide":
            f.write("person_id," + ",".join(ids) + "\n")
        elif args.format == "long":
            f.write("person_id,item_id,response\n")
        done = 0
        while done < args.persons:
            n = min(batch, args.persons - done)
            theta = rng.normal(0.0, 1.0, n)
            p = low + (1 - low) / (1 + np.exp(-(np.outer(theta, slope) + intercept)))
            x = (rng.random(p.shape) < p).astype(np.int8)
            shown = rng.random(p.shape) >= args.missing
            if theta_f:
                theta_f.write("\n".join(f"{t:.6f}" for t in theta) + "\n")
            if args.format == "wide" and args.missing == 0.0:
                # fast path for benchmarks: digits and commas laid out as one byte array
                k = len(ids)
                cells = np.full((n, 2 * k), ord(","), dtype=np.uint8)
                cells[:, 1::2] = x + ord("0")
                cells = np.concatenate([cells, np.full((n, 1), ord("\n"), dtype=np.uint8)], axis=1)
                pids = np.array([f"P{done + r + 1:08d}".encode() for r in range(n)])
                body = cells.tobytes()
                w = 2 * k + 1
                f.write("".join(pids[r].decode() + body[r * w:(r + 1) * w].decode() for r in range(n)))
                done += n
                continue
            out = []
            for r in range(n):
                pid = f"P{done + r + 1:08d}"
                row, mask = x[r], shown[r]
                if args.format == "wide":
                    out.append(pid + "," + ",".join(str(v) if m else "" for v, m in zip(row, mask)))
                elif args.format == "long":
                    out.extend(f"{pid},{ids[i]},{row[i]}" for i in range(len(ids)) if mask[i])
                else:
                    resp = ",".join(f'"{ids[i]}":{row[i]}' for i in range(len(ids)) if mask[i])
                    out.append(f'{{"person_id":"{pid}","responses":{{{resp}}}}}')
            f.write("\n".join(out) + "\n")
            done += n
    if theta_f:
        theta_f.close()


if __name__ == "__main__":
    main()
