// dskill::framework: competency frameworks (DigComp 2.2, Vietnam 2025, ...), schema v1.
//
// A framework holds proficiency levels (with tiers), areas, competences with their
// prerequisites (a directed acyclic graph, kept as a Boost.Graph inside the library), cut scores
// that map theta to levels per area and overall, certification rules as data, and crosswalks to
// other frameworks. It is immutable once loaded and shared as shared_ptr<const framework>.
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/core/diagnostic.hpp"
#include "dskill/core/localized.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework {

/// One proficiency level (numbered 1..L in order).
struct level {
  int number = 0;
  std::string tier;  ///< e.g. "foundation", "intermediate", "advanced", "highly-specialised"
  localized_text name;
  localized_text description;
};

/// One competence (DigComp "1.1 Browsing, searching and filtering data ...").
struct competence {
  std::string id;
  localized_text name;
  localized_text description;
  std::vector<std::string> prerequisites;  ///< ids of competences to master first (any area)
  std::size_t area_index = 0;              ///< index into framework::areas()
  bool unconfirmed = false;                ///< name or code not checked against the published text
};

/// One competence area with its competence ids in order.
struct area {
  std::string id;
  localized_text name;
  localized_text description;
  std::vector<std::string> competences;
  bool unconfirmed = false;
};

/// A certification rule: every condition given must hold.
struct certification_rule {
  std::string id;
  localized_text name;
  std::optional<int> all_areas_at_least;       ///< every area at this level or higher
  std::optional<int> overall_at_least;         ///< the overall level at least this
  std::vector<std::pair<std::size_t, int>> areas_at_least;  ///< (area index, level): all must hold
  /// The rule holds only on levels that are probable enough: a level l counts when the posterior
  /// probability of being at level l or higher is at least this (in (0, 1]); below it, the next
  /// lower level that meets it counts (or none). Empty: the levels of the point estimates.
  std::optional<double> min_probability;
};

/// A mapping of this framework's competences to another framework's.
struct crosswalk {
  std::string to_id;
  std::string to_version;
  std::map<std::string, std::vector<std::string>, std::less<>> map;  ///< our competence -> theirs
  bool unconfirmed = false;
  std::string note;
};

/// How competence values combine into an area value (roll_up).
enum class roll_up_rule : unsigned char {
  mean,     ///< mean of the given values
  minimum,  ///< the weakest competence (conservative)
  maximum,
};

/// Everything a framework file holds, for building one in code.
struct framework_data {
  std::string id;
  std::string version;
  localized_text title;
  std::string source;
  std::string url;
  std::string note;
  std::vector<std::string> languages;
  std::vector<level> levels;
  std::vector<area> areas;
  std::vector<competence> competences;  ///< area_index must be set
  std::vector<double> default_cuts;     ///< L-1 increasing boundaries
  std::map<std::string, std::vector<double>, std::less<>> area_cuts;  ///< per-area overrides
  std::vector<double> overall_cuts;     ///< empty = default_cuts
  std::vector<certification_rule> certification;
  std::vector<crosswalk> crosswalks;
};

struct graph_impl;  // the Boost.Graph, defined in src/framework

/// An immutable competency framework.
class framework {
 public:
  /// Builds the framework, checks it (ids unique, prerequisites known and acyclic, cut scores
  /// L-1 increasing numbers, rules naming known areas and levels) and throws framework_error
  /// naming the first problem ("prerequisites form a cycle: 1.1 -> 2.3 -> 1.1").
  explicit framework(framework_data data);
  ~framework();
  framework(const framework&) = delete;
  framework& operator=(const framework&) = delete;

  const std::string& id() const noexcept { return d_.id; }
  const std::string& version() const noexcept { return d_.version; }
  const localized_text& title() const noexcept { return d_.title; }
  const std::string& source() const noexcept { return d_.source; }
  const std::vector<std::string>& languages() const noexcept { return d_.languages; }
  const std::vector<level>& levels() const noexcept { return d_.levels; }
  int level_count() const noexcept { return static_cast<int>(d_.levels.size()); }
  const std::vector<area>& areas() const noexcept { return d_.areas; }
  const std::vector<competence>& competences() const noexcept { return d_.competences; }
  const std::vector<certification_rule>& certification_rules() const noexcept { return d_.certification; }
  const std::vector<crosswalk>& crosswalks() const noexcept { return d_.crosswalks; }
  const framework_data& data() const noexcept { return d_; }

  /// Index into competences() of this competence id.
  std::optional<std::size_t> competence_index(std::string_view competence_id) const;
  /// Index into areas() of the area holding this competence.
  std::optional<std::size_t> area_index_of(std::string_view competence_id) const;
  /// Index into areas() of this area id.
  std::optional<std::size_t> area_index(std::string_view area_id) const;

