// dskill info: item information and category probabilities of every item of a bank over a
// theta grid, as CSV (item_id,theta,information,p_0,...,p_{K-1}).
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"

namespace dskill::cli {
namespace {

struct theta_range {
  double lo = -4, hi = 4, step = 0.5;
  std::size_t count = 17;
};

bool parse_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  std::size_t used = 0;
  try {
    out = std::stod(s, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == s.size() && std::isfinite(out);
}

// "LO:HI:STEP" (or a single value "T"). Bad text is a usage error (exit 2).
theta_range parse_theta_range(const std::string& text) {
  const auto bad = [&](std::string_view why) {
    return dskill::invalid_argument(fmt::format("bad --theta '{}': {} (expected LO:HI:STEP, for example -4:4:0.5)", text, why));
  };
  theta_range r;
  const auto c1 = text.find(':');
  if (c1 == std::string::npos) {
    if (!parse_number(text, r.lo)) throw bad("not a number");
    r.hi = r.lo;
    r.step = 1;
    r.count = 1;
    return r;
  }
  // --theta has always been LO:HI:STEP, so a bare whole third field stays a step here.
  const grid_text g = parse_grid_text(text, grid_whole_number::step, "--theta");
  r.lo = g.lo;
  r.hi = g.hi;
  r.step = g.step;
  r.count = g.count;
  return r;
}

int run_info(const std::string& bank_path, const std::string& theta_text) {
  const auto range = parse_theta_range(theta_text);
  const auto bank = dskill::bank::load_bank(bank_path);
  const int k_max = bank->max_categories();

  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "item_id,theta,information");
  for (int k = 0; k < k_max; ++k) fmt::format_to(std::back_inserter(out), ",p_{}", k);
  out.push_back('\n');
  double p[irt::max_categories];
  for (std::size_t i = 0; i < bank->size(); ++i) {
    const auto& item = bank->params(i);
    const int k_count = item.categories();
    for (std::size_t t = 0; t < range.count; ++t) {
      // Printed at 12 significant digits so that -1 + 3 * 0.1 shows as -0.7; +0.0 for -0.
      double theta = range.lo + static_cast<double>(t) * range.step;
      theta = std::stod(fmt::format("{:.12g}", theta)) + 0.0;
      irt::probabilities(item, theta, p);
      fmt::format_to(std::back_inserter(out), "{},{},{}", bank->id(i), theta, irt::information(item, theta));
      for (int k = 0; k < k_max; ++k) {
        if (k < k_count) fmt::format_to(std::back_inserter(out), ",{}", p[k]);
        else out.push_back(',');
      }
      out.push_back('\n');
      if (out.size() > (1u << 16)) {
        write_stdout({out.data(), out.size()});
        out.clear();
      }
    }
  }
  write_stdout({out.data(), out.size()});
  return exit_ok;
}

[[maybe_unused]] const bool registered = register_command({
    "info",
    "Item information and category probabilities of every item over a theta grid (CSV)",
    [](CLI::App& app) -> std::function<int()> {
      auto bank = std::make_shared<std::string>();
      auto theta = std::make_shared<std::string>("-4:4:0.5");
      app.add_option("--bank", *bank, "Item bank (YAML)")->required();
      app.add_option("--theta", *theta, "Theta grid LO:HI:STEP, or one value (default -4:4:0.5)");
      app.footer(
          "Writes CSV to standard output: item_id,theta,information,p_0,...,p_{K-1}, one row per item "
          "and theta (K = the most categories in the bank; cells beyond an item's categories are empty).\n"
          "Exit status: 0 success, 1 bad input (bank file), 2 bad usage.\n");
      return [bank, theta] { return run_info(*bank, *theta); };
    },
});

}  // namespace
}  // namespace dskill::cli
