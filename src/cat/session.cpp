// dskill::cat session: the per-examinee state machine over a shared engine.
#include "dskill/cat/session.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

session::session(std::shared_ptr<const engine> eng, std::uint64_t seed) : engine_(std::move(eng)), seed_(seed), rng_(seed) {
  if (!engine_) throw invalid_argument("a session needs an engine");
  reestimate();
  const int cap = std::min(engine_->spec().stopping.max_items, 256);
  responses_.reserve(static_cast<std::size_t>(cap));
  history_.reserve(static_cast<std::size_t>(cap));
  origins_.reserve(static_cast<std::size_t>(cap));
}

session::session(bank::bank_ptr bank, test_spec spec, std::uint64_t seed)
    : session(engine::create(std::move(bank), std::move(spec)), seed) {}

selection_state session::state() const noexcept {
  selection_state s;
  s.responses = responses_;
  s.excluded = set_aside_;
  s.theta = theta_;
  s.se = se_;
  if (engine_->profile()) {
    const auto dims = static_cast<std::size_t>(ptheta_.size());
    s.profile_theta = std::span<const double>(ptheta_.data(), dims);
    s.profile_covariance = std::span<const double>(pcov_.data(), dims * dims);  // symmetric: either order
  }
  return s;
}

step_result session::next_item() {
  if (pending_) return {pending_, finish_reason::not_finished};
  if (finished()) return {std::nullopt, reason_};
  auto st = state();
  if (engine_->spec().exposure.restricted_max > 0) {
    // Progressive-restricted control reads counts that other sessions move: read them once for
    // the whole step and keep what was read, so that the test can be replayed (a replay reads
    // its record instead).
    thread_local std::vector<std::uint32_t> now;
    const std::size_t step = exposure_.steps();
    if (replaying_) {
      now.assign(exposure_.last().begin(), exposure_.last().end());
      if (step >= replaying_->unrecorded() && step < replaying_->steps()) apply_exposure_changes(now, replaying_->changes_at(step));
    } else if (has_external_exposure_) {
      now.assign(external_exposure_.begin(), external_exposure_.end());
    } else {
      engine_->over_exposed_items(now);
    }
    exposure_.append(now);
    st.over_exposed = exposure_.last();
  }
  step_result r;
  {
    const detail::replay_scope scope(replaying_ != nullptr);  // a replay is not an administration
    r = engine_->step(st, rng_, &set_aside_);
  }
  if (!r.item) {
    reason_ = r.reason;
    return r;
  }
  count_administered(*r.item);
  pending_ = r.item;
  pending_origin_ = item_origin::engine;
  return r;
}

void session::count_administered(std::uint32_t item) {
  const bool first = !started_;
  started_ = true;
  if (replaying_) return;
  if (first) engine_->exposure().session_started();
  engine_->exposure().administered(item);
}

void session::reestimate() {
  if (engine_->profile()) {
    // One profile estimate; the scalar summary is engine::estimate's (first theta, largest SE).
    const auto p = engine_->estimate_profile(responses_);
    ptheta_ = p.theta;
    pcov_ = p.covariance;
    theta_ = p.theta[0];
    se_ = p.se.maxCoeff();
    status_ = p.state;
    return;
  }
  const auto est = engine_->estimate(responses_);
  theta_ = est.theta;
  se_ = est.se;
  status_ = est.state;
  ptheta_ = estimate::profile_vector::Constant(1, theta_);
  pcov_ = estimate::profile_matrix::Constant(1, 1, se_ * se_);
}