  /// The L-1 theta boundaries of an area (its override, else the default).
  std::span<const double> cut_scores(std::size_t area_index) const;
  /// The L-1 theta boundaries of the overall result.
  std::span<const double> overall_cut_scores() const noexcept;
  /// Level of theta in an area: 1 + the number of boundaries <= theta.
  int level_for_area(std::size_t area_index, double theta) const;
  /// Overall level of theta: 1 + the number of boundaries <= theta.
  int level_overall(double theta) const noexcept;

  /// Id of the first certification rule that holds for these levels (area_levels indexed as
  /// areas()), or nullopt. Throws invalid_argument if area_levels has the wrong size.
  std::optional<std::string> certify(std::span<const int> area_levels, int overall_level) const;
  /// Whether certification rule `rule_index` holds for these levels (its min_probability, if
  /// any, is applied by the caller, who knows the probabilities: score::scorer). Throws
  /// invalid_argument for a bad index or area_levels of the wrong size.
  bool rule_holds(std::size_t rule_index, std::span<const int> area_levels, int overall_level) const;

  /// Competence indices in an order where every prerequisite comes before what needs it
  /// (ties keep file order).
  const std::vector<std::size_t>& topological_order() const noexcept { return topo_; }
  /// Every competence (index) that must come before this one, directly or not, in topological order.
  std::vector<std::size_t> prerequisites_closure(std::size_t competence_index) const;

  /// Combines per-competence values (indexed as competences(); NaN = no value) into per-area
  /// values (NaN for an area without any value).
  std::vector<double> roll_up(std::span<const double> competence_values, roll_up_rule rule = roll_up_rule::mean) const;

  /// The crosswalk to another framework, or nullptr.
  const crosswalk* crosswalk_to(std::string_view to_framework_id) const noexcept;
  /// The competences of framework `to_framework_id` this competence maps to (empty when none or
  /// no crosswalk).
  std::vector<std::string> map_competence(std::string_view to_framework_id, std::string_view competence) const;
  /// Maps per-competence levels through the crosswalk: a target competence gets the lowest level
  /// of the competences mapped to it (conservative: a certificate must not claim more). Throws
  /// framework_error when there is no crosswalk to that framework.
  std::map<std::string, int, std::less<>> map_competence_levels(
      std::string_view to_framework_id, const std::map<std::string, int, std::less<>>& levels) const;
  /// Maps area results (levels indexed as areas()) to the target framework's areas: every
  /// competence takes its area's level, goes through the crosswalk (lowest level wins), and the
  /// target framework's areas take the lowest level of their mapped competences (0 = no mapping).
  std::vector<int> map_area_levels(const framework& target, std::span<const int> area_levels) const;

 private:
  framework_data d_;
  std::map<std::string, std::size_t, std::less<>> competence_index_;
  std::map<std::string, std::size_t, std::less<>> area_index_;
  std::vector<std::vector<double>> area_cuts_;  // resolved per area
  std::vector<std::size_t> topo_;
  std::unique_ptr<graph_impl> graph_;
};

using framework_ptr = std::shared_ptr<const framework>;

/// Reads and checks a framework file (`dskill_framework: 1`, item_banks/SCHEMA.md). Throws
/// io_error, parse_error or framework_error with file:line:column.
std::shared_ptr<const framework> load_framework(const std::string& path);
/// As load_framework, from YAML text; `name` stands for the file name in locations.
std::shared_ptr<const framework> load_framework_from_string(std::string_view yaml, std::string_view name = "<string>");
/// Every problem of a framework file (up to max_diagnostics), without throwing.
std::vector<diagnostic> validate_framework_file(const std::string& path, std::size_t max_diagnostics = 100);
std::vector<diagnostic> validate_framework_string(std::string_view yaml, std::string_view name = "<string>",
                                                  std::size_t max_diagnostics = 100);

/// The framework a bank names (`id`, `version`) in the bundled layout: frameworks/<id>-<version>.yaml,
/// else frameworks/<id>.yaml, in the bank file's folder. nullptr when `id` is empty or neither
/// file exists; a file that exists but is invalid throws as load_framework does.
std::shared_ptr<const framework> find_framework_beside(const std::string& bank_path, const std::string& id,
                                                       const std::string& version);

/// What proficiency level `level` (1-8) means in plain words, for a person reading their result
/// (after DigComp 2.2's levels: complexity of the task, autonomy, cognitive domain), in "vi" or
/// else English; empty outside 1-8. The CLI's end screen and the service's page say the same.
std::string_view plain_level_words(int level, std::string_view language) noexcept;

}  // namespace framework
DSKILL_END_NAMESPACE
