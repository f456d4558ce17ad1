use clap::Parser;

// jemalloc instead of glibc's malloc: a page is drawn through thousands of short-lived JSON
// values, and glibc spent a third of the server's time allocating them. Measured in
// bench/RESULTS.md (2026-12-03): +25-35% requests/s on the heavy pages, and a lower peak RSS.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    onramp::cli::run(onramp::cli::Cli::parse())
}
