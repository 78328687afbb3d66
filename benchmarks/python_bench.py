#!/usr/bin/env python3
"""Cost of the Python bindings: dskill.score on 1,000,000 x 30 patterns and one CAT step, against
the same work done by C++ alone.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python_bench.py [--build build]

The C++ figures come from (1) the C API's dsk_score_batch called once through ctypes on the very
same buffer (the whole batch runs in C++; ctypes adds one call), and (2) the Google Benchmark
programs bench_estimate (EAP per 30-item pattern) and bench_cat (a whole 20-item CAT), when they
are built in <build>/benchmarks (cmake -DDSKILL_BUILD_BENCHMARKS=ON). Prints a table and, with
--json, writes the figures.
"""
import argparse
import ctypes
import json
import math
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

import dskill

ROOT = pathlib.Path(__file__).resolve().parents[1]


def synthetic_bank(n_items: int, seed: int, areas: int = 5) -> dskill.Bank:
    """A 3PL bank in the style of the C++ benchmarks (a ~ U(0.8, 2), b ~ N(0, 1), c ~ U(0, 0.25))."""
    rng = np.random.default_rng(seed)
    lines = ["dskill: 1", "bank:", f"  id: bench-{n_items}", "  scale: {D: 1.0}", "items:"]
    for i in range(n_items):
        a, b, c = rng.uniform(0.8, 2.0), rng.normal(), rng.uniform(0.0, 0.25)
        lines += [f"  - id: i{i:05d}", "    model: 3pl", f"    params: {{a: {a:.6f}, b: {b:.6f}, c: {c:.6f}}}"]
    return dskill.Bank.from_yaml("\n".join(lines) + "\n")


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


class ScoreOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("method", ctypes.c_int), ("prior_mean", ctypes.c_double),
                ("prior_sd", ctypes.c_double), ("grid_lo", ctypes.c_double), ("grid_hi", ctypes.c_double),
                ("grid_points", ctypes.c_int), ("lower_bound", ctypes.c_double), ("upper_bound", ctypes.c_double),
                ("se_information", ctypes.c_int), ("wle_variant", ctypes.c_int), ("threads", ctypes.c_uint)]


def capi_scorer(lib_path: pathlib.Path, bank: dskill.Bank):
    lib = ctypes.CDLL(str(lib_path))
    lib.dsk_bank_parse.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_size_t,
                                   ctypes.c_char_p, ctypes.c_void_p]
    lib.dsk_score_batch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t,
                                    ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                    ctypes.c_void_p, ctypes.POINTER(ScoreOptions)]
    lib.dsk_last_error_message.restype = ctypes.c_char_p
    handle = ctypes.c_void_p()
    text = bank.to_yaml().encode()
    if lib.dsk_bank_parse(ctypes.byref(handle), text, len(text), b"bench", None) != 0:
        raise RuntimeError(lib.dsk_last_error_message().decode())

    def score(r: np.ndarray, method: int, threads: int, nodes: int = 121):
        n = r.shape[0]
        theta, se = np.empty(n), np.empty(n)
        opts = ScoreOptions(1, method, 0.0, 1.0, -6.0, 6.0, nodes, -4.0, 4.0, 0, 0, threads)
        rc = lib.dsk_score_batch(handle, r.ctypes.data, n, r.shape[1], r.shape[1], None, theta.ctypes.data,
                                 se.ctypes.data, None, ctypes.byref(opts))
        if rc != 0:
            raise RuntimeError(lib.dsk_last_error_message().decode())
        return theta, se

    return score


