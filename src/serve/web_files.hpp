// The page's files (src/serve/web), compiled into the library by cmake/embed_files.cmake so
// that the service needs no files beside the binary and no network at run time.
#pragma once
#include <cstddef>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve::detail {

struct web_file {
  std::string_view path;  ///< as requested: "/", "/app.js", ...
  std::string_view text;
};
extern const web_file web_files[];
extern const std::size_t web_file_count;

}  // namespace serve::detail
DSKILL_END_NAMESPACE
