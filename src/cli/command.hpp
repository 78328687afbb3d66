// dskill CLI: subcommands register themselves here, so adding one touches no other file.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace dskill::cli {

/// Exit codes: 0 success, 1 bad input (a file or value the user gave), 2 bad usage.
inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 1;
inline constexpr int exit_usage = 2;

/// A subcommand: `setup` adds its options to `app` and returns the action to run after parsing.
struct command {
  std::string name;
  std::string description;
  std::function<std::function<int()>(CLI::App& app)> setup;
};

/// Writes to standard output; throws io_error when the write fails (a full disk, a closed pipe),
/// so that a long output stops at the first failure. main() also checks stdout once at the end.
void write_stdout(std::string_view text);

/// The text of a small file (a key, a secret) without trailing whitespace; io_error naming the
/// file when it cannot be read.
std::string read_trimmed(const std::string& path);

/// Registers a subcommand (call from a static initialiser in the command's own file).
bool register_command(command cmd);
std::vector<command>& registered_commands();

}  // namespace dskill::cli
