#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dskill/error.hpp"
#include "dskill/io/atomic_file.hpp"

namespace fs = std::filesystem;
using dskill::io::write_file_atomically;

namespace {
// A fresh, empty folder per test case, removed afterwards.
struct scratch {
  fs::path dir;
  explicit scratch(const char* name) : dir(fs::temp_directory_path() / fs::path(std::string("dskill_atomic_") + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string at(const std::string& name) const { return (dir / name).string(); }
  std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator())); }
};
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("io: write_file_atomically writes the exact bytes and replaces a regular file" * doctest::test_suite("io")) {
  scratch s("exact");
  const std::string path = s.at("out.bin");
  std::string bytes("a\0b\r\n", 5);
  for (int i = 0; i < 200000; ++i) bytes += static_cast<char>(i * 7);  // larger than the buffer
  write_file_atomically(path, bytes);
  CHECK(slurp(path) == bytes);
  write_file_atomically(path, std::string_view("second\n"));
  CHECK(slurp(path) == "second\n");
  CHECK(s.entries() == 1);  // no temporary file left behind
  // The streaming form: many small writes, committed when the writer returns.
  write_file_atomically(path, [](dskill::io::atomic_file& f) {
    for (int i = 0; i < 10000; ++i) f.write(std::to_string(i) + ",");
  });
  std::string expect;
  for (int i = 0; i < 10000; ++i) expect += std::to_string(i) + ",";
  CHECK(slurp(path) == expect);
  write_file_atomically(path, std::string_view());
  CHECK(slurp(path).empty());
}

TEST_CASE("io: a writer that throws leaves the target unchanged" * doctest::test_suite("io")) {
  scratch s("throw");
  const std::string path = s.at("keep.txt");
  write_file_atomically(path, std::string_view("old"));
  CHECK_THROWS_AS(write_file_atomically(path,
                                        [](dskill::io::atomic_file& f) {
                                          f.write("partial");
                                          throw std::runtime_error("stop");
                                        }),
                  std::runtime_error);
  CHECK(slurp(path) == "old");
  CHECK(s.entries() == 1);
}

TEST_CASE("io: write_file_atomically refuses symlinks and devices and leaves them untouched" * doctest::test_suite("io")) {
  scratch s("refuse");
  const std::string target = s.at("target.txt"), link = s.at("link.txt");
  write_file_atomically(target, std::string_view("target"));
  fs::create_symlink(target, link);
  try {
    write_file_atomically(link, std::string_view("new"));
    FAIL("a symlink was replaced");
  } catch (const dskill::io_error& e) {
    CHECK(e.where().file == link);
    CHECK(std::string(e.what()).find("symbolic link") != std::string::npos);
  }
  CHECK(fs::is_symlink(fs::symlink_status(link)));
  CHECK(slurp(target) == "target");
  CHECK(s.entries() == 2);

  struct stat before {};
  REQUIRE(::stat("/dev/null", &before) == 0);
  try {
    write_file_atomically("/dev/null", std::string_view("x"));
    FAIL("/dev/null was replaced");
  } catch (const dskill::io_error& e) {
    CHECK(e.where().file == "/dev/null");
    CHECK(std::string(e.what()).find("character device") != std::string::npos);
  }
  struct stat after {};
  REQUIRE(::stat("/dev/null", &after) == 0);
  CHECK(S_ISCHR(after.st_mode));
  CHECK(after.st_rdev == before.st_rdev);

  const std::string fifo = s.at("pipe");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_AS(write_file_atomically(fifo, std::string_view("x")), dskill::io_error);
  CHECK(fs::is_fifo(fs::symlink_status(fifo)));
  CHECK_THROWS_AS(write_file_atomically(s.dir.string(), std::string_view("x")), dskill::io_error);  // a folder
}

TEST_CASE("io: missing parent folders are created only when asked" * doctest::test_suite("io")) {
  scratch s("parents");
  const std::string deep = s.at("a/b/c/out.txt");
  try {
    write_file_atomically(deep, std::string_view("x"));
    FAIL("wrote into a missing folder");
  } catch (const dskill::io_error& e) {
    CHECK(e.where().file == deep);
  }
  CHECK_FALSE(fs::exists(s.dir / "a"));
  write_file_atomically(deep, std::string_view("deep\n"), {.create_parents = true});
  CHECK(slurp(deep) == "deep\n");
  CHECK(std::distance(fs::directory_iterator(s.dir / "a/b/c"), fs::directory_iterator()) == 1);
}
