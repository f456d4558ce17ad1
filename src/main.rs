use clap::Parser;

fn main() -> std::process::ExitCode {
    onramp::cli::run(onramp::cli::Cli::parse())
}
