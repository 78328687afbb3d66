// Response readers: every bad-input case gives a reject with its row and reason (or, for
// whole-file problems, an error naming the file and line); gzip is read directly.
#include <doctest/doctest.h>

#include <zlib.h>

#include "dskill/error.hpp"
#include "dskill/io/response_reader.hpp"
#include "test_score_support.hpp"

using namespace dskill;
using score_test::temp_dir;

namespace {
std::vector<io::session_record> read_all(const std::string& path, io::response_format f, const bank::bank_ptr& b) {
  io::response_reader reader(path, f, b);
  std::vector<io::session_record> out;
  io::session_record rec;
  while (reader.next(rec)) out.push_back(rec);
  return out;
}
}  // namespace

TEST_CASE("score reader: wide CSV, good rows and every bad-row case" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const std::string text =
      "person_id,q1,q2,q3\n"
      "A,1,0,1\n"           // row 1 ok
      "B,1,,NA\n"           // row 2 ok, two not presented
      "C,1,x,0\n"           // row 3 non-numeric
      "D,1,2,0\n"           // row 4 out of range
      "E,1,0\n"             // row 5 ragged (short)
      "F,1,0,1,1\n"         // row 6 ragged (long)
      ",1,0,1\n"            // row 7 empty person id
      "G,1,\xC3\x28,1\n"    // row 8 invalid UTF-8
      "\n"                  // blank line: skipped, counted apart
      "H,-1,0,1\n"          // row 9 negative
      "\"I,x\",0,0,0\n"     // row 10 quoted id with a comma: ok
      "J,\"1,0\n"           // row 11 unbalanced quote
      "K,1,0";              // row 12 file ends mid-row
  const auto path = tmp.write("w.csv", text);
  io::response_reader reader(path, io::response_format::wide, bank);
  std::vector<io::session_record> recs;
  io::session_record rec;
  while (reader.next(rec)) recs.push_back(rec);
  REQUIRE(recs.size() == 12);
  CHECK(reader.source().blank_lines() == 1);
  CHECK(recs[0].ok());
  CHECK(recs[0].responses.size() == 3);
  CHECK(recs[1].ok());
  CHECK(recs[1].responses.size() == 1);
  CHECK(recs[2].error.find("non-numeric response 'x' for item 'q2'") != std::string::npos);
  CHECK(recs[2].person_id == "C");
  CHECK(recs[3].error.find("out of range 0..1") != std::string::npos);
  CHECK(recs[4].error.find("ragged row: 3 fields, the header has 4") != std::string::npos);
  CHECK(recs[5].error.find("ragged row: 5 fields") != std::string::npos);
  CHECK(recs[6].error == "empty person_id");
  CHECK(recs[7].error.find("invalid UTF-8") != std::string::npos);
  CHECK(recs[8].row == 9);
  CHECK(recs[8].line == 11);  // header, 8 rows, blank line, then this
  CHECK(recs[8].error.find("out of range") != std::string::npos);
  CHECK(recs[9].ok());
  CHECK(recs[9].person_id == "I,x");
  CHECK(recs[10].error.find("unbalanced quote") != std::string::npos);
  CHECK(recs[11].error.find("file ends mid-row: the last line has 3 of 4 fields") != std::string::npos);
  CHECK(recs[11].person_id == "K");
}

TEST_CASE("score reader: a complete last line without a newline is fine" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(2);
  temp_dir tmp;
  const auto recs = read_all(tmp.write("w.csv", "person_id,q1,q2\r\nA,1,0\r\nB,0,1"), io::response_format::wide, bank);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].ok());
  CHECK(recs[1].ok());
}

TEST_CASE("score reader: whole-file problems stop before any row, naming file and line" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(2);
  temp_dir tmp;
  auto fails = [&](const std::string& name, const std::string& text, const std::string& expect,
                   io::response_format f = io::response_format::wide) {
    const auto path = tmp.write(name, text);
    try {
      io::record_source src(path, f, *bank);
      FAIL("no error for " << name);
    } catch (const dskill::error& e) {
      CHECK_MESSAGE(std::string(e.what()).find(expect) != std::string::npos, e.what());
      CHECK(e.where().file == path);
    }
  };
  fails("empty.csv", "", "empty file");
  fails("blank.csv", "\n\n", "empty file");
  fails("empty.jsonl", "", "empty file", io::response_format::jsonl);
  fails("utf16.csv", std::string("\xFF\xFE", 2) + std::string("p\0e\0", 4), "UTF-16LE");
  fails("utf16be.csv", std::string("\xFE\xFF\0p", 4), "UTF-16BE");
  fails("nul.csv", std::string("p\0e\0r\0", 6), "NUL bytes");
  fails("unknown.csv", "person_id,q1,zz\n", "unknown item id 'zz'");
  fails("dupcol.csv", "person_id,q1,q1\n", "appears twice");
  fails("longhdr.csv", "person_id,item,response\n", "unknown column 'item'", io::response_format::long_csv);
  CHECK_THROWS_AS(io::record_source(tmp.file("missing.csv"), io::response_format::wide, *bank), dskill::io_error);
  // a UTF-8 byte-order mark is accepted
  const auto recs = read_all(tmp.write("bom.csv", "\xEF\xBB\xBFperson_id,q1\nA,1\n"), io::response_format::wide, bank);
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].ok());
}