bool session::record_response(std::uint32_t item, int category) {
  const auto& bank = engine_->bank();
  if (item >= bank.size()) throw invalid_argument(fmt::format("item index {} is outside the bank ({} items)", item, bank.size()));
  if (category < 0 || category >= bank.params(item).categories())
    throw invalid_argument(fmt::format("item '{}' has categories 0..{}, got {}", bank.id(item), bank.params(item).categories() - 1,
                                       category));
  for (const auto& r : responses_)
    if (r.item == item) {
      if (r.category == category) return false;
      throw state_error(fmt::format("item '{}' was already answered with category {}; a different answer ({}) is refused",
                                    bank.id(item), r.category, category));
    }
  if (!pending_ || *pending_ != item)
    throw state_error(fmt::format("item '{}' was not offered{}", bank.id(item),
                                  pending_ ? fmt::format(" (the pending item is '{}')", bank.id(*pending_)) : std::string()));
  responses_.push_back({item, category});
  origins_.push_back(pending_origin_);
  pending_.reset();
  pending_origin_ = item_origin::engine;
  reestimate();
  history_.push_back({item, category, theta_, se_});
  return true;
}

bool session::administer(std::uint32_t item, bool override_constraints) {
  const auto& bank = engine_->bank();
  if (item >= bank.size()) throw invalid_argument(fmt::format("item index {} is outside the bank ({} items)", item, bank.size()));
  if (pending_) {
    if (*pending_ == item) return false;
    throw state_error(fmt::format("item '{}' is pending; record its answer before administering '{}'", bank.id(*pending_),
                                  bank.id(item)));
  }
  if (finished()) throw state_error(fmt::format("the test is over ({}); item '{}' cannot be given", to_string(reason_), bank.id(item)));
  for (const auto& r : responses_)
    if (r.item == item) throw state_error(fmt::format("item '{}' was already answered", bank.id(item)));
  if (!override_constraints) {
    auto refuse = [&](std::string_view why) {
      return state_error(fmt::format("item '{}' {} (administer it with override_constraints to give it anyway)", bank.id(item), why));
    };
    if (!engine_->usable(item)) throw refuse("is not usable under this specification (status)");
    for (const auto& r : responses_)
      for (auto j : engine_->enemies_of(r.item))
        if (j == item) throw refuse(fmt::format("is an enemy of the answered item '{}'", bank.id(r.item)));
    if (std::find(set_aside_.begin(), set_aside_.end(), item) != set_aside_.end()) throw refuse("was set aside by Sympson-Hetter");
  }
  count_administered(item);
  pending_ = item;
  pending_origin_ = override_constraints ? item_origin::administered_override : item_origin::administered;
  return true;
}

bool session::administer(std::string_view item_id, bool override_constraints) {
  const auto idx = engine_->bank().find(item_id);
  if (!idx) throw invalid_argument(fmt::format("the bank has no item '{}'", item_id));
  return administer(static_cast<std::uint32_t>(*idx), override_constraints);
}

bool session::record_response(std::string_view item_id, int category) {
  const auto idx = engine_->bank().find(item_id);
  if (!idx) throw invalid_argument(fmt::format("the bank has no item '{}'", item_id));
  return record_response(static_cast<std::uint32_t>(*idx), category);
}

classification session::classify() const { return engine_->classify(state()); }

std::vector<classification> session::classify_areas() const {
  std::vector<classification> out(engine_->stopping_dimensions().size());
  engine_->classify_areas(state(), out);
  return out;
}

bool session::same_state(const session& o) const noexcept {
  return responses_ == o.responses_ && history_ == o.history_ && set_aside_ == o.set_aside_ && origins_ == o.origins_ &&
         pending_ == o.pending_ && pending_origin_ == o.pending_origin_ && exposure_ == o.exposure_ &&
         (theta_ == o.theta_) && (se_ == o.se_ || (se_ != se_ && o.se_ != o.se_)) && status_ == o.status_ &&
         ptheta_.size() == o.ptheta_.size() && (!engine_->profile() || (ptheta_ == o.ptheta_ && pcov_ == o.pcov_)) &&
         reason_ == o.reason_ && started_ == o.started_ && seed_ == o.seed_ && rng_ == o.rng_;
}

}  // namespace cat
DSKILL_END_NAMESPACE
