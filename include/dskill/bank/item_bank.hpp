// dskill::bank: the immutable, shareable item bank.
//
// A bank is built once (from YAML by bank/yaml.hpp, or in code) and then shared read-only by any
// number of sessions and threads through std::shared_ptr<const item_bank>. Besides the items it
// keeps structure-of-arrays copies of the parameters, so a pass over every item at one theta
// (information for item selection) is one sweep over contiguous memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dskill/core/localized.hpp"
#include "dskill/irt/item_table.hpp"
#include "dskill/irt/model.hpp"
#include "dskill/irt/multidim.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {

/// Life-cycle status of an item.
enum class item_status : std::uint8_t { operational, pretest, retired };
std::string_view to_string(item_status s) noexcept;

/// What a person sees of an item in one language.
struct item_content {
  std::string stem;
  std::vector<std::string> options;  ///< answer options (multiple choice); may be empty
  std::vector<std::string> scoring;  ///< polytomous items: what each category 0..K-1 means
  friend bool operator==(const item_content&, const item_content&) = default;
};

/// A media file an item shows (image, audio, video...), by reference.
struct media_ref {
  std::string type;   ///< "image", "audio", "video", ... (free text)
  std::string uri;    ///< relative to the bank file, or absolute
  localized_text alt; ///< text alternative for accessibility
  friend bool operator==(const media_ref&, const media_ref&) = default;
};

/// One entry of free metadata. `value` is text, or, when `yaml` is true, YAML flow text (a
/// number, a boolean, null, a list or a map), so that metadata of any shape survives a save.
struct meta_entry {
  std::string key;
  std::string value;
  bool yaml = false;
  friend bool operator==(const meta_entry&, const meta_entry&) = default;
};

/// One item with everything the engine needs to select, score and report it.
struct bank_item {
  std::string id;
  irt::item_params params;                ///< slope-intercept form, logit scale (D applied)
  /// Profile banks only: the slope on each of the bank's dimensions (D applied; 0 where the item
  /// does not load), and then params.slope is the item's multidimensional discrimination
  /// |slopes| (Reckase's MDISC). Empty in a unidimensional bank.
  std::vector<double> slopes;
  std::vector<std::string> competences;   ///< competence ids in the bank's framework
  std::string area;                       ///< competence area id (filled from the framework)
  int level = 0;                          ///< intended proficiency level; 0 = not given
  item_status status = item_status::operational;
  std::vector<std::string> enemies;       ///< ids of items never given in the same test
  double exposure_control = 1.0;          ///< Sympson-Hetter administration probability k_i
  std::vector<std::string> tags;

  /// Content per language, in file order (language tag, content).
  std::vector<std::pair<std::string, item_content>> content;
  /// Multiple choice: 0-based index of the right option; empty when not given.
  std::optional<int> key;
  std::vector<media_ref> media;
  std::vector<meta_entry> meta;  ///< free metadata, in file order

  /// The content in `language`, else English, else the first language; nullptr if none.
  const item_content* content_for(std::string_view language = "en") const noexcept;
};

/// How the parameters of a bank were obtained.
struct bank_provenance {
  std::string method;        ///< e.g. "MML-EM 3PL"
  std::optional<long> sample; ///< number of persons in the calibration sample
  std::string date;          ///< ISO date as written
  std::string data;          ///< "simulated" | "real" | "" (not said)
  std::string note;
  bool empty() const noexcept {
    return method.empty() && !sample && date.empty() && data.empty() && note.empty();
  }
  friend bool operator==(const bank_provenance&, const bank_provenance&) = default;
};

/// What a latent dimension of a profile bank stands for.
enum class dimension_role : std::uint8_t {
  area,      ///< a framework area (or another trait of its own)
  general,   ///< the general factor of a bifactor or two-tier model
  specific,  ///< a specific factor (a testlet or an area's residual) beside a general factor
};
std::string_view to_string(dimension_role r) noexcept;

/// One latent dimension of a profile (multidimensional) bank.
struct bank_dimension {
  std::string id;
  std::string area;  ///< the framework area id it reports; empty when it reports none
  dimension_role role = dimension_role::area;
  localized_text titles;
  friend bool operator==(const bank_dimension&, const bank_dimension&) = default;
};

/// Bank-level metadata.
struct bank_info {
  std::string id;
  std::string title;  ///< the title in English (or the first language given)
  std::string version;
  std::string framework_id;
  std::string framework_version;
  std::vector<std::string> languages;
  double scaling = 1.0;  ///< the scaling constant D the authors' parameters use (1 or 1.702)

