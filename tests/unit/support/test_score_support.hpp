// Shared helpers for the batch-scoring tests: a small 2PL bank over three areas, a level
// scheme with a certification rule, simulated response files, temporary directories.
#pragma once
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "dskill/bank/item_bank.hpp"
#include "dskill/core/rng.hpp"
#include "dskill/score/levels.hpp"

namespace score_test {

namespace fs = std::filesystem;

/// A 2PL bank of n items; item i is in area (i % 3) + 1 with competence "<area>.1".
inline dskill::bank::bank_ptr make_bank(int n = 30, std::uint64_t seed = 7) {
  dskill::core::rng rng(seed);
  std::vector<dskill::bank::bank_item> items;
  for (int i = 0; i < n; ++i) {
    dskill::bank::bank_item it;
    it.id = fmt::format("q{}", i + 1);
    it.params.kind = dskill::irt::model::two_pl;
    const double ai = 0.8 + 1.2 * rng.uniform(), bi = -2.0 + 4.0 * rng.uniform();  // U(0.8, 2), U(-2, 2)
    it.params.slope = ai;
    it.params.intercepts = {-ai * bi};
    const int area = i % 3 + 1;
    it.competences = {fmt::format("{}.1", area)};
    it.area = std::to_string(area);
    items.push_back(std::move(it));
  }
  dskill::bank::bank_info info;
  info.id = "test-bank";
  return std::make_shared<const dskill::bank::item_bank>(info, std::move(items));
}

/// Three areas, four levels (cuts -1, 0, 1), certified when every area is at level >= 3
/// ("core") or the overall level is 4 ("top").
inline std::shared_ptr<const dskill::score::level_scheme> make_levels() {
  auto L = std::make_shared<dskill::score::level_scheme>();
  L->framework_id = "testfw";
  L->framework_version = "1";
  L->framework_title = "Test framework";
  for (int l = 1; l <= 4; ++l) L->levels.push_back({l, fmt::format("Level {}", l), "t"});
  for (int a = 1; a <= 3; ++a) {
    L->areas.push_back({std::to_string(a), fmt::format("Area {}", a), {-1.0, 0.0, 1.0}});
    L->competences.push_back({fmt::format("{}.1", a), fmt::format("Competence {}.1", a), static_cast<std::size_t>(a - 1)});
  }
  L->overall_cuts = {-1.0, 0.0, 1.0};
  L->rules = {{"core", "Core certificate"}, {"top", "Top overall"}};
  L->certify = [](std::span<const int> areas, int overall) -> std::optional<std::size_t> {
    bool all = !areas.empty();
    for (int l : areas) all = all && l >= 3;
    if (all) return 0;
    if (overall >= 4) return 1;
    return std::nullopt;
  };
  return L;
}

/// Simulated wide-CSV rows for a bank: returns the text (with header) and the true thetas.
inline std::string simulate_wide(const dskill::bank::item_bank& bank, int persons, std::uint64_t seed,
                                 std::vector<double>* thetas = nullptr, double missing = 0.0) {
  dskill::core::rng rng(seed);
  std::string out = "person_id";
  for (std::size_t i = 0; i < bank.size(); ++i) out += "," + bank.id(i);
  out += '\n';
  for (int p = 0; p < persons; ++p) {
    const double t = rng.normal();
    if (thetas) thetas->push_back(t);
    out += fmt::format("P{:06}", p + 1);
    for (std::size_t i = 0; i < bank.size(); ++i) {
      const auto& prm = bank.params(i);
      const double pr = 1.0 / (1.0 + std::exp(-(prm.slope * t + prm.intercepts[0])));
      const double draw = rng.uniform();
      out += ',';
      if (rng.uniform() < missing) continue;
      out += draw < pr ? '1' : '0';
    }
    out += '\n';
  }
  return out;
}

/// A fresh temporary directory, removed by the destructor.
struct temp_dir {
  fs::path path;
  temp_dir() {
    static int counter = 0;
    path = fs::temp_directory_path() / fmt::format("dskill_score_test_{}_{}", ::getpid(), counter++);
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

}  // namespace score_test
