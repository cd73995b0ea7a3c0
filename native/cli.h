// The command line: `gradscope eval | check | export | derive | examples`. Returns the process exit code:
// 0 success, 2 an error in the program or its inputs, 1 any other failure.
#pragma once

namespace gs {

// True when argv names a command-line subcommand rather than the desktop app.
bool is_cli_invocation(int argc, char** argv);
int run_cli(int argc, char** argv);

}  // namespace gs