TEST_CASE("score reader: long CSV groups a person's contiguous lines into one record" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const std::string text =
      "person_id,item_id,response,timestamp\n"
      "A,q1,1,2026-11-29T08:00:00Z\n"
      "A,q2,0,2026-11-29T08:01:00Z\n"
      "B,q1,1,\n"
      "B,q9,1,\n"          // unknown item: B rejected
      "C,q1,1,\n"
      "C,q1,0,\n"          // answered twice: C rejected
      "D,q3,7,\n"          // out of range
      "A,q3,1,\n"          // A again after other persons: a separate block (duplicate found by the batch)
      "E,q2,1";            // last line cut off (no timestamp field, no newline)
  const auto recs = read_all(tmp.write("l.csv", text), io::response_format::long_csv, bank);
  REQUIRE(recs.size() == 6);
  CHECK(recs[0].ok());
  CHECK(recs[0].person_id == "A");
  CHECK(recs[0].responses.size() == 2);
  CHECK(recs[1].error.find("unknown item id 'q9' at line 5") != std::string::npos);
  CHECK(recs[1].line == 5);
  CHECK(recs[2].error.find("answered twice") != std::string::npos);
  CHECK(recs[3].error.find("out of range") != std::string::npos);
  CHECK(recs[4].person_id == "A");
  CHECK(recs[4].row == 5);
  CHECK(recs[5].error == "file ends mid-row: the last line has 3 of 4 fields");
}

TEST_CASE("score reader: JSON Lines" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const std::string text =
      "{\"person_id\":\"A\",\"responses\":{\"q1\":1,\"q2\":0,\"q3\":null}}\n"
      "{\"person_id\":\"B\",\"responses\":{\"q1\":\"1\"}}\n"
      "{\"person_id\":\"C\",\"responses\":{\"zz\":1}}\n"
      "not json\n"
      "{\"responses\":{}}\n"
      "{\"person_id\":\"D\",\"responses\":{\"q1\":3}}\n"
      "{\"person_id\":\"E\",\"responses\":{\"q1\":1";
  const auto recs = read_all(tmp.write("s.jsonl", text), io::response_format::jsonl, bank);
  REQUIRE(recs.size() == 7);
  CHECK(recs[0].ok());
  CHECK(recs[0].responses.size() == 2);
  CHECK(recs[1].error.find("non-numeric") != std::string::npos);
  CHECK(recs[2].error.find("unknown item id 'zz'") != std::string::npos);
  CHECK(recs[3].error.find("malformed JSON") != std::string::npos);
  CHECK(recs[4].error.find("missing \"person_id\"") != std::string::npos);
  CHECK(recs[5].error.find("out of range") != std::string::npos);
  CHECK(recs[6].error.find("file ends mid-record") != std::string::npos);
}

TEST_CASE("score reader: hostile JSON Lines records are rejected one by one and the run goes on" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const std::string good = "{\"person_id\":\"ok\",\"responses\":{\"q1\":1}}\n";
  std::string text = good;
  text += std::string(70000, '[') + std::string(70000, ']') + "\n";                       // 2: 70,000 deep
  text += "{\"person_id\":\"n\",\"responses\":{\"q1\":1e400}}\n";                        // 3: beyond double
  text += "{\"person_id\":\"n\",\"responses\":{\"q1\":4E4444}}\n";                       // 4
  text += "{\"person_id\":\"d\",\"responses\":{\"q1\":1,\"q1\":0}}\n";                   // 5: duplicate key
  text += "{\"person_id\":\"d\",\"person_id\":\"e\",\"responses\":{}}\n";                // 6
  text += "{\"person_id\":\"a\\u0000b\",\"responses\":{\"q1\":1}}\n";                  // 7: escaped NUL
  text += "{\"person_id\":\"x\",\"responses\":{\"q1\":1},\"note\":\"" + std::string(65u << 20, 'x') + "\"}\n";  // 8
  text += good;                                                                              // 9
  const auto recs = read_all(tmp.write("hostile.jsonl", text), io::response_format::jsonl, bank);
  REQUIRE(recs.size() == 9);
  CHECK(recs[0].ok());
  CHECK(recs[1].code == io::reject_code::malformed_record);
  CHECK(recs[1].error.find("nested deeper than 64") != std::string::npos);
  for (int i : {2, 3}) {
    CHECK(recs[i].code == io::reject_code::malformed_record);
    CHECK(recs[i].error.find("beyond the double range") != std::string::npos);
  }
  CHECK(recs[4].error.find("key \"q1\" appears twice") != std::string::npos);
  CHECK(recs[5].error.find("key \"person_id\" appears twice") != std::string::npos);
  CHECK(recs[6].code == io::reject_code::wrong_encoding);
  CHECK(recs[6].person_id.find('\0') != std::string::npos);  // read, but refused: never written out
  CHECK(recs[7].code == io::reject_code::record_too_long);
  CHECK(recs[7].line == 8);
  CHECK(recs[7].error.find("64 MiB") != std::string::npos);
  CHECK(recs[8].ok());
  CHECK(recs[8].line == 9);
  CHECK(recs[8].person_id == "ok");
}

