#include "dskill/bank/latent.hpp"

#include <cmath>

#include "dskill/io/yaml_tree.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {

namespace {

using io::detail::ynode;

const ynode* field(const ynode* map, std::string_view key) {
  if (!map || !map->is_map()) return nullptr;
  for (std::size_t i = 0; i + 1 < map->children.size(); i += 2)
    if (map->children[i]->is_scalar() && map->children[i]->value == key) return map->children[i + 1];
  return nullptr;
}

std::optional<double> number(const ynode* n) {
  if (!n || !n->is_scalar()) return std::nullopt;
  const auto x = io::detail::to_double(*n);
  if (!x || !std::isfinite(*x)) return std::nullopt;
  return x;
}

std::optional<latent_normal> checked(double mean, double sd) {
  if (!(sd > 0.0)) return std::nullopt;
  return latent_normal{mean, sd};
}

}  // namespace

std::optional<latent_normal> latent_distribution(const bank_info& info) {
  const meta_entry* cal = nullptr;
  for (const auto& m : info.meta)
    if (m.key == "calibration" && m.yaml) cal = &m;
  if (!cal) return std::nullopt;
  io::detail::ydoc doc;
  try {
    doc = io::detail::parse_yaml(cal->value, "calibration");
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (const ynode* groups = field(doc.root, "latent"); groups && groups->is_sequence() && !groups->children.empty()) {
    const ynode* g0 = groups->children.front();
    const auto mean = number(field(g0, "mean")), sd = number(field(g0, "sd"));
    if (mean && sd) return checked(*mean, *sd);
  }
  if (const auto sd = number(field(doc.root, "rasch_latent_sd"))) return checked(0.0, *sd);
  return std::nullopt;
}

}  // namespace bank
DSKILL_END_NAMESPACE
