// The framework class: indices, cut scores, certification, crosswalks, and the prerequisite
// graph as a Boost.Graph (cycle detection by depth-first search, topological order, closures).
#include "dskill/framework/framework.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dskill/core/levels.hpp"
#include "dskill/error.hpp"
#include "graph.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework {

using graph_t = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using vertex_t = boost::graph_traits<graph_t>::vertex_descriptor;
using edge_t = boost::graph_traits<graph_t>::edge_descriptor;

/// The prerequisite graph: vertex i = competence i; edge p -> c when p is a prerequisite of c.
struct graph_impl {
  graph_t g;
};

namespace detail {
namespace {
// Records DFS tree parents; the first back edge (u -> v, v an ancestor of u on the DFS stack)
// closes a cycle v -> ... -> u -> v, read off the parents from u up to v.
class cycle_recorder : public boost::default_dfs_visitor {
 public:
  cycle_recorder(std::vector<vertex_t>& parent, std::vector<std::size_t>& cycle) : parent_(parent), cycle_(cycle) {}
  void tree_edge(edge_t e, const graph_t& g) { parent_[boost::target(e, g)] = boost::source(e, g); }
  void back_edge(edge_t e, const graph_t& g) {
    if (!cycle_.empty()) return;
    const vertex_t u = boost::source(e, g), v = boost::target(e, g);
    std::vector<std::size_t> path{u};
    while (path.back() != v) path.push_back(parent_[path.back()]);
    std::reverse(path.begin(), path.end());
    cycle_ = std::move(path);
  }

 private:
  std::vector<vertex_t>& parent_;
  std::vector<std::size_t>& cycle_;
};

graph_t build(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  graph_t g(n);
  for (const auto& [p, c] : edges) boost::add_edge(p, c, g);
  return g;
}

std::vector<std::size_t> cycle_in(const graph_t& g) {
  const std::size_t n = boost::num_vertices(g);
  std::vector<vertex_t> parent(n);
  std::vector<std::size_t> cycle;
  std::vector<boost::default_color_type> colors(n);
  boost::depth_first_search(
      g, boost::visitor(cycle_recorder(parent, cycle))
             .color_map(boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g))));
  return cycle;
}
}  // namespace

std::vector<std::size_t> find_cycle(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  return cycle_in(build(n, edges));
}
}  // namespace detail

framework::~framework() = default;