TEST_CASE("score reader: an over-long CSV line is one rejected row; an over-long header stops the run" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const std::string text = "person_id,q1,q2,q3\nA,1,0,1\nB," + std::string(65u << 20, '1') + ",0,1\nC,0,0,1\n";
  const auto recs = read_all(tmp.write("long.csv", text), io::response_format::wide, bank);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].ok());
  CHECK(recs[1].code == io::reject_code::record_too_long);
  CHECK(recs[1].line == 3);
  CHECK(recs[2].ok());
  CHECK(recs[2].person_id == "C");
  const auto header = tmp.write("header.csv", "person_id," + std::string(65u << 20, 'q') + "\nA,1\n");
  CHECK_THROWS_WITH_AS(read_all(header, io::response_format::wide, bank), doctest::Contains("header line is longer than 64 MiB"),
                       parse_error);
}

TEST_CASE("score reader: gzip input is read directly; a cut-off stream is reported" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  temp_dir tmp;
  const std::string text = score_test::simulate_wide(*bank, 2000, 11);
  const auto gz_path = tmp.file("r.csv.gz");
  {
    gzFile f = gzopen(gz_path.c_str(), "wb");
    REQUIRE(f);
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
  }
  const auto plain = read_all(tmp.write("r.csv", text), io::response_format::wide, bank);
  const auto zipped = read_all(gz_path, io::response_format::wide, bank);
  REQUIRE(plain.size() == 2000);
  REQUIRE(zipped.size() == 2000);
  for (std::size_t i = 0; i < plain.size(); ++i) CHECK(plain[i].responses == zipped[i].responses);
  {
    io::response_reader r(gz_path, io::response_format::wide, bank);
    CHECK(r.source().compressed());
  }
  // cut the compressed file in half
  const std::string whole = score_test::slurp(gz_path);
  const auto cut = tmp.write("cut.csv.gz", whole.substr(0, whole.size() / 2));
  io::response_reader r(cut, io::response_format::wide, bank);
  io::session_record rec;
  std::size_t n = 0, bad = 0;
  while (r.next(rec)) {
    ++n;
    bad += rec.ok() ? 0 : 1;
  }
  CHECK(n > 100);
  CHECK(n < 2000);
  CHECK(bad <= 1);  // at most the last, cut-off row
  CHECK(r.source().stream_problem().find("ends early") != std::string::npos);
  // garble the middle of the compressed data: the file is refused, the corruption named (this
  // one is read in one block; tests/cli/score.sh garbles a larger file read partly)
  std::string garbled = whole;
  for (std::size_t i = garbled.size() / 3; i < garbled.size() / 3 + 64; ++i) garbled[i] = static_cast<char>(garbled[i] ^ 0x5a);
  const auto garbled_path = tmp.write("garbled.csv.gz", garbled);
  CHECK_THROWS_WITH_AS(io::response_reader(garbled_path, io::response_format::wide, bank),
                       doctest::Contains("compressed stream is corrupt"), parse_error);
}

TEST_CASE("score reader: UTF-8 validation" * doctest::test_suite("score")) {
  using io::find_invalid_utf8;
  constexpr auto npos = std::string_view::npos;
  CHECK(find_invalid_utf8("plain ascii, long enough for the fast path") == npos);
  CHECK(find_invalid_utf8("Nguy\xE1\xBB\x85n V\xC4\x83n A") == npos);
  CHECK(find_invalid_utf8("\xF0\x9F\x98\x80") == npos);
  CHECK(find_invalid_utf8("ab\xC0\xAF") == 2);       // overlong
  CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);     // surrogate
  CHECK(find_invalid_utf8("abc\xE1\xBB") == 3);      // cut sequence
  CHECK(find_invalid_utf8("\x80") == 0);
}
