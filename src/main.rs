//! The `survcalc` command line: the same core as the page, run from a shell (see `src/cli/`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
