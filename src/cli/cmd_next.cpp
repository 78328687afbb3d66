// dskill next: the stateless CAT step. Given a bank, the answers so far and a selection rule,
// prints the id of the next item (and, with --explain, every eligible item's criterion value).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/cat/engine.hpp"
#include "dskill/cat/multidim.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/error.hpp"

namespace dskill::cli {
namespace {

struct next_options {
  std::string bank;
  std::string spec;
  std::string responses;
  std::optional<double> theta;
  std::string select;
  std::string estimate;
  std::string quadrature;
  bool explain = false;
  std::uint64_t seed = 0;
};

// "ID=CATEGORY,ID=CATEGORY,...": bad text is a usage error, unknown ids bad input.
std::vector<estimate::response> parse_responses(const std::string& text, const bank::item_bank& bank) {
  std::vector<estimate::response> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == part.size())
      throw invalid_argument(fmt::format("bad --responses entry '{}' (expected ID=CATEGORY)", part));
    const std::string id = part.substr(0, eq), cat = part.substr(eq + 1);
    int category = 0;
    try {
      std::size_t used = 0;
      category = std::stoi(cat, &used);
      if (used != cat.size()) throw std::invalid_argument(cat);
    } catch (const std::exception&) {
      throw invalid_argument(fmt::format("bad --responses entry '{}': the category must be a whole number", part));
    }
    const auto idx = bank.find(id);
    if (!idx) {
      location where;
      where.item_id = id;
      throw bank_error(fmt::format("--responses names item '{}', which the bank does not have", id), where);
    }
    for (const auto& r : out)
      if (r.item == *idx) throw bank_error(fmt::format("--responses gives item '{}' twice", id));
    out.push_back({static_cast<std::uint32_t>(*idx), category});
  }
  estimate::validate_responses(bank, out);
  return out;
}

int run_next(const next_options& o) {
  cat::test_spec spec = o.spec.empty() ? cat::test_spec{} : cat::load_test_spec(o.spec);
  if (!o.select.empty()) {
    if (const auto rule = cat::parse_criterion(o.select)) {
      spec.selection.rule = *rule;
    } else if (const auto p = cat::parse_profile_criterion(o.select)) {
      spec.selection.rule = cat::rule_name<cat::criterion>(std::string(cat::to_string(*p)));
    } else {
      throw invalid_argument(fmt::format("unknown --select '{}'", o.select));
    }
  }
  if (!o.estimate.empty()) {
    const auto m = estimate::parse_method(o.estimate);
    if (!m) throw invalid_argument(fmt::format("unknown --estimate '{}' (eap, map, ml, wle)", o.estimate));
    spec.estimator.estimator = *m;
  }
  if (!o.quadrature.empty()) {
    spec.selection.grid = parse_grid(o.quadrature);
    spec.estimator.grid = spec.selection.grid;
  }
  // A stateless step: no stopping rule and no start rule beyond the provisional theta.
  spec.stopping.max_items = std::max(spec.stopping.max_items, 1000000);
  spec.stopping.min_items = 0;
  spec.stopping.se = 0;
  spec.stopping.se_per_area = 0;
  spec.stopping.min_information = 0;
  spec.stopping.classification = cat::classification_kind::none;
  spec.start.kind = cat::start_kind::fixed_theta;
  spec.start.items.clear();
  if (o.theta) {
    if (!std::isfinite(*o.theta)) throw invalid_argument("--theta must be finite");
    spec.start.theta = *o.theta;
  }

  const auto bank = bank::load_bank(o.bank);
  const auto responses = parse_responses(o.responses, *bank);
  const auto eng = cat::engine::create(bank, spec);
  cat::selection_state state;
  state.responses = responses;
  estimate::profile_result profile;
  if (eng->profile()) {
    // A profile bank: the profile estimate from the responses (one theta cannot stand for it).
    if (o.theta) throw invalid_argument("--theta takes one theta; a profile bank's provisional profile is estimated from --responses");
    profile = eng->estimate_profile(responses);
    const auto dims = static_cast<std::size_t>(profile.theta.size());
    state.profile_theta = std::span<const double>(profile.theta.data(), dims);
    state.profile_covariance = std::span<const double>(profile.covariance.data(), dims * dims);
    state.theta = profile.theta[0];
    state.se = profile.se.maxCoeff();
  } else if (o.theta) {
    state.theta = *o.theta;
    state.se = eng->estimate(responses).se;
  } else {
    const auto est = eng->estimate(responses);
    state.theta = est.theta;
    state.se = est.se;
  }
  cat::rng gen(o.seed);
  std::vector<cat::criterion_value> explained;
  const auto item = eng->select(state, gen, nullptr, o.explain ? &explained : nullptr);
  if (!item) throw no_items_available("no eligible item is left in the bank");
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "{}\n", bank->id(*item));
  if (o.explain) {
    fmt::format_to(std::back_inserter(out), "item_id,criterion\n");
    for (const auto& cv : explained) fmt::format_to(std::back_inserter(out), "{},{}\n", bank->id(cv.item), cv.value);
  }
  write_stdout({out.data(), out.size()});
  return exit_ok;
}

[[maybe_unused]] const bool registered = register_command({
    "next",
    "Choose the next item of an adaptive test from the answers so far (stateless step)",
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<next_options>();
      auto theta = std::make_shared<double>(0.0);
      app.add_option("--bank", o->bank, "Item bank (YAML)")->required();
      app.add_option("--responses", o->responses, "Answers so far: ID=CATEGORY,ID=CATEGORY,...");
      auto* theta_opt = app.add_option("--theta", *theta, "Provisional theta (instead of estimating it from the responses)");
      app.add_option("--select", o->select,
                     "Selection rule: mfi|bopt|mlwi|mpwi|kl|klp|mei|mepv|random|progressive|proportional|a_stratified (default mfi); "
                     "profile banks: d_optimal|dp_optimal|a_optimal|ap_optimal|t_optimal|tp_optimal|kl_profile");
      app.add_option("--estimate", o->estimate, "Provisional estimator: eap|map|ml|wle (default eap)");
      app.add_option("--quadrature", o->quadrature, "Integration grid LO:HI:N for MLWI, MPWI, KL, KLP, MEPV and EAP (default -4:4:33 for the criteria)");
      app.add_option("--spec", o->spec, "Test specification (YAML): prior, exposure control, content balancing...");
      app.add_option("--seed", o->seed, "Seed of random choices (random, randomesque...; default 0)");
      app.add_flag("--explain", o->explain, "Then print CSV item_id,criterion for every eligible item");
      app.footer(
          "Prints the chosen item id on the first line of standard output. With --explain, then CSV "
          "item_id,criterion for every eligible item (bopt: |b - theta| and mepv: expected posterior "
          "variance, where smaller wins; otherwise larger wins).\n"
          "Exit status: 0 success, 1 bad input, 2 bad usage.");
      return [o, theta, theta_opt] {
        if (theta_opt->count() > 0) o->theta = *theta;
        return run_next(*o);
      };
    },
});

}  // namespace
}  // namespace dskill::cli
