// dskill: one answered item, the unit every estimator, CAT session and scorer works on. It lives
// in core so that cat and score can name it without depending on estimate.
#pragma once
#include <cstdint>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE

/// One answered item: its index in the bank and the category (0..K-1) given.
struct response {
  std::uint32_t item = 0;
  std::int32_t category = 0;
  friend bool operator==(const response&, const response&) = default;
};

DSKILL_END_NAMESPACE
