// dskill::report: a self-contained HTML document (inline CSS and SVG; no scripts, no network)
// built from sections, paragraphs, figures, tables and key-value facts. Prints well: figures
// and tables are not split across pages.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {

class html_document {
 public:
  explicit html_document(std::string title);

  /// A fact shown in the header (bank id, fingerprint, date of the data...).
  void fact(std::string key, std::string value);
  /// Starts a new section (listed in the contents); `id` is its anchor.
  void section(std::string id, std::string title);
  /// A paragraph of plain text (escaped).
  void paragraph(const std::string& text);
  /// A highlighted note (warnings: simulated data, missing inputs, flagged items).
  void note(const std::string& text);
  /// An inline SVG figure with a caption (plain text).
  void figure(std::string svg, const std::string& caption = {});
  /// A table of plain-text cells; columns whose cells all look numeric are right-aligned.
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
             const std::string& caption = {});

  /// The complete document.
  std::string render() const;

 private:
  struct section_data {
    std::string id, title, body;
  };
  section_data& current();
  std::string title_;
  std::vector<std::pair<std::string, std::string>> facts_;
  std::vector<section_data> sections_;
};

}  // namespace report
DSKILL_END_NAMESPACE
