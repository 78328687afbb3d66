// dskill: text given in several languages ({en: "...", vi: "..."}), in the order written.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE

/// A text in several languages, kept in file order (so a bank saves back as written).
/// A plain string in a file is stored under the empty language tag "".
struct localized_text {
  std::vector<std::pair<std::string, std::string>> values;  ///< (language tag, text)

  /// The text in this language, or nullptr.
  const std::string* find(std::string_view language) const noexcept {
    for (const auto& [lang, text] : values)
      if (lang == language) return &text;
    return nullptr;
  }
  /// The text in `language`, else in English, else the first one; empty if there is none.
  std::string_view get(std::string_view language = "en") const noexcept {
    if (const auto* t = find(language)) return *t;
    if (const auto* t = find("en")) return *t;
    return values.empty() ? std::string_view{} : std::string_view{values.front().second};
  }
  bool empty() const noexcept { return values.empty(); }
  friend bool operator==(const localized_text&, const localized_text&) = default;
};

DSKILL_END_NAMESPACE
