// Help that teaches: examples under every subcommand's --help, and "did you
// mean …?" for a command line the parser refused (the closest subcommand to a
// mistyped one, the closest flag of the chosen subcommand to a mistyped flag).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace pk::cli {

// Sets the examples printed at the end of each subcommand's --help.
void add_examples(CLI::App& app);

// A one-line hint, or "" when nothing is close enough to suggest.
std::string usage_hint(CLI::App& app, int argc, char** argv);

}  // namespace pk::cli
