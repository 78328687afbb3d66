// Calibration benchmarks: one EM iteration (E-step + M-step) on 10,000 x 50, and whole
// calibrations of 2PL 2,000 x 30 (mirt 0.35 s) and 3PL 5,000 x 40 (mirt 7.1 s).
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/io/response_matrix.hpp"

using namespace dskill;

namespace {

struct dataset {
  std::vector<irt::item_params> items;
  std::vector<std::int8_t> responses;
  std::size_t persons = 0;
};

dataset make(std::size_t persons, std::size_t n_items, irt::model kind, std::uint64_t seed) {
  calibrate::portable_rng rng(seed);
  dataset d;
  d.persons = persons;
  for (std::size_t i = 0; i < n_items; ++i) {
    irt::difficulty_form f{.kind = kind, .a = rng.uniform(0.7, 2.0), .b = {rng.normal()}};
    if (kind == irt::model::three_pl) f.c = rng.uniform(0.1, 0.25);
    d.items.push_back(irt::to_intercept_form(f));
  }
  const auto th = calibrate::simulate_thetas(persons, seed + 1);
  d.responses = calibrate::simulate_responses(d.items, th, seed + 2);
  return d;
}

calibrate::problem problem_of(const dataset& d, irt::model kind) {
  calibrate::problem p;
  p.responses = d.responses.data();
  p.persons = d.persons;
  p.items = d.items.size();
  p.models.assign(p.items, kind);
  return p;
}

void bm_em_iteration_10000x50(benchmark::State& state) {
  static const dataset d = make(10000, 50, irt::model::two_pl, 11);
  const auto p = problem_of(d, irt::model::two_pl);
  calibrate::options o;
  o.max_iterations = 1;
  o.accelerate = false;
  o.threads = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(calibrate::run(p, o));
  state.counters["threads"] = static_cast<double>(o.threads);
}
BENCHMARK(bm_em_iteration_10000x50)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void bm_calibrate_2pl_2000x30_mirt_data(benchmark::State& state) {
  static const io::response_matrix m =
      io::read_response_matrix(std::string(DSKILL_REFERENCE_DIR) + "/data/calib_2PL_2000x30_responses.csv");
  calibrate::problem p;
  p.responses = m.cells.data();
  p.persons = m.persons();
  p.items = m.items();
  p.models.assign(p.items, irt::model::two_pl);
  calibrate::options o;
  o.threads = static_cast<int>(state.range(0));
  double ll = 0;
  int it = 0;
  for (auto _ : state) {
    auto r = calibrate::run(p, o);
    ll = r.log_likelihood;
    it = r.iterations;
  }
  state.counters["logLik"] = ll;
  state.counters["em_iterations"] = it;
}
BENCHMARK(bm_calibrate_2pl_2000x30_mirt_data)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void bm_calibrate_3pl_5000x40(benchmark::State& state) {
  static const dataset d = make(5000, 40, irt::model::three_pl, 21);
  const auto p = problem_of(d, irt::model::three_pl);
  calibrate::options o;
  o.threads = static_cast<int>(state.range(0));
  double ll = 0;
  int it = 0;
  for (auto _ : state) {
    auto r = calibrate::run(p, o);
    ll = r.log_likelihood;
    it = r.iterations;
  }
  state.counters["logLik"] = ll;
  state.counters["em_iterations"] = it;
}
BENCHMARK(bm_calibrate_3pl_5000x40)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
}  // namespace

BENCHMARK_MAIN();
