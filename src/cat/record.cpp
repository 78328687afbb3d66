// dskill::cat session records: the exposure log's delta coding and the record of a session.
#include "dskill/cat/record.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "dskill/cat/session.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

std::string_view to_string(item_origin o) noexcept {
  switch (o) {
    case item_origin::engine: return "engine";
    case item_origin::administered: return "administered";
    case item_origin::administered_override: return "administered_override";
  }
  return "unknown";
}

void apply_exposure_changes(std::vector<std::uint32_t>& set, std::span<const std::uint32_t> changes) {
  if (changes.empty()) return;
  std::vector<std::uint32_t> out;
  out.reserve(set.size() + changes.size());
  std::set_symmetric_difference(set.begin(), set.end(), changes.begin(), changes.end(), std::back_inserter(out));
  set.swap(out);
}

exposure_log exposure_log::from_parts(std::uint32_t unrecorded, std::vector<std::uint32_t> counts,
                                      std::vector<std::uint32_t> changes, std::size_t items) {
  exposure_log log;
  log.unrecorded_ = unrecorded;
  log.ends_.reserve(counts.size());
  std::size_t at = 0;
  for (auto c : counts) {
    if (c > changes.size() - at) throw invalid_argument("exposure log: the step counts exceed the changes");
    for (std::size_t k = at; k < at + c; ++k) {
      if (changes[k] >= items) throw invalid_argument(fmt::format("exposure log: item {} is outside the bank ({} items)", changes[k], items));
      if (k > at && changes[k] <= changes[k - 1]) throw invalid_argument("exposure log: a step's items are not increasing");
    }
    apply_exposure_changes(log.last_, std::span(changes).subspan(at, c));
    at += c;
    log.ends_.push_back(static_cast<std::uint32_t>(at));
  }
  if (at != changes.size()) throw invalid_argument("exposure log: changes left over after the last step");
  log.counts_ = std::move(counts);
  log.changes_ = std::move(changes);
  return log;
}

std::span<const std::uint32_t> exposure_log::changes_at(std::size_t step) const {
  if (step < unrecorded_ || step >= steps())
    throw invalid_argument(fmt::format("exposure log: step {} is not recorded (steps {}..{})", step, unrecorded_, steps()));
  const std::size_t k = step - unrecorded_;
  const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
  return std::span(changes_).subspan(begin, ends_[k] - begin);
}

std::vector<std::uint32_t> exposure_log::at(std::size_t step) const {
  if (step < unrecorded_ || step >= steps())
    throw invalid_argument(fmt::format("exposure log: step {} is not recorded (steps {}..{})", step, unrecorded_, steps()));
  std::vector<std::uint32_t> set;
  for (std::size_t k = unrecorded_; k <= step; ++k) apply_exposure_changes(set, changes_at(k));
  return set;
}

void exposure_log::append(std::span<const std::uint32_t> over_exposed) {
  const auto before = changes_.size();
  std::set_symmetric_difference(last_.begin(), last_.end(), over_exposed.begin(), over_exposed.end(), std::back_inserter(changes_));
  counts_.push_back(static_cast<std::uint32_t>(changes_.size() - before));
  ends_.push_back(static_cast<std::uint32_t>(changes_.size()));
  last_.assign(over_exposed.begin(), over_exposed.end());
}

void exposure_log::skip_unrecorded(std::size_t steps) {
  if (!counts_.empty()) throw invalid_argument("exposure log: unrecorded steps can only come first");
  unrecorded_ += static_cast<std::uint32_t>(steps);
}

// ---- the record of a session -------------------------------------------------------------------

session_record session::record() const {
  session_record r;
  r.bank_fingerprint = engine_->bank().fingerprint();
  r.spec_hash = engine_->spec_hash();
  r.spec_yaml = engine_->spec_yaml();
  r.sympson_hetter = engine_->sympson_hetter_hash();
  r.seed = seed_;
  r.rng_state = rng_.state();
  r.history = history_;
  r.origins = origins_;
  r.set_aside = set_aside_;
  r.pending = pending_;
  r.pending_origin = pending_origin_;
  r.theta = theta_;
  r.se = se_;
  r.status = status_;
  r.reason = reason_;
  r.started = started_;
  r.exposure = exposure_;
  return r;
}

}  // namespace cat
DSKILL_END_NAMESPACE
