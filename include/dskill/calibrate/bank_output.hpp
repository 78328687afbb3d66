// dskill::calibrate: from calibration results to an item bank (and back), and the small input
// files of the calibration commands (item model maps, person group or theta files).
#pragma once
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/fit.hpp"
#include "dskill/calibrate/multidim.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

struct bank_output_options {
  std::string id = "calibrated";
  std::string title;
  double scaling = 1.0;           ///< D of the written difficulty form
  std::string method;             ///< provenance method, e.g. "MML-EM 2PL (dskill)"
  std::string data;               ///< "real" | "simulated" | "" (not said)
  std::string date;               ///< ISO date; empty = today (UTC)
  std::string note;
  bank::item_status status = bank::item_status::operational;  ///< of items the template lacks
  bool standard_errors = true;    ///< write SEs into each item's meta (when computed)
  /// A bank whose items (matched by id) lend the written items their content, competences,
  /// level, status, enemies (those written), exposure, tags and metadata (less `se` and `fit`),
  /// and whose title (unless `title`), framework, languages and metadata (less `calibration`)
  /// the written bank takes: calibrating a bank's items keeps the bank. Not kept.
  const bank::item_bank* template_bank = nullptr;
};

/// What a written bank takes from a template (see bank_output_options::template_bank): the
/// bank-level fields into `info`, and item `id`'s fields (its enemies kept only when in
/// `written`), or a bare item with that id and `status` when the template lacks it.
void take_bank_fields(const bank::item_bank& template_bank, bank::bank_info& info, bool keep_title);
bank::bank_item take_item_fields(const bank::item_bank* template_bank, const std::string& id,
                                 const std::set<std::string>& written, bank::item_status status);

/// What merge_parameters did.
struct merge_report {
  std::size_t updated = 0;    ///< base items given the new parameters
  std::size_t added = 0;      ///< new items appended (add_new)
  std::size_t not_in_base = 0;  ///< new items left out (not add_new)
  std::size_t unchanged = 0;  ///< base items the new bank does not have
};

/// The base bank with the parameters of `calibrated` (a unidimensional bank, items matched by
/// id): each matched item keeps everything of the base (content, competences, level, status,
/// enemies, tags, metadata) but its parameters, model, `se` and `fit`, which come from
/// `calibrated`. Its meta `parameters_from` says where the new parameters come from (the
/// calibrated bank's id and provenance, the merge date) and its previous parameters, with where
/// they came from, are appended to its meta `history`, so a bank says where every set of
/// parameters an item ever had came from. Items
/// only in `calibrated` are appended with `new_status` when add_new, else counted and left out.
/// Throws invalid_argument for profile banks and different scaling constants.
bank::item_bank merge_parameters(const bank::item_bank& base, const bank::item_bank& calibrated, bool add_new,
                                 bank::item_status new_status, const std::string& date, merge_report* report = nullptr);

/// A bank of the calibrated items: parameters, SEs (item meta `se`, difficulty form at D),
/// S-X2 (item meta `fit`) when given, fit statistics in the provenance and the bank meta
/// `calibration`. Throws invalid_argument when PCM items are asked for D != 1 (a PCM slope is 1).
bank::item_bank make_bank(const result& res, const std::vector<std::string>& item_ids,
                          const bank_output_options& opts, const std::vector<sx2_item>* fit = nullptr,
                          const options* used = nullptr);

/// How make_profile_bank writes a multidimensional calibration as a profile bank.
struct profile_bank_options {
  std::string id = "calibrated";
  std::string title;   ///< empty: the template's title (every language)
  std::string method;  ///< provenance method; empty = models, dimensions and integration
  std::string data;    ///< "real" | "simulated" | "" (not said)
  std::string date;    ///< ISO date; empty = today (UTC)
  std::string note;    ///< provenance note; empty = the fit summary
  bank::item_status status = bank::item_status::operational;  ///< of items the template lacks
  bool standard_errors = true;  ///< write SEs into each item's meta (when computed)
  /// The framework area each dimension (primary factors, then specifics) reports, "" for none;
  /// empty = none at all. See match_areas.
  std::vector<std::string> areas;
  /// A bank whose items (matched by id) lend the written items their content, competences,
  /// level, status, enemies (those written), exposure, tags and metadata (less its `se` and
  /// `fit`), and whose title, framework, languages and metadata (less `calibration`) the written
  /// bank takes. Not kept.
  const bank::item_bank* template_bank = nullptr;
  /// M2 fit, written into the bank meta `calibration` when given.
  std::optional<multidim::m2_fit> m2;
};

/// The framework area each dimension of structure `s` reports (primary factors, then specifics;
/// "" for none): first `explicit_areas` (dimension name -> area), then a dimension named as an
/// area of `framework_areas`, then the one area shared by every template item (by id, its
/// `area` filled when it was loaded with a framework) that measures this dimension alone (a
/// general factor aside), unless another dimension would take it. A bifactor's general factor
/// reports none. Throws invalid_argument for an explicit entry naming no dimension, the general
/// factor, an area not in `framework_areas` (when given), or an area given twice.
std::vector<std::string> match_areas(const multidim::structure& s, std::span<const std::string> item_ids,
                                     const bank::item_bank* template_bank, std::span<const std::string> framework_areas,
                                     const std::map<std::string, std::string>& explicit_areas);

/// A profile bank of a multidimensional calibration: one dimension per factor (id = its name;
/// role general for a bifactor's one primary factor, specific for specifics, area otherwise),
/// `latent.correlation` the estimated correlations, each item's slopes (an item on one
/// dimension is written as `dimension:` and difficulty form), D = 1, provenance, the bank meta
/// `calibration` (fit, integration, correlation SEs), and each item's SEs in its meta `se` in
/// the slope-intercept form of the calibration (`form: intercept`). Throws invalid_argument for
/// inconsistent inputs, bank_error for parameters a bank cannot hold.
bank::item_bank make_profile_bank(const multidim::result& res, const multidim::structure& s,
                                  const std::vector<std::string>& item_ids, const profile_bank_options& opts,
                                  const multidim::options* used = nullptr);

/// Items appended to (or replacing items of) an existing bank, e.g. pretest items with
/// status pretest. Items whose id is already in the bank are kept from the bank.
bank::item_bank extend_bank(const bank::item_bank& base, const std::vector<item_estimate>& items,
                            const std::vector<std::string>& item_ids, bank::item_status status,
                            const std::string& note);

/// Reads an item-model map: YAML `{item_id: model, ...}`, optionally under a top-level `models:`
/// key. Throws parse_error (with file and line) for an unknown model or a malformed file.
std::map<std::string, irt::model> read_model_map(const std::string& path);

/// Reads a two-column CSV (header, then `person_id,value`): person groups or abilities.
std::map<std::string, std::string> read_person_values(const std::string& path);

/// Writes estimates as CSV: item,model,a,b1..bK,c,d,se_a,se_b1..,se_c,se_d (difficulty form at D).
void write_params_csv(const std::string& path, const std::vector<item_estimate>& items,
                      const std::vector<std::string>& item_ids, double scaling = 1.0);

}  // namespace calibrate
DSKILL_END_NAMESPACE
