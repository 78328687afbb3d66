// dskill::cat built-in estimator: a thin adapter over the specification's estimate::options
// (EAP through a precomputed scorer; ML, MAP and WLE through estimate_theta).
#include <limits>

#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
namespace {

class options_estimator final : public estimator {
 public:
  explicit options_estimator(const engine& e) {
    if (e.spec().estimator.estimator == estimate::method::eap)
      eap_ = std::make_unique<estimate::eap_scorer>(e.bank(), e.spec().estimator);
  }

  estimate::result estimate(const engine& e, std::span<const estimate::response> responses) const noexcept override {
    const auto& spec = e.spec();
    if (responses.empty()) {
      estimate::result r;
      r.theta = spec.start.theta;
      const auto& pr = spec.estimator.prior_;
      const bool bayes = spec.estimator.estimator == estimate::method::eap ||
                         (spec.estimator.estimator == estimate::method::map && pr.kind == prior_kind::normal);
      r.se = bayes && pr.kind == prior_kind::normal ? pr.sd : std::numeric_limits<double>::infinity();
      if (eap_ && pr.kind != prior_kind::normal) r.se = (*eap_)(responses).se;
      r.state = estimate::status::no_responses;
      return r;
    }
    if (eap_) {
      auto& ws = detail::scratch();
      ws.ensure(0, eap_->nodes(), 0, 0);
      return (*eap_)(responses, std::span<double>(ws.grid_a.data(), eap_->nodes()));
    }
    return estimate::estimate_theta(e.bank(), responses, spec.estimator);
  }

 private:
  std::unique_ptr<estimate::eap_scorer> eap_;
};

}  // namespace

void detail::register_builtin_estimators(rule_registry<estimator>& r) {
  const auto make = [](const engine& e) -> std::unique_ptr<estimator> { return std::make_unique<options_estimator>(e); };
  for (const auto m : {estimate::method::eap, estimate::method::map, estimate::method::ml, estimate::method::wle})
    r.add(std::string(estimate::to_string(m)), make);
}

}  // namespace cat
DSKILL_END_NAMESPACE