framework::framework(framework_data data) : d_(std::move(data)), graph_(std::make_unique<graph_impl>()) {
  auto fail = [](std::string message) { throw framework_error(message); };
  if (d_.id.empty()) fail("a framework needs an id");
  const std::size_t L = d_.levels.size();
  if (L == 0) fail(fmt::format("framework '{}' has no levels", d_.id));
  for (std::size_t i = 0; i < L; ++i)
    if (d_.levels[i].number != static_cast<int>(i + 1))
      fail(fmt::format("levels must be numbered 1, 2, ... in order; found {} at position {}", d_.levels[i].number, i + 1));
  for (std::size_t a = 0; a < d_.areas.size(); ++a)
    if (!area_index_.emplace(d_.areas[a].id, a).second) fail(fmt::format("area id '{}' appears twice", d_.areas[a].id));
  for (std::size_t c = 0; c < d_.competences.size(); ++c) {
    const auto& comp = d_.competences[c];
    if (!competence_index_.emplace(comp.id, c).second) fail(fmt::format("competence id '{}' appears twice", comp.id));
    if (comp.area_index >= d_.areas.size()) fail(fmt::format("competence '{}' has no valid area", comp.id));
  }
  // The areas' competence lists follow the competences (built in code, they may be left empty).
  for (auto& a : d_.areas) a.competences.clear();
  for (const auto& comp : d_.competences) d_.areas[comp.area_index].competences.push_back(comp.id);

  auto check_cuts = [&](const std::vector<double>& cuts, std::string_view what) {
    if (cuts.size() != L - 1)
      fail(fmt::format("{} cut scores: {} levels need {} boundaries, got {}", what, L, L - 1, cuts.size()));
    for (std::size_t i = 0; i < cuts.size(); ++i) {
      if (!std::isfinite(cuts[i])) fail(fmt::format("{} cut scores must be finite numbers", what));
      if (i > 0 && !(cuts[i] > cuts[i - 1])) fail(fmt::format("{} cut scores must increase", what));
    }
  };
  check_cuts(d_.default_cuts, "default");
  if (!d_.overall_cuts.empty()) check_cuts(d_.overall_cuts, "overall");
  area_cuts_.assign(d_.areas.size(), d_.default_cuts);
  for (const auto& [area_id, cuts] : d_.area_cuts) {
    auto a = area_index(area_id);
    if (!a) fail(fmt::format("cut scores given for unknown area '{}'", area_id));
    check_cuts(cuts, fmt::format("area '{}'", area_id));
    area_cuts_[*a] = cuts;
  }
  const int Li = static_cast<int>(L);
  for (const auto& rule : d_.certification) {
    auto level_ok = [&](int l) { return l >= 1 && l <= Li; };
    if (!rule.all_areas_at_least && !rule.overall_at_least && rule.areas_at_least.empty())
      fail(fmt::format("certification rule '{}' has no condition", rule.id));
    if ((rule.all_areas_at_least && !level_ok(*rule.all_areas_at_least)) ||
        (rule.overall_at_least && !level_ok(*rule.overall_at_least)))
      fail(fmt::format("certification rule '{}' names a level outside 1..{}", rule.id, L));
    for (const auto& [a, l] : rule.areas_at_least)
      if (a >= d_.areas.size() || !level_ok(l)) fail(fmt::format("certification rule '{}' names an unknown area or level", rule.id));
    if (rule.min_probability && !(*rule.min_probability > 0.0 && *rule.min_probability <= 1.0))
      fail(fmt::format("certification rule '{}': min_probability {} is outside (0, 1]", rule.id, *rule.min_probability));
  }

  // The prerequisite graph.
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (std::size_t c = 0; c < d_.competences.size(); ++c)
    for (const auto& p : d_.competences[c].prerequisites) {
      auto pi = competence_index(p);
      if (!pi) fail(fmt::format("competence '{}' has unknown prerequisite '{}'", d_.competences[c].id, p));
      edges.emplace_back(*pi, c);
    }
  graph_->g = detail::build(d_.competences.size(), edges);
  if (auto cycle = detail::cycle_in(graph_->g); !cycle.empty()) {
    std::vector<std::string_view> names;
    for (auto v : cycle) names.push_back(d_.competences[v].id);
    names.push_back(d_.competences[cycle.front()].id);
    fail(fmt::format("prerequisites form a cycle: {}", fmt::join(names, " -> ")));
  }
  // Topological order, ties broken by file order (Kahn's algorithm with a min-heap), so the
  // order is stable and reads like the framework document.
  const std::size_t n = d_.competences.size();
  std::vector<std::size_t> indegree(n);
  for (std::size_t v = 0; v < n; ++v) indegree[v] = boost::in_degree(v, graph_->g);
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t v = 0; v < n; ++v)
    if (indegree[v] == 0) ready.push(v);
  topo_.reserve(n);
  while (!ready.empty()) {
    const std::size_t v = ready.top();
    ready.pop();
    topo_.push_back(v);
    for (auto [e, end] = boost::out_edges(v, graph_->g); e != end; ++e)
      if (--indegree[boost::target(*e, graph_->g)] == 0) ready.push(boost::target(*e, graph_->g));
  }
}

std::optional<std::size_t> framework::competence_index(std::string_view competence_id) const {
  auto it = competence_index_.find(competence_id);
  if (it == competence_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> framework::area_index_of(std::string_view competence_id) const {
  auto c = competence_index(competence_id);
  if (!c) return std::nullopt;
  return d_.competences[*c].area_index;
}

std::optional<std::size_t> framework::area_index(std::string_view area_id) const {
  auto it = area_index_.find(area_id);
  if (it == area_index_.end()) return std::nullopt;
  return it->second;
}

std::span<const double> framework::cut_scores(std::size_t a) const {
  if (a >= area_cuts_.size()) throw invalid_argument(fmt::format("area index {} out of range (0..{})", a, area_cuts_.size()));
  return area_cuts_[a];
}

std::span<const double> framework::overall_cut_scores() const noexcept {
  return d_.overall_cuts.empty() ? std::span<const double>(d_.default_cuts) : std::span<const double>(d_.overall_cuts);
}

namespace {
// The cuts are validated increasing; a NaN theta has no level (0).
int level_of(std::span<const double> cuts, double theta) noexcept {
  return std::isnan(theta) ? 0 : core::level_for(cuts, theta);
}
}  // namespace

int framework::level_for_area(std::size_t a, double theta) const { return level_of(cut_scores(a), theta); }
int framework::level_overall(double theta) const noexcept { return level_of(overall_cut_scores(), theta); }

std::optional<std::string> framework::certify(std::span<const int> area_levels, int overall_level) const {
  if (area_levels.size() != d_.areas.size())
    throw invalid_argument(fmt::format("certify needs one level per area ({}), got {}", d_.areas.size(), area_levels.size()));
  for (std::size_t r = 0; r < d_.certification.size(); ++r)
    if (rule_holds(r, area_levels, overall_level)) return d_.certification[r].id;
  return std::nullopt;
}

bool framework::rule_holds(std::size_t rule_index, std::span<const int> area_levels, int overall_level) const {
  if (rule_index >= d_.certification.size())
    throw invalid_argument(fmt::format("certification rule index {} out of range ({} rules)", rule_index, d_.certification.size()));
  if (area_levels.size() != d_.areas.size())
    throw invalid_argument(fmt::format("certify needs one level per area ({}), got {}", d_.areas.size(), area_levels.size()));
  const auto& rule = d_.certification[rule_index];
  bool holds = true;
  if (rule.all_areas_at_least)
    holds = std::all_of(area_levels.begin(), area_levels.end(), [&](int l) { return l >= *rule.all_areas_at_least; });
  if (holds && rule.overall_at_least) holds = overall_level >= *rule.overall_at_least;
  for (const auto& [a, l] : rule.areas_at_least) holds = holds && area_levels[a] >= l;
  return holds;
}

std::vector<std::size_t> framework::prerequisites_closure(std::size_t c) const {
  if (c >= d_.competences.size()) throw invalid_argument(fmt::format("competence index {} out of range", c));
  const std::size_t n = d_.competences.size();
  std::vector<boost::default_color_type> colors(n, boost::white_color);
  auto reversed = boost::make_reverse_graph(graph_->g);
  boost::breadth_first_search(
      reversed, c, boost::color_map(boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, graph_->g))));
  std::vector<std::size_t> out;
  for (std::size_t v : topo_)
    if (v != c && colors[v] != boost::white_color) out.push_back(v);
  return out;
}

