// Internal: the prerequisite graph of a framework (Boost.Graph), shared by the framework class
// and the framework file reader (which reports cycles with their position).
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework::detail {

/// Vertices 0..n-1; an edge (p, c) means p is a prerequisite of c. Returns the vertices of a
/// cycle in edge order (v0 -> v1 -> ... -> v0, v0 not repeated), or empty when there is none.
std::vector<std::size_t> find_cycle(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges);

}  // namespace framework::detail
DSKILL_END_NAMESPACE
