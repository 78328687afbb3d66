// Fuzz target for the response readers (wide CSV, long CSV, JSON Lines): the first byte picks
// the format, the rest is the file. Opening either succeeds or is refused with a dskill::error
// (a whole-file problem such as a bad header); after that no record throws, every record is
// either good or rejected with a code and a message, rows are numbered 1, 2, ... and a good
// record's responses are inside the bank. Anything else is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "dskill/bank/item_bank.hpp"
#include "dskill/error.hpp"
#include "dskill/io/response_reader.hpp"

namespace {
using namespace dskill;

// Items q1..q3 (2PL) and q4 (3 categories), so that every cell check is reachable.
bank::bank_ptr fuzz_bank() {
  std::vector<bank::bank_item> items;
  for (int i = 0; i < 4; ++i) {
    bank::bank_item it;
    it.id = fmt::format("q{}", i + 1);
    it.params.kind = i < 3 ? irt::model::two_pl : irt::model::gpcm;
    it.params.slope = 1.0;
    it.params.intercepts = i < 3 ? std::vector<double>{0.5 * i} : std::vector<double>{0.0, -1.0};
    it.competences = {"1.1"};
    it.area = "1";
    items.push_back(std::move(it));
  }
  bank::bank_info info;
  info.id = "fuzz-bank";
  return std::make_shared<const bank::item_bank>(info, std::move(items));
}

void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto bank = fuzz_bank();
  static const std::string path = fmt::format("/tmp/dskill_fuzz_responses_{}", ::getpid());
  if (size == 0) return 0;
  const io::response_format formats[] = {io::response_format::wide, io::response_format::long_csv,
                                         io::response_format::jsonl};
  const auto format = formats[data[0] % 3];
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data + 1, 1, size - 1, f);
    std::fclose(f);
  } else {
    return 0;
  }
  std::unique_ptr<io::response_reader> reader;
  try {
    reader = std::make_unique<io::response_reader>(path, format, bank);
  } catch (const error&) {
    return 0;  // refused as a whole, with a message
  }
  io::session_record rec;
  std::uint64_t row = 0;
  while (reader->next(rec)) {
    if (rec.row != ++row) fail("rows are not numbered 1, 2, ...");
    if (rec.ok()) {
      if (!rec.error.empty()) fail("a good record carries an error");
      for (const auto& r : rec.responses)
        if (r.item >= bank->size() || r.category < 0 || r.category >= bank->params(r.item).categories())
          fail("a good record holds a response outside the bank");
    } else if (rec.error.empty() || io::to_string(rec.code) == "none") {
      fail("a rejected record has no code or message");
    }
  }
  return 0;
}
