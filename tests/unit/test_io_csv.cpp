#include <doctest/doctest.h>

#include "dskill/io/csv.hpp"

using dskill::io::split_csv_record;

TEST_CASE("io: CSV records split with RFC 4180 quoting" * doctest::test_suite("io")) {
  std::vector<std::string> f;
  REQUIRE(split_csv_record("a,b,,c\r", f));
  CHECK(f == std::vector<std::string>{"a", "b", "", "c"});
  REQUIRE(split_csv_record("\"x, y\",\"say \"\"hi\"\"\",z,", f));
  CHECK(f == std::vector<std::string>{"x, y", "say \"hi\"", "z", ""});
  REQUIRE(split_csv_record("", f));
  CHECK(f == std::vector<std::string>{""});
  CHECK_FALSE(split_csv_record("\"open", f));
  CHECK_FALSE(split_csv_record("\"a\"b,c", f));
  CHECK_FALSE(split_csv_record("a\"b", f));
  CHECK(dskill::io::csv_escape("plain") == "plain");
  CHECK(dskill::io::csv_escape("a,\"b\"") == "\"a,\"\"b\"\"\"");
}
