// Multidimensional calibration benchmarks (issue 11): a 3-factor M2PL on 3,000 x 36, correlated
// factors, mirt's 15^3 grid (mirt's EM takes about 20 s here), between-item (12 items a factor)
// and with 6 items loading on two factors; the s2 bifactor case of the shared reference data.
#include <benchmark/benchmark.h>

#include <string>

#include "dskill/calibrate/multidim.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/io/response_matrix.hpp"

using namespace dskill;
namespace md = calibrate::multidim;

namespace {
struct dataset {
  std::vector<std::int8_t> responses;
  md::structure s;
};

// 36 items, 12 a factor; with cross = true, items 10-12 of factors 1 and 2 also load on the next.
dataset make(bool cross, std::uint64_t seed) {
  calibrate::portable_rng rng(seed);
  dataset d;
  d.s.factors = 3;
  d.s.free_correlations = {{0, 1}, {0, 2}, {1, 2}};
  std::vector<irt::multidim_item> items;
  for (int i = 0; i < 36; ++i) {
    const int f = i / 12;
    std::vector<int> l = {f};
    if (cross && f < 2 && i % 12 >= 9) l.push_back(f + 1);
    d.s.loadings.push_back(l);
    irt::multidim_item it;
    it.params.kind = irt::model::two_pl;
    it.params.intercepts = {rng.uniform(-1.5, 1.5)};
    it.slopes.assign(3, 0.0);
    for (int k : l) it.slopes[static_cast<std::size_t>(k)] = rng.uniform(0.8, 2.0);
    items.push_back(it);
  }
  const std::vector<double> R = {1.0, 0.5, 0.4, 0.5, 1.0, 0.6, 0.4, 0.6, 1.0};
  const auto theta = calibrate::simulate_thetas_mvn(3000, R, 3, seed + 1);
  d.responses = calibrate::simulate_responses(items, theta, 3, seed + 2);
  return d;
}

void run_case(benchmark::State& state, const dataset& d) {
  md::problem p;
  p.responses = d.responses.data();
  p.persons = 3000;
  p.items = 36;
  p.models.assign(36, irt::model::two_pl);
  p.factors = d.s;
  md::options o;
  o.threads = static_cast<int>(state.range(0));
  md::result r;
  for (auto _ : state) r = md::run(p, o);
  state.counters["logLik"] = r.log_likelihood;
  state.counters["em_iterations"] = r.iterations;
  state.counters["nodes"] = static_cast<double>(r.nodes);
  state.counters["threads"] = static_cast<double>(o.threads);
}

void bm_mcal_m2pl3_between_3000x36(benchmark::State& state) {
  static const dataset d = make(false, 31);
  run_case(state, d);
}
BENCHMARK(bm_mcal_m2pl3_between_3000x36)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void bm_mcal_m2pl3_within_3000x36(benchmark::State& state) {
  static const dataset d = make(true, 32);
  run_case(state, d);
}
BENCHMARK(bm_mcal_m2pl3_within_3000x36)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void bm_mcal_bifactor_s2(benchmark::State& state) {
  static const io::response_matrix m =
      io::read_response_matrix(std::string(DSKILL_REFERENCE_DIR) + "/data/mirt_bifactor_2000x18_responses.csv");
  std::vector<int> spec;
  for (int i = 0; i < 18; ++i) spec.push_back(i / 6);
  md::problem p;
  p.responses = m.cells.data();
  p.persons = m.persons();
  p.items = m.items();
  p.models.assign(p.items, irt::model::two_pl);
  p.factors = md::bifactor(spec);
  md::options o;
  o.threads = static_cast<int>(state.range(0));
  md::result r;
  for (auto _ : state) r = md::run(p, o);
  state.counters["logLik"] = r.log_likelihood;
  state.counters["em_iterations"] = r.iterations;
}
BENCHMARK(bm_mcal_bifactor_s2)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
}  // namespace
BENCHMARK_MAIN();
