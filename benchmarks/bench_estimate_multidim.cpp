// Profile (multidimensional) estimation: MAP scoring of 100,000 persons x 30 items on a
// 5-dimension between-item 2PL (and 3PL) bank with correlated factors (issue 11's figure: at least
// 100,000 persons per second per core), per pattern and as one pass over all persons; and EAP on
// the 61^2 grid of a 2-dimension bank through profile_eap_scorer.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include <Eigen/Cholesky>

#include "dskill/estimate/multidim.hpp"
#include "dskill/irt/multidim.hpp"

namespace {
using dskill::response;
using dskill::estimate::profile_method;
using dskill::estimate::profile_options;

struct profile_case {
  dskill::irt::multidim_store store;
  dskill::estimate::mvn_prior prior;
  std::vector<response> responses;  // persons x items, row-major
  std::size_t items = 0;
  std::size_t persons = 0;
  std::span<const response> pattern(std::size_t p) const { return {responses.data() + p * items, items}; }
};

// Between-item: item i loads on dimension i % dims (a ~ U(0.8, 2.2), d ~ N(0, 1); 3PL: c = 0.2),
// factors correlated 0.6; persons drawn from that prior.
profile_case make_case(std::size_t dims, std::size_t items, std::size_t persons, dskill::irt::model kind,
                       unsigned seed = 2026) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> a(0.8, 2.2), u(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  profile_case c{dskill::irt::multidim_store(dims), dskill::estimate::mvn_prior::standard(dims), {}, items, persons};
  for (std::size_t r = 0; r < dims; ++r)
    for (std::size_t s = 0; s < dims; ++s)
      if (r != s) c.prior.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(s)) = 0.6;
  for (std::size_t i = 0; i < items; ++i) {
    std::vector<double> slopes(dims, 0.0);
    slopes[i % dims] = a(rng);
    dskill::irt::item_params p{kind, 1.0, kind == dskill::irt::model::three_pl ? 0.2 : 0.0, 1.0, {normal(rng)}, {}};
    c.store.push_back({p, slopes});
  }
  const auto table = c.store.view();
  const Eigen::LLT<dskill::estimate::profile_matrix> llt(c.prior.covariance);
  const dskill::estimate::profile_matrix l = llt.matrixL();
  c.responses.reserve(items * persons);
  std::vector<double> theta(dims);
  dskill::estimate::profile_vector z(static_cast<Eigen::Index>(dims));
  for (std::size_t p = 0; p < persons; ++p) {
    for (auto& v : z) v = normal(rng);
    const dskill::estimate::profile_vector t = l * z;
    for (std::size_t d = 0; d < dims; ++d) theta[d] = t[static_cast<Eigen::Index>(d)];
    for (std::size_t i = 0; i < items; ++i) {
      double lp[dskill::irt::max_categories];
      dskill::irt::log_probabilities(table, i, std::span<const double>(theta), lp);
      c.responses.push_back({static_cast<std::uint32_t>(i), u(rng) < std::exp(lp[1]) ? 1 : 0});
    }
  }
  return c;
}

