// Adaptive testing: one selection step (MFI with content balancing and randomesque) on banks of
// 100 / 1,000 / 10,000 items, the other criteria on 1,000 items, and a whole 20-item CAT with
// EAP after every answer.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_support.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/irt/kernels.hpp"

namespace {

using namespace dskill;

bank::bank_ptr make_cat_bank(std::size_t n) {
  auto base = dskill_bench::make_bank(n, irt::model::three_pl);
  std::vector<bank::bank_item> items = base.items();
  for (std::size_t i = 0; i < n; ++i) {
    items[i].area = std::string(1, static_cast<char>('1' + i % 5));
    items[i].competences = {items[i].area + ".1"};
  }
  return std::make_shared<const bank::item_bank>(base.info(), std::move(items));
}

cat::test_spec balanced_spec(cat::criterion rule) {
  cat::test_spec spec;
  spec.selection.rule = rule;
  spec.exposure.randomesque = 5;
  spec.content.method = cat::balancing::kingsbury_zara;
  spec.content.targets = {{"1", 0.2}, {"2", 0.2}, {"3", 0.2}, {"4", 0.2}, {"5", 0.2}};
  return spec;
}

// A state after 10 answers.
std::vector<estimate::response> ten_answers(std::size_t n) {
  std::vector<estimate::response> r;
  for (std::uint32_t k = 0; k < 10; ++k) r.push_back({static_cast<std::uint32_t>((k * 37) % n), static_cast<int>(k % 2)});
  return r;
}

void select_step(benchmark::State& state, cat::criterion rule, bool balanced) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto bank = make_cat_bank(n);
  auto spec = balanced ? balanced_spec(rule) : cat::test_spec{};
  spec.selection.rule = rule;
  const auto eng = cat::engine::create(bank, spec);
  const auto responses = ten_answers(n);
  cat::selection_state st;
  st.responses = responses;
  st.theta = 0.3;
  st.se = 0.5;
  cat::rng gen(1);
  for (auto _ : state) benchmark::DoNotOptimize(eng->select(st, gen));
  state.SetLabel(std::string(cat::to_string(rule)) + (balanced ? " + Kingsbury-Zara + randomesque 5" : ""));
}

void BM_select_mfi_balanced(benchmark::State& state) { select_step(state, cat::criterion::mfi, true); }
BENCHMARK(BM_select_mfi_balanced)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_select_criterion_1000(benchmark::State& state) {
  const auto rule = static_cast<cat::criterion>(state.range(1));
  select_step(state, rule, false);
}
BENCHMARK(BM_select_criterion_1000)
    ->ArgsProduct({{1000}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}})
    ->Unit(benchmark::kMicrosecond);

// A whole 20-item CAT (MFI, EAP after every answer, 121 nodes) from session creation to the end.
void BM_whole_cat_20_items_eap(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto bank = make_cat_bank(n);
  cat::test_spec spec;
  spec.stopping.max_items = 20;
  const auto eng = cat::engine::create(bank, spec);
  std::uint64_t seed = 0;
  double p[irt::max_categories];
  for (auto _ : state) {
    cat::session s(eng, ++seed);
    cat::rng answers(seed);
    const double truth = answers.normal();
    while (auto item = s.next_item().item) {
      irt::probabilities(bank->params(*item), truth, p);
      s.record_response(*item, answers.uniform() < p[1] ? 1 : 0);
    }
    benchmark::DoNotOptimize(s.theta());
  }
}
BENCHMARK(BM_whole_cat_20_items_eap)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_snapshot_round_trip(benchmark::State& state) {
  const auto bank = make_cat_bank(1000);
  cat::test_spec spec;
  const auto eng = cat::engine::create(bank, spec);
  cat::session s(eng, 3);
  for (int k = 0; k < 10; ++k) s.record_response(*s.next_item().item, k % 2);
  for (auto _ : state) {
    const auto bytes = s.snapshot();
    benchmark::DoNotOptimize(cat::session::restore(eng, bytes));
  }
  state.SetLabel(std::to_string(s.snapshot().size()) + " bytes");
}
BENCHMARK(BM_snapshot_round_trip)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
