// dskill command-line tool: a thin face over the library. Each subcommand lives in its own
// cmd_*.cpp file and registers itself; this file only dispatches and maps errors to exit codes.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "command.hpp"
#include <cctype>

#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/version.hpp"

namespace dskill::cli {

std::vector<command>& registered_commands() {
  static std::vector<command> commands;
  return commands;
}

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
    throw dskill::io_error("cannot write to standard output");
}

std::string read_trimmed(const std::string& path) {
  std::string s;
  try {
    s = io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error("cannot open", location{.file = path});
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

bool register_command(command cmd) {
  registered_commands().push_back(std::move(cmd));
  return true;
}

namespace {
// Output lost on a full disk or a closed pipe is a failure, whatever the command returned:
// std::cout shares stdout's buffer, so one flush and the stream states tell.
int finish(int code) {
  std::cout.flush();
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
    fmt::print(stderr, "dskill: error: cannot write to standard output\n");
    return code == exit_ok ? exit_bad_input : code;
  }
  return code;
}
}  // namespace

}  // namespace dskill::cli

int main(int argc, char** argv) {
  using namespace dskill::cli;
  CLI::App app{"dskill: digital-skills assessment engine (IRT, adaptive testing, calibration, scoring)"};
  app.set_version_flag("--version", std::string(dskill::version()));
  app.require_subcommand(1);
  auto& commands = registered_commands();
  std::sort(commands.begin(), commands.end(), [](const command& a, const command& b) { return a.name < b.name; });
  std::function<int()> action;
  for (auto& cmd : commands) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.description);
    auto run = cmd.setup(*sub);
    sub->callback([&action, run] { action = run; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // --help and --version print to stdout
    return code == 0 ? finish(exit_ok) : exit_usage;
  }
  int code = exit_usage;
  try {
    code = action ? action() : exit_usage;
  } catch (const dskill::error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "dskill: {}\n", e.what());
    code = e.code() == dskill::errc::invalid_argument && e.where().empty() ? exit_usage : exit_bad_input;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "dskill: error: {}\n", e.what());
    code = exit_bad_input;
  }
  return finish(code);
}
