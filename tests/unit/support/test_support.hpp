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
/// A file of the peer libraries' reference values (../shared/reference, DSKILL_REFERENCE_DIR).
inline std::string reference_path(const std::string& relative) { return std::string(DSKILL_REFERENCE_DIR) + "/" + relative; }
inline std::string source_path(const std::string& relative) { return std::string(DSKILL_SOURCE_DIR) + "/" + relative; }

inline nlohmann::json load_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  return nlohmann::json::parse(in);
}
inline nlohmann::json load_json(const std::string& relative) { return load_json_file(data_path(relative)); }
/// A JSON file of the reference values (reference_path).
inline nlohmann::json load_reference(const std::string& relative) { return load_json_file(reference_path(relative)); }

/// The bytes of a file (a checked-in snapshot, say); throws when it cannot be opened.
inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace dskill_test