std::vector<double> framework::roll_up(std::span<const double> values, roll_up_rule rule) const {
  if (values.size() != d_.competences.size())
    throw invalid_argument(fmt::format("roll_up needs one value per competence ({}), got {}", d_.competences.size(), values.size()));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> out(d_.areas.size(), nan);
  std::vector<std::size_t> count(d_.areas.size(), 0);
  for (std::size_t c = 0; c < values.size(); ++c) {
    const double x = values[c];
    if (std::isnan(x)) continue;
    const std::size_t a = d_.competences[c].area_index;
    double& acc = out[a];
    if (count[a]++ == 0) {
      acc = x;
      continue;
    }
    switch (rule) {
      case roll_up_rule::mean: acc += x; break;
      case roll_up_rule::minimum: acc = std::min(acc, x); break;
      case roll_up_rule::maximum: acc = std::max(acc, x); break;
    }
  }
  if (rule == roll_up_rule::mean)
    for (std::size_t a = 0; a < out.size(); ++a)
      if (count[a] > 0) out[a] /= static_cast<double>(count[a]);
  return out;
}

const crosswalk* framework::crosswalk_to(std::string_view to) const noexcept {
  for (const auto& cw : d_.crosswalks)
    if (cw.to_id == to) return &cw;
  return nullptr;
}

std::vector<std::string> framework::map_competence(std::string_view to, std::string_view competence) const {
  const crosswalk* cw = crosswalk_to(to);
  if (!cw) return {};
  auto it = cw->map.find(competence);
  return it == cw->map.end() ? std::vector<std::string>{} : it->second;
}

std::map<std::string, int, std::less<>> framework::map_competence_levels(
    std::string_view to, const std::map<std::string, int, std::less<>>& levels) const {
  const crosswalk* cw = crosswalk_to(to);
  if (!cw) throw framework_error(fmt::format("framework '{}' has no crosswalk to '{}'", d_.id, to));
  std::map<std::string, int, std::less<>> out;
  for (const auto& [comp, level] : levels) {
    auto it = cw->map.find(comp);
    if (it == cw->map.end()) continue;
    for (const auto& target : it->second) {
      auto [pos, inserted] = out.emplace(target, level);
      if (!inserted) pos->second = std::min(pos->second, level);
    }
  }
  return out;
}

std::vector<int> framework::map_area_levels(const framework& target, std::span<const int> area_levels) const {
  if (area_levels.size() != d_.areas.size())
    throw invalid_argument(fmt::format("map_area_levels needs one level per area ({}), got {}", d_.areas.size(), area_levels.size()));
  std::map<std::string, int, std::less<>> by_competence;
  for (const auto& comp : d_.competences)
    if (area_levels[comp.area_index] > 0) by_competence.emplace(comp.id, area_levels[comp.area_index]);
  const auto mapped = map_competence_levels(target.id(), by_competence);
  std::vector<int> out(target.areas().size(), 0);
  for (const auto& [comp, level] : mapped) {
    auto a = target.area_index_of(comp);
    if (!a) continue;
    out[*a] = out[*a] == 0 ? level : std::min(out[*a], level);
  }
  return out;
}

}  // namespace framework
DSKILL_END_NAMESPACE
