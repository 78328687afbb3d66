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

#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {

/// Life-cycle status of an item.
enum class item_status : std::uint8_t { operational, pretest, retired };
std::string_view to_string(item_status s) noexcept;

/// One item with everything the engine needs to select, score and report it.
struct bank_item {
  std::string id;
  irt::item_params params;                ///< slope-intercept form, logit scale (D applied)
  std::vector<std::string> competences;   ///< competence ids in the bank's framework
  std::string area;                       ///< competence area id (filled from the framework)
  int level = 0;                          ///< intended proficiency level; 0 = not given
  item_status status = item_status::operational;
  std::vector<std::string> enemies;       ///< ids of items never given in the same test
  double exposure_control = 1.0;          ///< Sympson-Hetter administration probability k_i
  std::vector<std::string> tags;
};

/// Bank-level metadata.
struct bank_info {
  std::string id;
  std::string title;
  std::string version;
  std::string framework_id;
  std::string framework_version;
  std::vector<std::string> languages;
  double scaling = 1.0;  ///< the scaling constant D the authors' parameters use (1 or 1.702)
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

  /// Content fingerprint: "sha256:<64 hex>" over D, ids and parameters in canonical text.
  /// Stable across load/save and across platforms; metadata and content do not enter it.
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
  int max_categories_ = 2;
  bool all_dichotomous_ = true;
  std::string fingerprint_;
};

using bank_ptr = std::shared_ptr<const item_bank>;

}  // namespace bank
DSKILL_END_NAMESPACE
