// Shared helpers for the unit tests: locating test data and reading reference JSON.
#pragma once
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace dskill_test {

inline std::string data_path(const std::string& relative) { return std::string(DSKILL_TEST_DATA_DIR) + "/" + relative; }
inline std::string source_path(const std::string& relative) { return std::string(DSKILL_SOURCE_DIR) + "/" + relative; }

inline nlohmann::json load_json(const std::string& relative) {
  std::ifstream in(data_path(relative));
  if (!in) throw std::runtime_error("cannot open test data " + relative);
  return nlohmann::json::parse(in);
}

}  // namespace dskill_test
