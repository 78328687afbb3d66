// dskill::serve: open_store, the dispatch on a store's address.
#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/serve/store.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {

std::unique_ptr<store> open_store(std::string_view address, int connections) {
  if (connections < 1)
    throw invalid_argument(fmt::format("store: connections must be at least 1 (got {})", connections));
  if (address.find('\0') != std::string_view::npos)
    throw invalid_argument("store: the address contains a NUL character");
  if (address.starts_with("sqlite:")) return open_sqlite_store(std::string(address.substr(7)), connections);
  if (address.starts_with("postgresql://") || address.starts_with("postgres://"))
    return open_postgres_store(std::string(address), connections);
  // Quote the address only up to a length, and never what may be a password after it.
  std::string shown(address.substr(0, 60));
  if (const auto at = shown.find('@'); at != std::string::npos) shown = shown.substr(at + 1);
  throw invalid_argument(fmt::format(
      "store: '{}' is not a store address; the kinds accepted are sqlite:PATH, postgresql://... and postgres://...",
      shown));
}

}  // namespace serve
DSKILL_END_NAMESPACE
