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

#include <cstdio>
#include <fstream>
#include <zlib.h>

#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/response_matrix.hpp"

TEST_CASE("io: response matrices are read from plain and gzip files alike" * doctest::test_suite("io")) {
  const std::string text = "person_id,i1,i2\np1,1,0\np2,,1\n";
  const std::string plain = "dskill_test_matrix.csv", packed = "dskill_test_matrix.csv.gz";
  std::ofstream(plain) << text;
  gzFile gz = gzopen(packed.c_str(), "wb");
  REQUIRE(gz != nullptr);
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  CHECK(dskill::io::read_file_text(packed) == text);
  const auto a = dskill::io::read_response_matrix(plain);
  const auto b = dskill::io::read_response_matrix(packed);
  CHECK(a.item_ids == b.item_ids);
  CHECK(a.person_ids == b.person_ids);
  CHECK(a.cells == b.cells);
  CHECK(b.at(1, 0) == -1);
  // A gzip file cut in the middle is an error naming the file, not a short matrix.
  std::ifstream in(packed, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(packed, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  CHECK_THROWS_AS(dskill::io::read_file_text(packed), dskill::io_error);
  CHECK_THROWS_AS(dskill::io::read_file_text("no/such/file.csv"), dskill::io_error);
  std::remove(plain.c_str());
  std::remove(packed.c_str());
}
