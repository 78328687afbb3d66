// dskill::cat registry of rules by name, with the built-ins registered on first use.
#include "dskill/cat/registry.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
namespace {
bool same_name(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

template <class Rule>
const typename rule_registry<Rule>::entry* rule_registry<Rule>::find(std::string_view name) const {
  for (const auto& e : entries_) {
    if (same_name(e.name, name)) return &e;
    for (const auto& a : e.aliases)
      if (same_name(a, name)) return &e;
  }
  return nullptr;
}

template <class Rule>
void rule_registry<Rule>::unknown(std::string_view name) const {
  std::vector<std::string> known;
  for (const auto& e : entries_) known.push_back(e.name);
  throw invalid_argument(fmt::format("unknown {} '{}'; registered: {}", kind_, name, fmt::join(known, ", ")));
}

template <class Rule>
void rule_registry<Rule>::add(std::string name, factory make, std::vector<std::string> aliases) {
  if (!make) throw invalid_argument(fmt::format("{} '{}' needs a factory", kind_, name));
  std::unique_lock lock(mutex_);
  aliases.insert(aliases.begin(), name);
  for (const auto& a : aliases) {
    // Names are written bare into canonical spec YAML.
    if (a.empty() || !std::all_of(a.begin(), a.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        }))
      throw invalid_argument(fmt::format("{} name '{}' must be letters, digits, '_', '-' or '.'", kind_, a));
    if (const auto* e = find(a))
      throw invalid_argument(fmt::format("{} '{}' is already registered{}", kind_, a,
                                         e->builtin ? " (a built-in rule cannot be replaced)" : ""));
  }
  aliases.erase(aliases.begin());
  entries_.push_back({std::move(name), std::move(aliases), std::move(make), sealing_builtins_});
}

template <class Rule>
bool rule_registry<Rule>::remove(std::string_view name) {
  std::unique_lock lock(mutex_);
  const auto* e = find(name);
  if (!e || e->builtin) return false;
  entries_.erase(entries_.begin() + (e - entries_.data()));
  return true;
}

template <class Rule>
bool rule_registry<Rule>::contains(std::string_view name) const {
  std::shared_lock lock(mutex_);
  return find(name) != nullptr;
}

template <class Rule>
std::string rule_registry<Rule>::canonical(std::string_view name) const {
  std::shared_lock lock(mutex_);
  const auto* e = find(name);
  if (!e) unknown(name);
  return e->name;
}

template <class Rule>
std::unique_ptr<Rule> rule_registry<Rule>::make(std::string_view name, const engine& eng) const {
  factory make;
  {
    std::shared_lock lock(mutex_);
    const auto* e = find(name);
    if (!e) unknown(name);
    make = e->make;  // called outside the lock: a factory may look up other rules
  }
  auto rule = make(eng);
  if (!rule) throw invalid_argument(fmt::format("the factory of {} '{}' made nothing", kind_, name));
  return rule;
}

template <class Rule>
std::vector<std::string> rule_registry<Rule>::names() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

template class rule_registry<start_rule>;
template class rule_registry<item_selector>;
template class rule_registry<estimator>;
template class rule_registry<stopping_rule>;

registry& registry::global() {
  // Never destroyed: user rules may hold objects (Python callables) that must not be released
  // after their runtime is gone.
  static registry* const r = [] {
    auto* g = new registry();
    detail::register_builtin_start_rules(g->start);
    detail::register_builtin_selectors(g->selectors);
    detail::register_builtin_estimators(g->estimators);
    detail::register_builtin_stopping_rules(g->stopping);
    g->start.sealing_builtins_ = g->selectors.sealing_builtins_ = g->estimators.sealing_builtins_ =
        g->stopping.sealing_builtins_ = false;
    return g;
  }();
  return *r;
}

}  // namespace cat
DSKILL_END_NAMESPACE
