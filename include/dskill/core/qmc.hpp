// dskill::core: quasi-Monte Carlo points for integrals over normal latent variables, shared by
// the profile EAP (estimate/multidim) and QMC-EM (calibrate/multidim): the Halton sequence (the
// radical inverses of 1, 2, 3, ... in the first primes as bases), optionally shifted modulo 1 by
// one vector (a Cranley-Patterson rotation), through the standard normal quantile
// (core::normal_quantile). Deterministic and the same on every platform.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// Dimensions the Halton points support (one prime base each: 2, 3, 5, ..., 131).
inline constexpr std::size_t max_halton_dimensions = 32;

/// The Halton base of dimension d (the (d + 1)-th prime). Requires d < max_halton_dimensions
/// (throws invalid_argument).
unsigned halton_base(std::size_t d);

/// The radical inverse of index in base (its base-`base` digits mirrored about the point), in
/// [0, 1). Requires base >= 2.
double radical_inverse(std::uint64_t index, unsigned base) noexcept;

/// Fills `out` (row-major, out.size() / dims points) with Halton points 1, 2, ... in dims
/// dimensions, each coordinate u plus shift[d] (when given) modulo 1, kept within
/// [1e-16, 1 - 1e-16], through the standard normal quantile. Throws invalid_argument for
/// dims = 0 or beyond max_halton_dimensions, a size not a multiple of dims, or a shift of
/// another size. Allocates nothing.
void halton_normal(std::span<double> out, std::size_t dims, std::span<const double> shift = {});

/// n such points, row-major n x dims.
std::vector<double> halton_normal(std::size_t n, std::size_t dims, std::span<const double> shift = {});

}  // namespace core
DSKILL_END_NAMESPACE
