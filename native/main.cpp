// The desktop entry point: a subcommand runs the command line, anything else the app.
#include "cli.h"

int main(int argc, char** argv) {
  return gs::run_cli(argc, argv);
}