  localized_text titles;        ///< the title in every language given
  std::string param_form;       ///< scale.form as written: "difficulty", "intercept" or ""
  bank_provenance provenance;
  std::vector<meta_entry> meta; ///< free bank metadata, in file order

  /// Profile banks: the latent dimensions, their means and covariance (row-major D x D,
  /// positive definite); all empty in a unidimensional bank.
  std::vector<bank_dimension> dimensions;
  std::vector<double> latent_mean;
  std::vector<double> latent_covariance;
  /// True when the file states the latent structure as a correlation matrix (kept on save).
  bool latent_as_correlation = false;
};

/// The immutable item bank.
class item_bank {
 public:
  /// Builds the bank and its derived arrays. Throws bank_error for duplicate or empty ids and
  /// for parameters invalid for their model (irt::check_params).
  item_bank(bank_info info, std::vector<bank_item> items);

  std::size_t size() const noexcept { return items_.size(); }
  const bank_info& info() const noexcept { return info_; }
  double scaling() const noexcept { return info_.scaling; }
  const std::vector<bank_item>& items() const noexcept { return items_; }
  const bank_item& item(std::size_t index) const { return items_.at(index); }
  const irt::item_params& params(std::size_t index) const noexcept { return items_[index].params; }
  const std::string& id(std::size_t index) const noexcept { return items_[index].id; }

  /// Index of the item with this id, in constant time.
  std::optional<std::size_t> find(std::string_view id) const;

  /// The most categories of any item.
  int max_categories() const noexcept { return max_categories_; }
  /// True when every item is 1PL-4PL (the vectorised information pass covers all of them).
  bool all_dichotomous() const noexcept { return all_dichotomous_; }

  /// True for a profile bank (one with latent dimensions).
  bool multidimensional() const noexcept { return !info_.dimensions.empty(); }
  /// Number of latent dimensions (1 for a unidimensional bank).
  std::size_t dimensions() const noexcept { return info_.dimensions.empty() ? 1 : info_.dimensions.size(); }
  /// Index of the dimension with this id; empty when none (or the bank is unidimensional).
  std::optional<std::size_t> find_dimension(std::string_view id) const noexcept;
  /// Every item as a multidimensional table (a view into this bank). A unidimensional bank is
  /// the one-dimension case (slopes = the items' slopes).
  irt::multidim_table multidim_table() const noexcept { return multidim_.view(); }

  /// Content fingerprint: "sha256:<64 hex>" over D, ids and parameters in canonical text (and,
  /// for profile banks, the dimensions, slopes and latent structure). Stable across load/save
  /// and across platforms; metadata and content do not enter it.
  const std::string& fingerprint() const noexcept { return fingerprint_; }

  /// Fisher information of every item at theta into out (out.size() == size()). Dichotomous
  /// items go through a branch-free loop over the structure-of-arrays; others through
  /// irt::information. Allocates nothing.
  void information_at(double theta, std::span<double> out) const noexcept;

  /// Structure-of-arrays views (index = item index). For polytomous items slope is the slope,
  /// intercept is NaN and lower/upper are 0/1.
  std::span<const double> slopes() const noexcept { return slope_; }
  std::span<const double> intercepts() const noexcept { return intercept_; }
  std::span<const double> lowers() const noexcept { return lower_; }
  std::span<const double> uppers() const noexcept { return upper_; }
  /// Difficulty b of every item (for polytomous items: the mean of its thresholds/steps).
  std::span<const double> difficulties() const noexcept { return difficulty_; }

  /// Every item's parameters as an irt::item_table, what the estimators read (a view into this
  /// bank: valid while the bank is). The conversion lets a bank be passed where a table is asked.
  irt::item_table table() const noexcept { return table_.view(); }
  operator irt::item_table() const noexcept { return table_.view(); }

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  bank_info info_;
  std::vector<bank_item> items_;
  std::unordered_map<std::string, std::size_t, string_hash, std::equal_to<>> index_;
  std::vector<double> slope_, intercept_, lower_, upper_, difficulty_;
  std::vector<std::uint32_t> polytomous_;  // indices of non-dichotomous items
  irt::item_store table_;
  irt::multidim_store multidim_{1};
  int max_categories_ = 2;
  bool all_dichotomous_ = true;
  std::string fingerprint_;
};

using bank_ptr = std::shared_ptr<const item_bank>;

}  // namespace bank
DSKILL_END_NAMESPACE
