// Multidimensional adaptive testing: one D-optimal selection step on a 5-dimension bank of 1,000
// within-item M2PL items after 10 answers (issue 11's target: under 50 microseconds), the other
// profile criteria on the same state, and the step through the engine (eligibility, content
// balancing and randomesque around the criterion).
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dskill/cat/multidim.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/irt/multidim.hpp"

namespace {

using namespace dskill;

constexpr std::size_t dims = 5;

// A profile bank: every item loads on its area's dimension (a ~ U(0.8, 2.0)) and on the next
// one (half that range), intercepts ~ N(0, 1); latent correlations 0.6.
bank::bank_ptr make_profile_bank(std::size_t n) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> slope(0.8, 2.0);
  std::normal_distribution<double> intercept(0.0, 1.0);
  bank::bank_info info{.id = "bench-profile"};
  for (std::size_t d = 0; d < dims; ++d) info.dimensions.push_back({.id = "d" + std::to_string(d + 1), .area = std::to_string(d + 1)});
  info.latent_mean.assign(dims, 0.0);
  info.latent_covariance.assign(dims * dims, 0.6);
  for (std::size_t d = 0; d < dims; ++d) info.latent_covariance[d * dims + d] = 1.0;
  std::vector<bank::bank_item> items(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& it = items[i];
    it.id = "q" + std::to_string(i + 1);
    it.slopes.assign(dims, 0.0);
    it.slopes[i % dims] = slope(rng);
    it.slopes[(i + 1) % dims] = 0.5 * slope(rng);
    it.params = {irt::model::two_pl, irt::mdisc(it.slopes), 0.0, 1.0, {intercept(rng)}, {}};
    it.area = std::to_string(i % dims + 1);
    it.competences = {it.area + ".1"};
  }
  return std::make_shared<const bank::item_bank>(std::move(info), std::move(items));
}

std::vector<response> ten_answers(std::size_t n) {
  std::vector<response> r;
  for (std::uint32_t k = 0; k < 10; ++k) r.push_back({static_cast<std::uint32_t>((k * 37) % n), static_cast<int>(k % 2)});
  return r;
}

const std::vector<double> theta_now = {0.3, -0.2, 0.5, 0.1, -0.4};

// The criterion alone over every unanswered item.
void criterion_step(benchmark::State& state, cat::profile_criterion rule) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto bank = make_profile_bank(n);
  const auto& lat = bank->info().latent_covariance;
  const cat::profile_criteria crit(bank->multidim_table(), rule, {}, lat);
  const auto answered = ten_answers(n);
  std::vector<std::uint32_t> cand;
  for (std::uint32_t i = 0; i < n; ++i) {
    bool seen = false;
    for (const auto& r : answered) seen = seen || r.item == i;
    if (!seen) cand.push_back(i);
  }
  std::vector<double> value(n), score(n);
  for (auto _ : state) {
    crit.evaluate(theta_now, answered, cand, value, score);
    benchmark::DoNotOptimize(score.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(cand.size()));
  state.SetLabel(std::string(cat::to_string(rule)) + ", 5 dimensions, 10 answered");
}

void BM_profile_d_optimal(benchmark::State& state) { criterion_step(state, cat::profile_criterion::d_optimal); }
void BM_profile_dp_optimal(benchmark::State& state) { criterion_step(state, cat::profile_criterion::dp_optimal); }
void BM_profile_ap_optimal(benchmark::State& state) { criterion_step(state, cat::profile_criterion::ap_optimal); }
void BM_profile_tp_optimal(benchmark::State& state) { criterion_step(state, cat::profile_criterion::tp_optimal); }
void BM_profile_kl(benchmark::State& state) { criterion_step(state, cat::profile_criterion::kl); }
BENCHMARK(BM_profile_d_optimal)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_profile_dp_optimal)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_profile_ap_optimal)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_profile_tp_optimal)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_profile_kl)->Arg(1000)->Unit(benchmark::kMicrosecond);

// The step through the engine: eligibility (status, answered, enemies), the criterion, the pick;
// optionally Kingsbury-Zara balancing over the 5 areas and randomesque 5 around it.
void engine_step(benchmark::State& state, const char* rule, bool balanced) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto bank = make_profile_bank(n);
  cat::test_spec spec;
  spec.selection.rule = cat::rule_name<cat::criterion>(std::string(rule));
  spec.estimator.estimator = estimate::method::map;
  if (balanced) {
    spec.exposure.randomesque = 5;
    spec.content.method = cat::balancing::kingsbury_zara;
    spec.content.targets = {{"1", 0.2}, {"2", 0.2}, {"3", 0.2}, {"4", 0.2}, {"5", 0.2}};
  }
  const auto eng = cat::engine::create(bank, spec);
  const auto answered = ten_answers(n);
  const auto map = eng->estimate_profile(answered);
  cat::selection_state st;
  st.responses = answered;
  st.profile_theta = std::span<const double>(map.theta.data(), dims);
  st.profile_covariance = std::span<const double>(map.covariance.data(), dims * dims);
  st.theta = map.theta[0];
  st.se = map.se.maxCoeff();
  cat::rng gen(1);
  for (auto _ : state) benchmark::DoNotOptimize(eng->select(st, gen));
  state.SetLabel(std::string(rule) + " through the engine" + (balanced ? " + Kingsbury-Zara + randomesque 5" : ""));
}
void BM_engine_select_d_optimal(benchmark::State& state) { engine_step(state, "d_optimal", false); }
void BM_engine_select_d_optimal_balanced(benchmark::State& state) { engine_step(state, "d_optimal", true); }
BENCHMARK(BM_engine_select_d_optimal)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_engine_select_d_optimal_balanced)->Arg(1000)->Unit(benchmark::kMicrosecond);

// The profile MAP after each answer, the other half of a step's time in a live test.
void BM_profile_map_10_answers(benchmark::State& state) {
  const auto bank = make_profile_bank(1000);
  cat::test_spec spec;
  spec.selection.rule = cat::rule_name<cat::criterion>(std::string("d_optimal"));
  spec.estimator.estimator = estimate::method::map;
  const auto eng = cat::engine::create(bank, spec);
  const auto answered = ten_answers(1000);
  for (auto _ : state) benchmark::DoNotOptimize(eng->estimate_profile(answered));
}
BENCHMARK(BM_profile_map_10_answers)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
