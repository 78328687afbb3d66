// dskill::cat: rules by name. A specification names its start rule, selector, estimator and
// stopping rules; an engine makes them through these registries at construction. Every
// built-in rule is registered under the name the spec YAML uses; a user registers more (from
// C++ or Python) before loading the specifications that name them:
//
//   cat::register_selector("closest_b_plus", [](const cat::engine& e) {
//     return std::make_unique<my_selector>(e.bank());
//   });
//   // selection: {rule: closest_b_plus} now works in a spec YAML
//
// Names are matched without regard to case; an unknown name is an invalid_argument listing the
// registered names (with a did-you-mean). Registering a name that is taken is refused: a user
// rule cannot silently replace a built-in and change what an existing specification means.
// Lookups and registrations are thread-safe; lookups happen at parse and engine construction,
// never during a step.
#pragma once
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/cat/rules.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// The registered rules of one kind.
template <class Rule>
class rule_registry {
 public:
  /// Makes the rule for an engine whose core tables are built (bank, specification, enemies,
  /// blueprint groups); the rule may precompute tables of its own here.
  using factory = std::function<std::unique_ptr<Rule>(const engine&)>;

  /// `kind` names the registry in messages ("selection rule").
  explicit rule_registry(std::string kind) : kind_(std::move(kind)) {}
  rule_registry(const rule_registry&) = delete;
  rule_registry& operator=(const rule_registry&) = delete;

  /// Registers `name` (and `aliases`). Throws invalid_argument when a name is empty or taken.
  void add(std::string name, factory make, std::vector<std::string> aliases = {});
  /// Removes a user registration (built-ins stay). Returns whether the name was registered.
  bool remove(std::string_view name);
  bool contains(std::string_view name) const;
  /// The registered spelling of a name or alias; throws invalid_argument for an unknown name.
  std::string canonical(std::string_view name) const;
  /// A new rule of that name for the engine; throws invalid_argument for an unknown name.
  std::unique_ptr<Rule> make(std::string_view name, const engine& eng) const;
  /// Registered names (aliases aside), in registration order.
  std::vector<std::string> names() const;

 private:
  struct entry {
    std::string name;
    std::vector<std::string> aliases;
    factory make;
    bool builtin = false;
  };
  const entry* find(std::string_view name) const;
  [[noreturn]] void unknown(std::string_view name) const;
  friend struct registry;

  std::string kind_;
  mutable std::shared_mutex mutex_;
  std::vector<entry> entries_;
  bool sealing_builtins_ = true;  // registrations are built-ins until the global registry is ready
};

extern template class rule_registry<start_rule>;
extern template class rule_registry<item_selector>;
extern template class rule_registry<estimator>;
extern template class rule_registry<stopping_rule>;

/// The four registries.
struct registry {
  rule_registry<start_rule> start{"start rule"};
  rule_registry<item_selector> selectors{"selection rule"};
  rule_registry<estimator> estimators{"estimator"};
  rule_registry<stopping_rule> stopping{"stopping rule"};

  /// The process-wide registry, with every built-in rule registered on first use.
  static registry& global();

 private:
  registry() = default;
};

/// Shorthands for registry::global().
inline void register_start_rule(std::string name, rule_registry<start_rule>::factory make) {
  registry::global().start.add(std::move(name), std::move(make));
}
inline void register_selector(std::string name, rule_registry<item_selector>::factory make) {
  registry::global().selectors.add(std::move(name), std::move(make));
}
inline void register_estimator(std::string name, rule_registry<estimator>::factory make) {
  registry::global().estimators.add(std::move(name), std::move(make));
}
inline void register_stopping_rule(std::string name, rule_registry<stopping_rule>::factory make) {
  registry::global().stopping.add(std::move(name), std::move(make));
}

}  // namespace cat
DSKILL_END_NAMESPACE
