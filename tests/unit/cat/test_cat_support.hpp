// Shared helpers for the CAT tests: banks built in code.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/cat/rng.hpp"
#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"

namespace dskill_test {

/// A bank of 3PL items (D = 1) from catR's (a, b, c, d) rows.
inline dskill::bank::bank_ptr bank_from_abcd(const std::vector<std::vector<double>>& rows) {
  using namespace dskill;
  std::vector<bank::bank_item> items;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    irt::difficulty_form f;
    f.a = rows[i][0];
    f.b = {rows[i][1]};
    f.c = rows[i][2];
    f.d = rows[i][3];
    f.kind = f.d < 1 ? irt::model::four_pl : f.c > 0 ? irt::model::three_pl : irt::model::two_pl;
    bank::bank_item it;
    it.id = "i" + std::to_string(i + 1);
    it.params = irt::to_intercept_form(f, 1.0);
    items.push_back(std::move(it));
  }
  bank::bank_info info;
  info.id = "catr-3pl";
  return std::make_shared<const bank::item_bank>(info, std::move(items));
}

/// A random bank: `n` 2PL/3PL items (and every `poly_every`-th a 4-category GPCM when > 0),
/// areas "A".."E" in turn, levels 1..6, enemies between items 2k and 2k+1 when `enemies`.
inline dskill::bank::bank_ptr random_bank(std::size_t n, std::uint64_t seed, int poly_every = 0, bool enemies = false) {
  using namespace dskill;
  cat::rng g(seed);
  std::vector<bank::bank_item> items;
  for (std::size_t i = 0; i < n; ++i) {
    irt::difficulty_form f;
    f.a = 0.6 + 1.6 * g.uniform();
    const double b = 2.2 * g.normal() * 0.7;
    if (poly_every > 0 && i % static_cast<std::size_t>(poly_every) == static_cast<std::size_t>(poly_every) - 1) {
      f.kind = irt::model::gpcm;
      f.b = {b - 1, b, b + 1};
    } else {
      f.kind = i % 2 ? irt::model::three_pl : irt::model::two_pl;
      f.b = {b};
      f.c = i % 2 ? 0.05 + 0.2 * g.uniform() : 0.0;
    }
    bank::bank_item it;
    it.id = "q" + std::to_string(i + 1);
    it.params = irt::to_intercept_form(f, 1.0);
    it.area = std::string(1, static_cast<char>('A' + i % 5));
    it.competences = {it.area + "." + std::to_string(1 + i % 3)};
    it.level = 1 + static_cast<int>(i % 6);
    if (enemies) it.enemies = {"q" + std::to_string(i % 2 ? i : i + 2)};
    items.push_back(std::move(it));
  }
  if (enemies && n % 2) items.back().enemies.clear();
  bank::bank_info info;
  info.id = "random";
  return std::make_shared<const bank::item_bank>(info, std::move(items));
}

/// A simulated answer to `item` at true `theta`, drawn from `g` (one uniform per answer).
inline int simulated_answer(const dskill::bank::item_bank& bank, std::uint32_t item, double theta, dskill::cat::rng& g) {
  double p[dskill::irt::max_categories];
  const auto& it = bank.params(item);
  dskill::irt::probabilities(it, theta, p);
  double u = g.uniform();
  for (int k = 0; k < it.categories(); ++k) {
    if (u < p[k]) return k;
    u -= p[k];
  }
  return it.categories() - 1;
}

}  // namespace dskill_test
