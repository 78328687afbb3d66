// dskill::score: the level scheme of a competency framework (levels.hpp from framework.hpp).
#pragma once
#include <memory>
#include <string_view>

#include "dskill/framework/framework.hpp"
#include "dskill/score/levels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

/// Builds the level scheme of a framework: its areas and cut scores (per-area overrides
/// included), levels, competences, and its certification rules (the decision is the
/// framework's own `certify`, so the rules stay data). Names are taken in `language`, else
/// English, else the first given.
std::shared_ptr<const level_scheme> from_framework(std::shared_ptr<const framework::framework> fw,
                                                   std::string_view language = "en");

}  // namespace score
DSKILL_END_NAMESPACE
