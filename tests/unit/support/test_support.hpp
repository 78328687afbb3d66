// Shared helpers for the unit tests: locating test data and reading reference JSON.
#pragma once
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dskill_test {

inline std::string data_path(const std::string& relative) { return std::string(DSKILL_TEST_DATA_DIR) + "/" + relative; }
inline std::string source_path(const std::string& relative) { return std::string(DSKILL_SOURCE_DIR) + "/" + relative; }

inline nlohmann::json load_json(const std::string& relative) {
  std::ifstream in(data_path(relative));
  if (!in) throw std::runtime_error("cannot open test data " + relative);
  return nlohmann::json::parse(in);
}

/// The bytes of a file (a checked-in snapshot, say); throws when it cannot be opened.
inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace dskill_test
