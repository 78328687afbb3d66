// Ability estimation on one 30-item pattern: EAP through eap_scorer (the batch-scoring and CAT
// path), ML, MAP and WLE by estimate_theta, and the scorer's construction.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "bench_support.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"

namespace {
using dskill::estimate::response;

// 64 patterns of 30 answers each, drawn from theta ~ N(0, 1) over the first 30 items of the bank
// (items spread over the bank when it is larger), so the loop does not see one pattern only.
std::vector<std::vector<response>> make_patterns(const dskill::bank::item_bank& bank, unsigned seed = 42) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> ability(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const std::size_t stride = bank.size() / 30;
  std::vector<std::vector<response>> out(64);
  for (auto& pattern : out) {
    const double theta = ability(rng);
    for (std::size_t j = 0; j < 30; ++j) {
      const auto item = static_cast<std::uint32_t>(j * stride);
      double p[dskill::irt::max_categories];
      dskill::irt::probabilities(bank.params(item), theta, p);
      pattern.push_back({item, u(rng) < p[1] ? 1 : 0});
    }
  }
  return out;
}

dskill::estimate::options options_for(dskill::estimate::method m) {
  dskill::estimate::options o;
  o.estimator = m;
  o.grid = {-6.0, 6.0, 61};
  return o;
}

void bm_eap_scorer_30(benchmark::State& state) {
  const auto bank = dskill_bench::make_bank(static_cast<std::size_t>(state.range(0)), dskill::irt::model::three_pl);
  const auto patterns = make_patterns(bank);
  const dskill::estimate::eap_scorer scorer(bank, options_for(dskill::estimate::method::eap));
  std::vector<double> scratch(scorer.nodes());
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = scorer(patterns[i++ & 63], scratch);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("61 nodes, 30 answered, bank of " + std::to_string(bank.size()));
}
BENCHMARK(bm_eap_scorer_30)->Arg(30)->Arg(1000);

void bm_estimate_30(benchmark::State& state, dskill::estimate::method m, dskill::estimate::wle_variant wle) {
  const auto bank = dskill_bench::make_bank(30, dskill::irt::model::three_pl);
  const auto patterns = make_patterns(bank);
  auto opts = options_for(m);
  opts.wle = wle;
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = dskill::estimate::estimate_theta(bank, patterns[i++ & 63], opts);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(bm_estimate_30, ml, dskill::estimate::method::ml, dskill::estimate::wle_variant::warm);
BENCHMARK_CAPTURE(bm_estimate_30, map, dskill::estimate::method::map, dskill::estimate::wle_variant::warm);
BENCHMARK_CAPTURE(bm_estimate_30, wle_warm, dskill::estimate::method::wle, dskill::estimate::wle_variant::warm);
BENCHMARK_CAPTURE(bm_estimate_30, wle_jeffreys, dskill::estimate::method::wle, dskill::estimate::wle_variant::jeffreys);
// EAP without a scorer: builds the quadrature and evaluates every item at every node per call.
BENCHMARK_CAPTURE(bm_estimate_30, eap_unprepared, dskill::estimate::method::eap, dskill::estimate::wle_variant::warm);

void bm_eap_scorer_construction(benchmark::State& state) {
  const auto bank = dskill_bench::make_bank(static_cast<std::size_t>(state.range(0)), dskill::irt::model::three_pl);
  const auto opts = options_for(dskill::estimate::method::eap);
  for (auto _ : state) {
    dskill::estimate::eap_scorer scorer(bank, opts);
    benchmark::DoNotOptimize(scorer.nodes());
  }
  state.SetLabel("61 nodes, bank of " + std::to_string(bank.size()));
}
BENCHMARK(bm_eap_scorer_construction)->Arg(30)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();

namespace {
// The scorer with its scratch at 8 * range(0) bytes past a 64-byte boundary: the sweep's speed
// should not depend on where a caller's scratch happens to sit.
void bm_eap_scorer_offset(benchmark::State& state) {
  const auto bank = dskill_bench::make_bank(30, dskill::irt::model::three_pl);
  const auto patterns = make_patterns(bank);
  const dskill::estimate::eap_scorer scorer(bank, options_for(dskill::estimate::method::eap));
  std::vector<double> buf(scorer.nodes() + 16);
  auto base = reinterpret_cast<std::uintptr_t>(buf.data());
  double* p = reinterpret_cast<double*>((base + 63) / 64 * 64) + state.range(0);
  std::span<double> scratch(p, scorer.nodes());
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = scorer(patterns[i++ & 63], scratch);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_eap_scorer_offset)->DenseRange(0, 7);
}