const profile_case& map_case(dskill::irt::model kind) {
  static const profile_case two_pl = make_case(5, 30, 100'000, dskill::irt::model::two_pl);
  static const profile_case three_pl = make_case(5, 30, 100'000, dskill::irt::model::three_pl);
  return kind == dskill::irt::model::two_pl ? two_pl : three_pl;
}

// One pattern per iteration through a profile_estimator (options checked and prior prepared
// once), cycling over the 100,000 persons: items/s = persons/s. The per-call form
// (estimate_profile) adds the prior's preparation.
void bm_profile_map_5d_30(benchmark::State& state, dskill::irt::model kind) {
  const auto& c = map_case(kind);
  profile_options opts;
  opts.prior = c.prior;
  const dskill::estimate::profile_estimator estimator(c.store, opts);
  std::size_t p = 0;
  long evaluations = 0;
  for (auto _ : state) {
    auto r = estimator(c.pattern(p));
    evaluations += r.iterations;
    benchmark::DoNotOptimize(r);
    if (++p == c.persons) p = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["evaluations_per_person"] = static_cast<double>(evaluations) / static_cast<double>(state.iterations());
  state.SetLabel("5 dims between-item, 30 answered, observed-information covariance");
}
BENCHMARK_CAPTURE(bm_profile_map_5d_30, 2pl, dskill::irt::model::two_pl);
BENCHMARK_CAPTURE(bm_profile_map_5d_30, 3pl, dskill::irt::model::three_pl);

void bm_profile_map_5d_30_per_call(benchmark::State& state) {
  const auto& c = map_case(dskill::irt::model::two_pl);
  profile_options opts;
  opts.prior = c.prior;
  std::size_t p = 0;
  for (auto _ : state) {
    auto r = dskill::estimate::estimate_profile(c.store, c.pattern(p), opts);
    benchmark::DoNotOptimize(r);
    if (++p == c.persons) p = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_profile_map_5d_30_per_call);

// All 100,000 persons in one pass, one thread.
void bm_profile_map_100k(benchmark::State& state) {
  const auto& c = map_case(dskill::irt::model::two_pl);
  profile_options opts;
  opts.prior = c.prior;
  const dskill::estimate::profile_estimator estimator(c.store, opts);
  for (auto _ : state) {
    double sum = 0.0;
    for (std::size_t p = 0; p < c.persons; ++p) sum += estimator(c.pattern(p)).theta[0];
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<long>(c.persons));
  state.SetLabel("100,000 x 30, 5 dims, 2PL");
}
BENCHMARK(bm_profile_map_100k)->Unit(benchmark::kMillisecond)->Iterations(2);

// EAP on 61^2 through the scorer: 2 dimensions, 20 and 30 items between-item, and the s1-like
// case with 4 of 20 items loading on both.
void bm_profile_eap_scorer_2d(benchmark::State& state) {
  const auto items = static_cast<std::size_t>(state.range(0));
  const bool within = state.range(1) != 0;
  profile_case c = make_case(2, items, 256, dskill::irt::model::two_pl, 7);
  if (within) {  // rebuild with items 8-11 on both dimensions (the responses stay valid 0/1)
    dskill::irt::multidim_store store(2);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> a(0.8, 2.2);
    for (std::size_t i = 0; i < items; ++i) {
      std::vector<double> slopes = {i < 12 ? a(rng) : 0.0, i >= 8 ? a(rng) : 0.0};
      store.push_back({{dskill::irt::model::two_pl, 1.0, 0.0, 1.0, {0.1 * static_cast<double>(i % 7) - 0.3}, {}}, slopes});
    }
    c.store = std::move(store);
  }
  profile_options opts;
  opts.estimator = profile_method::eap;
  opts.prior = c.prior;
  const dskill::estimate::profile_eap_scorer scorer(c.store, opts);
  std::vector<double> scratch(scorer.scratch_size());
  std::size_t p = 0;
  for (auto _ : state) {
    auto r = scorer(c.pattern(p), scratch);
    benchmark::DoNotOptimize(r);
    p = (p + 1) & 255;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(scorer.nodes()) + " nodes, " + std::to_string(items) + " answered" +
                 (within ? ", 4 items on both dimensions" : ""));
}
BENCHMARK(bm_profile_eap_scorer_2d)->Args({20, 0})->Args({30, 0})->Args({20, 1});

// EAP per call (grid built per call) in 2 dimensions, for comparison.
void bm_profile_eap_unprepared_2d(benchmark::State& state) {
  const profile_case c = make_case(2, 30, 256, dskill::irt::model::two_pl, 7);
  profile_options opts;
  opts.estimator = profile_method::eap;
  opts.prior = c.prior;
  std::size_t p = 0;
  for (auto _ : state) {
    auto r = dskill::estimate::estimate_profile(c.store, c.pattern(p), opts);
    benchmark::DoNotOptimize(r);
    p = (p + 1) & 255;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_profile_eap_unprepared_2d);

}  // namespace

BENCHMARK_MAIN();
