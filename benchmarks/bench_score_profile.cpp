// Profile batch scoring through the score pipeline (score::run_batch): a 5-dimension
// between-item 2PL bank of 30 items (6 per area, latent correlations 0.5), 20,000 persons in a
// wide CSV, one thread; MAP on the profile with the per-area levels, their probabilities
// (normal approximation) and Rudner sums, against each area scored alone (the unidimensional
// path, --profile off). Items processed = persons scored.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/core/rng.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/score/levels.hpp"
#include "dskill/score/scorer.hpp"

using namespace dskill;

namespace {

constexpr int dims = 5, items = 30, persons = 20000;

struct fixture {
  bank::bank_ptr bank;
  std::shared_ptr<const score::level_scheme> levels;
  std::string dir, responses;

  fixture() {
    core::rng rng(17);
    std::string y = "dskill: 1\nbank:\n  id: bench-profile\n  scale: {D: 1.0}\n  dimensions:\n";
    for (int d = 0; d < dims; ++d) y += fmt::format("    - {{id: d{}, area: \"{}\"}}\n", d + 1, d + 1);
    y += "  latent:\n    correlation: [";
    for (int r = 0; r < dims; ++r) {
      y += r ? ", [" : "[";
      for (int c = 0; c < dims; ++c) y += fmt::format("{}{}", c ? ", " : "", r == c ? 1.0 : 0.5);
      y += "]";
    }
    y += "]\nitems:\n";
    std::vector<double> a(items), b(items);
    for (int i = 0; i < items; ++i) {
      a[i] = 0.8 + 1.2 * rng.uniform();
      b[i] = -2.0 + 4.0 * rng.uniform();
      y += fmt::format("  - id: q{}\n    model: 2pl\n    params: {{a: {{d{}: {:.6f}}}, intercept: {:.6f}}}\n    competences: [\"{}.1\"]\n",
                       i + 1, i % dims + 1, a[i], -a[i] * b[i], i % dims + 1);
    }
    bank = bank::load_bank_from_string(y);
    auto L = std::make_shared<score::level_scheme>();
    L->framework_id = "bench";
    for (int l = 1; l <= 4; ++l) L->levels.push_back({l, fmt::format("Level {}", l), "t"});
    for (int d = 0; d < dims; ++d) {
      L->areas.push_back({std::to_string(d + 1), "", {-1.0, 0.0, 1.0}});
      L->competences.push_back({fmt::format("{}.1", d + 1), "", static_cast<std::size_t>(d)});
    }
    L->overall_cuts = {-1.0, 0.0, 1.0};
    L->rules = {{"core", "Core"}};
    auto holds = [](std::span<const int> areas) {
      for (int l : areas)
        if (l < 3) return false;
      return true;
    };
    L->certify = [holds](std::span<const int> areas, int) -> std::optional<std::size_t> {
      if (holds(areas)) return 0;
      return std::nullopt;
    };
    L->rule_holds = [holds](std::size_t, std::span<const int> areas, int) { return holds(areas); };
    levels = L;
    dir = (std::filesystem::temp_directory_path() / fmt::format("dskill_bench_profile_{}", ::getpid())).string();
    std::filesystem::create_directories(dir);
    responses = dir + "/responses.csv";
    std::ofstream f(responses);
    f << "person_id";
    for (int i = 0; i < items; ++i) f << ",q" << i + 1;
    f << '\n';
    const double load = std::sqrt(0.5), rest = std::sqrt(0.5);  // correlation 0.5: one common factor
    for (int p = 0; p < persons; ++p) {
      const double g = rng.normal();
      double t[dims];
      for (int d = 0; d < dims; ++d) t[d] = load * g + rest * rng.normal();
      f << 'P' << p + 1;
      for (int i = 0; i < items; ++i) {
        const double pr = 1.0 / (1.0 + std::exp(-a[i] * (t[i % dims] - b[i])));
        f << (rng.uniform() < pr ? ",1" : ",0");
      }
      f << '\n';
    }
  }
  ~fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const fixture& data() {
  static const fixture f;
  return f;
}

void run(benchmark::State& state, const score::scorer& s) {
  const auto& f = data();
  score::batch_options o;
  o.responses = f.responses;
  o.out = f.dir + "/scores.csv";
  o.summary = f.dir + "/summary.json";
  o.threads = 1;
  o.resume = false;
  o.progress = 0;
  std::uint64_t scored = 0;
  double accuracy = 0.0;
  for (auto _ : state) {
    const auto sum = score::run_batch(s, o);
    scored += sum.persons_scored;
    accuracy = sum.areas[0].accuracy();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(scored));
  state.counters["area1_rudner_accuracy"] = accuracy;
}

void BM_score_profile_map(benchmark::State& state) {
  const auto& f = data();
  estimate::options eo;
  eo.estimator = estimate::method::map;
  const score::scorer s(f.bank, eo, f.levels, score::default_profile_options(*f.bank, estimate::method::map));
  run(state, s);
}

void BM_score_per_area_map(benchmark::State& state) {
  const auto& f = data();
  estimate::options eo;
  eo.estimator = estimate::method::map;
  const score::scorer s(f.bank, eo, f.levels);
  run(state, s);
}

}  // namespace

BENCHMARK(BM_score_profile_map)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_score_per_area_map)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_MAIN();
