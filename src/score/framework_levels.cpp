#include "dskill/score/framework_levels.hpp"

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

std::shared_ptr<const level_scheme> from_framework(std::shared_ptr<const framework::framework> fw, std::string_view language) {
  if (!fw) throw invalid_argument("from_framework: no framework");
  auto L = std::make_shared<level_scheme>();
  L->framework_id = fw->id();
  L->framework_version = fw->version();
  L->framework_title = std::string(fw->title().get(language));
  L->framework_url = fw->data().url;
  for (const auto& lv : fw->levels()) L->levels.push_back({lv.number, std::string(lv.name.get(language)), lv.tier});
  const auto overall = fw->overall_cut_scores();
  L->overall_cuts.assign(overall.begin(), overall.end());
  for (std::size_t a = 0; a < fw->areas().size(); ++a) {
    const auto& area = fw->areas()[a];
    const auto cuts = fw->cut_scores(a);
    L->areas.push_back({area.id, std::string(area.name.get(language)), std::vector<double>(cuts.begin(), cuts.end())});
  }
  for (const auto& c : fw->competences()) L->competences.push_back({c.id, std::string(c.name.get(language)), c.area_index});
  for (const auto& r : fw->certification_rules())
    L->rules.push_back({r.id, std::string(r.name.get(language)), r.min_probability});
  std::vector<std::string> rule_ids;
  for (const auto& r : L->rules) rule_ids.push_back(r.id);
  L->certify = [fw, rule_ids](std::span<const int> area_levels, int overall_level) -> std::optional<std::size_t> {
    const auto id = fw->certify(area_levels, overall_level);
    if (!id) return std::nullopt;
    for (std::size_t i = 0; i < rule_ids.size(); ++i)
      if (rule_ids[i] == *id) return i;
    return std::nullopt;
  };
  L->rule_holds = [fw](std::size_t index, std::span<const int> area_levels, int overall_level) {
    return fw->rule_holds(index, area_levels, overall_level);
  };
  L->validate();
  return L;
}

}  // namespace score
DSKILL_END_NAMESPACE
