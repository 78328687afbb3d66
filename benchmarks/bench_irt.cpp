// Item information of every item of a bank at one theta (the MFI selection pass).
#include <benchmark/benchmark.h>

#include "bench_support.hpp"
#include "dskill/irt/kernels.hpp"

static void bm_bank_information_3pl(benchmark::State& state) {
  const auto bank = dskill_bench::make_bank(static_cast<std::size_t>(state.range(0)), dskill::irt::model::three_pl);
  std::vector<double> out(bank.size());
  double theta = 0.1;
  for (auto _ : state) {
    bank.information_at(theta, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    theta = -theta;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bank.size()));
}
BENCHMARK(bm_bank_information_3pl)->Arg(100)->Arg(1000)->Arg(10000);

static void bm_item_information_kernel_3pl(benchmark::State& state) {
  const auto bank = dskill_bench::make_bank(1000, dskill::irt::model::three_pl);
  double theta = 0.1;
  for (auto _ : state) {
    double sum = 0;
    for (std::size_t i = 0; i < bank.size(); ++i) sum += dskill::irt::information(bank.params(i), theta);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(bm_item_information_kernel_3pl);

BENCHMARK_MAIN();
