// `dskill link`: put a bank calibrated on another form onto a base bank's scale through the
// anchor items they share. A thin face over calibrate::link and calibrate::transform.
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/calibrate/linking.hpp"
#include "dskill/error.hpp"

namespace dskill::cli {
namespace {

struct link_args {
  std::string base, new_bank, method = "stocking-lord", anchors, out, grid, weights = "normal";
  bool symmetric = false;
};

// The difficulty-form SEs an item's meta `se` holds ({a, b (or list), c, d}, as calibrate
// writes them at the bank's D), at D = 1 like the linking; false when the item has none.
bool item_se(const bank::bank_item& it, double D, irt::difficulty_form& out) {
  for (const auto& m : it.meta) {
    if (m.key != "se") continue;
    try {
      const auto node = YAML::Load(m.value);
      auto get = [&](const char* key) { return node[key] ? node[key].as<double>() : NAN; };
      out = {.kind = it.params.kind, .a = get("a") * D, .b = {}, .c = get("c"), .d = get("d")};
      if (const auto b = node["b"]) {
        if (b.IsSequence())
          for (const auto& v : b) out.b.push_back(v.as<double>());
        else
          out.b.push_back(b.as<double>());
      }
      return true;
    } catch (const YAML::Exception&) {
      return false;
    }
  }
  return false;
}

int run(const link_args& a) {
  const auto base = bank::load_bank(a.base);
  const auto nb = bank::load_bank(a.new_bank);
  const auto method = calibrate::parse_link_method(a.method);
  if (!method)
    throw invalid_argument(fmt::format("--method: unknown '{}' (mean-mean, mean-sigma, haebara or stocking-lord)", a.method));
  std::vector<std::string> ids;
  if (!a.anchors.empty()) {
    std::stringstream ss(a.anchors);
    std::string id;
    while (std::getline(ss, id, ',')) ids.push_back(id);
  } else {
    for (const auto& it : nb->items())
      if (base->find(it.id)) ids.push_back(it.id);
  }
  if (ids.empty()) throw invalid_argument(fmt::format("{} and {} share no items to link through", a.new_bank, a.base));
  std::vector<irt::item_params> from, to;
  for (const auto& id : ids) {
    const auto i = nb->find(id), j = base->find(id);
    if (!i || !j) throw invalid_argument(fmt::format("anchor '{}' is not in both banks", id));
    from.push_back(nb->params(*i));
    to.push_back(base->params(*j));
  }
  calibrate::link_options o;
  o.method = *method;
  if (!a.grid.empty()) o.grid = parse_grid(a.grid);
  if (a.weights == "uniform") o.weights = {prior_kind::uniform, 0.0, 1.0, {}};
  else if (a.weights != "normal") throw invalid_argument(fmt::format("--weights: unknown '{}' (normal or uniform)", a.weights));
  o.symmetric = a.symmetric;
  auto k = calibrate::link(from, to, o);
  // SEs of A and B when the anchors carry parameter SEs (calibrate --se writes them) in both banks.
  std::vector<irt::difficulty_form> se_from, se_to;
  std::size_t with_se = 0;
  for (const auto& id : ids) {
    irt::difficulty_form f, t;
    const bool hf = item_se(nb->item(*nb->find(id)), nb->scaling(), f), ht = item_se(base->item(*base->find(id)), base->scaling(), t);
    with_se += hf && ht;
    se_from.push_back(hf ? f : irt::difficulty_form{.a = NAN, .b = {}, .c = NAN, .d = NAN});
    se_to.push_back(ht ? t : irt::difficulty_form{.a = NAN, .b = {}, .c = NAN, .d = NAN});
  }
  const bool ses = with_se == ids.size();
  if (ses) k = calibrate::link_standard_errors(from, to, se_from, se_to, k, o);
  else
    fmt::print(stderr, "dskill link: note: no SEs of A and B: {} of {} anchors carry parameter SEs in both banks "
               "(calibrate --se writes them)\n", with_se, ids.size());
  nlohmann::json j{{"method", std::string(calibrate::to_string(*method))},
                   {"A", k.A},
                   {"B", k.B},
                   {"anchors", ids},
                   {"criterion", k.criterion},
                   {"symmetric", a.symmetric},
                   {"weights", a.weights},
                   {"se_A", ses ? nlohmann::json(k.se_A) : nlohmann::json(nullptr)},
                   {"se_B", ses ? nlohmann::json(k.se_B) : nlohmann::json(nullptr)},
                   {"cov_AB", ses ? nlohmann::json(k.cov_AB) : nlohmann::json(nullptr)},
                   {"transformation", "theta_base = A * theta_new + B; a' = a / A, b' = A * b + B"}};
  if (!a.out.empty()) {
    auto info = nb->info();
    info.scaling = base->scaling();
    info.provenance.note = (info.provenance.note.empty() ? "" : info.provenance.note + "; ") +
                           fmt::format("linked to {} by {} through {} anchors: A = {:.6f}, B = {:.6f}", base->info().id,
                                       calibrate::to_string(*method), ids.size(), k.A, k.B);
    auto items = nb->items();
    for (auto& it : items) it.params = calibrate::transform(it.params, k);
    bank::save_bank(bank::item_bank(info, std::move(items)), a.out);
    j["bank"] = a.out;
  }
  fmt::print("{}\n", j.dump(2));
  return exit_ok;
}

const bool registered = register_command({
    "link",
    "Link a bank onto a base bank's scale through shared anchor items",
    [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<link_args>();
      app.add_option("--base", a->base, "the bank whose scale is kept")->required();
      app.add_option("--new", a->new_bank, "the bank to move onto the base scale")->required();
      app.add_option("--method", a->method, "mean-mean, mean-sigma, haebara or stocking-lord")->capture_default_str();
      app.add_option("--anchors", a->anchors, "comma-separated anchor ids (default: every id in both banks)");
      app.add_option("--grid", a->grid, "theta grid of the characteristic-curve methods LO:HI:N (default -4:4:41)");
      app.add_option("--weights", a->weights, "characteristic-curve methods: normal or uniform weights on the grid")
          ->capture_default_str();
      app.add_flag("--symmetric", a->symmetric, "characteristic-curve methods: the criterion on both scales");
      app.add_option("--out", a->out, "write the new bank, transformed, here");
      return [a] { return run(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