def google_benchmark(binary: pathlib.Path, pattern: str) -> dict:
    if not binary.exists():
        return {}
    out = subprocess.run([str(binary), f"--benchmark_filter={pattern}", "--benchmark_format=json",
                          "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                         capture_output=True, text=True, check=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
            res[b["run_name"]] = b["real_time"] * scale  # microseconds
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--items", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cat-bank", type=int, default=1000)
    ap.add_argument("--cat-tests", type=int, default=2000)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    build = pathlib.Path(args.build)
    figures: dict = {"cpus": os.cpu_count()}

    # ---- batch scoring ---------------------------------------------------------------------
    bank = synthetic_bank(args.items, seed=1)
    rng = np.random.default_rng(2)
    p_correct = rng.random(args.items)
    r = (rng.random((args.persons, args.items)) < p_correct).astype(np.int8)
    lib = build / "bindings" / "c" / "libdskill_c.so"
    capi = capi_scorer(lib, bank) if lib.exists() else None
    print(f"score(): {args.persons:,} x {args.items} patterns, EAP, best of {args.repeat}")
    print(f"{'nodes':>6} {'threads':>8} {'Python s':>10} {'C++ s':>10} {'Python/C++':>11} {'patterns/s':>14}")
    for nodes, threads in ((121, 1), (121, 0), (61, 1), (61, 0)):
        grid = (-6.0, 6.0, nodes)
        py_s = best_of(lambda: dskill.score(bank, r, grid=grid, threads=threads), args.repeat)
        c_s = best_of(lambda: capi(r, 0, threads, nodes), args.repeat) if capi else float("nan")
        label = "all" if threads == 0 else str(threads)
        print(f"{nodes:>6} {label:>8} {py_s:>10.3f} {c_s:>10.3f} {py_s / c_s:>11.3f} {args.persons / py_s:>14,.0f}")
        figures[f"score_{nodes}_nodes_threads_{label}"] = {"python_s": py_s, "cpp_s": c_s}
    if capi:
        a = dskill.score(bank, r[:10000])
        b = capi(r[:10000], 0, 0)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), "Python and C API disagree"
    est = google_benchmark(build / "benchmarks" / "bench_estimate", "bm_eap_scorer_30/30$")
    if est:
        us = next(iter(est.values()))
        print(f"bench_estimate bm_eap_scorer_30 (61 nodes): {us:.3f} us per pattern -> "
              f"{args.persons * us * 1e-6:.3f} s per {args.persons:,} on one thread")
        figures["bench_estimate_eap_us"] = us

    # ---- one CAT step ---------------------------------------------------------------------------
    if dskill.HAVE_CAT:
        cat_bank = synthetic_bank(args.cat_bank, seed=3)
        spec = dskill.TestSpec()  # MFI, EAP after every answer, at most 20 items
        dskill.Session(cat_bank, spec, seed=0).next_index()  # build the shared engine first
        b = cat_bank.difficulties.tolist()  # plain lists and math.exp: the simulated examinee costs ~0.1 us
        answers = np.random.default_rng(4).random(args.cat_tests * 64).tolist()
        exp = math.exp

        def whole_tests():
            steps = 0
            k = 0
            for t in range(args.cat_tests):
                s = dskill.Session(cat_bank, spec, seed=t)
                while (item := s.next_index()) is not None:
                    s.record(item, int(answers[k] < 1.0 / (1.0 + exp(b[item] - 0.3))))
                    k += 1
                    steps += 1
            return steps

        steps = whole_tests()
        total = best_of(whole_tests, args.repeat)
        per_test = total / args.cat_tests * 1e6
        per_step = total / steps * 1e6
        print(f"\nCAT: {args.cat_tests} whole tests on a {args.cat_bank}-item 3PL bank, {steps / args.cat_tests:.1f} "
              f"items each: {per_test:.1f} us per test, {per_step:.2f} us per step (next_item + record)")
        figures["cat_python_us_per_test"] = per_test
        figures["cat_python_us_per_step"] = per_step
        cat = google_benchmark(build / "benchmarks" / "bench_cat", f"BM_whole_cat_20_items_eap/{args.cat_bank}$")
        if cat:
            cpp = next(iter(cat.values()))
            print(f"bench_cat BM_whole_cat_20_items_eap/{args.cat_bank}: {cpp:.1f} us per test, "
                  f"{cpp / 20:.2f} us per step -> Python adds {(per_test - cpp) / 20:.2f} us per step")
            figures["cat_cpp_us_per_test"] = cpp
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
