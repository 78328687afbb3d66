// Shared generators for the benchmarks: random banks and patterns with fixed seeds.
#pragma once
#include <random>
#include <string>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/irt/model.hpp"

namespace dskill_bench {

/// A bank of n dichotomous items (2PL, or 3PL with c ~ U(0.1, 0.3)), a ~ U(0.6, 2.2), b ~ N(0, 1).
inline dskill::bank::item_bank make_bank(std::size_t n, dskill::irt::model kind, unsigned seed = 7) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> a(0.6, 2.2), c(0.1, 0.3);
  std::normal_distribution<double> b(0.0, 1.0);
  std::vector<dskill::bank::bank_item> items(n);
  for (std::size_t i = 0; i < n; ++i) {
    items[i].id = "i" + std::to_string(i + 1);
    dskill::irt::difficulty_form f{.kind = kind, .a = a(rng), .b = {b(rng)}};
    if (kind == dskill::irt::model::three_pl) f.c = c(rng);
    items[i].params = dskill::irt::to_intercept_form(f);
  }
  return dskill::bank::item_bank({.id = "bench"}, std::move(items));
}

}  // namespace dskill_bench
