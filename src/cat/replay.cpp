// dskill::cat replay: a recorded test run again from its seed, answers and exposure state.
#include "dskill/cat/replay.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dskill/cat/session.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

namespace {

bool same(double a, double b, double tolerance) noexcept {
  if (a == b || (std::isnan(a) && std::isnan(b))) return true;  // infinite SEs included
  return std::abs(a - b) <= tolerance * std::max({1.0, std::abs(a), std::abs(b)});
}

// The record's indices and categories against the bank, so that a record that does not fit is an
// error with its step, not a difference.
void check_fits(const engine& eng, const session_record& rec) {
  const auto& bank = eng.bank();
  const std::size_t n = bank.size();
  if (rec.origins.size() != rec.history.size())
    throw invalid_argument(fmt::format("the record has {} answers but {} item origins", rec.history.size(), rec.origins.size()));
  for (std::size_t k = 0; k < rec.history.size(); ++k) {
    const auto& h = rec.history[k];
    if (h.item >= n) throw invalid_argument(fmt::format("step {} of the record names item index {}, outside the bank ({} items)", k + 1, h.item, n));
    if (h.category < 0 || h.category >= bank.params(h.item).categories())
      throw invalid_argument(fmt::format("step {} of the record answers item '{}' with category {} (it has 0..{})", k + 1, bank.id(h.item),
                                         h.category, bank.params(h.item).categories() - 1));
  }
  if (rec.pending && *rec.pending >= n)
    throw invalid_argument(fmt::format("the record's pending item index {} is outside the bank ({} items)", *rec.pending, n));
}

std::string item_text(const bank::item_bank& bank, std::optional<std::uint32_t> item) {
  return item ? fmt::format("'{}'", bank.id(*item)) : std::string("no item");
}

}  // namespace

replay_result replay(const std::shared_ptr<const engine>& eng, const session_record& rec, double tolerance) {
  if (!eng) throw invalid_argument("replay needs an engine");
  if (!(tolerance >= 0)) throw invalid_argument(fmt::format("replay tolerance {} must be 0 or more", tolerance));
  const auto& bank = eng->bank();
  if (rec.bank_fingerprint != bank.fingerprint())
    throw invalid_argument(fmt::format("the record was made over bank {}, not this bank ({})", rec.bank_fingerprint, bank.fingerprint()));
  if (rec.spec_hash != eng->spec_hash())
    throw invalid_argument(fmt::format("the record was made under another test specification ({}) than this one ({})", rec.spec_hash,
                                       eng->spec_hash()));
  // Format-1 records carry no Sympson-Hetter hash: nothing to compare then.
  if (!rec.sympson_hetter.empty() && rec.sympson_hetter != eng->sympson_hetter_hash())
    throw invalid_argument("the record was made under other Sympson-Hetter parameters than this engine's");
  if (eng->spec().exposure.restricted_max > 0 && rec.exposure.unrecorded() > 0)
    throw invalid_argument(fmt::format(
        "the record holds no exposure state for its first {} engine steps (snapshot format 1 kept none), so under "
        "progressive-restricted exposure control it cannot be replayed",
        rec.exposure.unrecorded()));
  check_fits(*eng, rec);

  // The replaying session reads the recorded exposure state and counts nothing into eng's
  // tracker.
  session s(eng, rec.seed);
  s.replaying_ = &rec.exposure;

  replay_result out;
  out.recorded_reason = rec.reason;
  auto differ = [&](std::size_t at, std::string what) {
    if (out.first_difference) return;
    out.first_difference = at;
    out.difference = std::move(what);
  };
  const std::size_t total = rec.history.size() + (rec.pending ? 1 : 0);
  for (std::size_t k = 0; k < total; ++k) {
    replay_step st;
    st.number = k + 1;
    st.answered = k < rec.history.size();
    st.origin = st.answered ? rec.origins[k] : rec.pending_origin;
    st.recorded_item = st.answered ? rec.history[k].item : *rec.pending;
    if (st.answered) {
      st.category = rec.history[k].category;
      st.recorded_theta = rec.history[k].theta;
      st.recorded_se = rec.history[k].se;
    }
    std::string refused;
    if (st.origin == item_origin::engine) {
      const auto next = s.next_item();
      st.item = next.item;
      if (!next.item) out.reason = next.reason;
    } else {
      try {
        s.administer(st.recorded_item, st.origin == item_origin::administered_override);
        st.item = st.recorded_item;
      } catch (const state_error& e) {
        refused = e.detail();
      }
    }
    if (st.item != st.recorded_item) {
      // The recorded answers are answers to other items from here on: the replay stops.
      out.steps.push_back(st);
      differ(k, !refused.empty() ? fmt::format("step {}: the record administers {}, which the replay refuses: {}", st.number,
                                               item_text(bank, st.recorded_item), refused)
                 : st.item        ? fmt::format("step {}: the record gives item {}, the replay {}", st.number,
                                                item_text(bank, st.recorded_item), item_text(bank, st.item))
                                  : fmt::format("step {}: the record gives item {}, the replay's test has ended ({})", st.number,
                                                item_text(bank, st.recorded_item), to_string(out.reason)));
      return out;
    }
    if (st.answered) {
      s.record_response(st.recorded_item, st.category);
      st.theta = s.theta();
      st.se = s.se();
      st.matches = same(st.theta, st.recorded_theta, tolerance) && same(st.se, st.recorded_se, tolerance);
      if (!st.matches)
        differ(k, fmt::format("step {}: item {} answered {} gives theta {} (SE {}), the record {} (SE {})", st.number,
                              item_text(bank, st.item), st.category, st.theta, st.se, st.recorded_theta, st.recorded_se));
    } else {
      st.matches = true;
    }
    out.steps.push_back(st);
  }
  // The end of the record: the same finish (or none yet), set-aside items and random state.
  const std::size_t end = out.steps.size();
  if (rec.reason != finish_reason::not_finished) {
    const auto next = s.next_item();
    out.reason = next.reason;
    if (next.item)
      differ(end, fmt::format("the record's test ended ({}) where the replay gives item {}", to_string(rec.reason), item_text(bank, next.item)));
    else if (next.reason != rec.reason)
      differ(end, fmt::format("the record's test ended with {}, the replay's with {}", to_string(rec.reason), to_string(next.reason)));
  }
  if (!std::equal(s.set_aside().begin(), s.set_aside().end(), rec.set_aside.begin(), rec.set_aside.end()))
    differ(end, "the items set aside by Sympson-Hetter differ");
  if (s.random_state().state() != rec.rng_state) differ(end, "the random state at the end differs");
  if (!(s.exposure_state() == rec.exposure)) differ(end, "the exposure log has steps the replay did not take");
  return out;
}

}  // namespace cat
DSKILL_END_NAMESPACE
