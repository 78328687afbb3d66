// dskill::cat::rng: the project's random number generator, which lives in core (see
// dskill/core/rng.hpp). Kept so that code naming cat::rng, cat::splitmix64 and cat::derive_seed
// keeps compiling; new code should use dskill::core.
#pragma once
#include "dskill/core/rng.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
using core::derive_seed;
using core::rng;
using core::splitmix64;
}  // namespace cat
DSKILL_END_NAMESPACE
