use clap::Parser;

// glibc's allocator spent a fifth of a page request in malloc and free (profiled under
// wrk); mimalloc's per-thread heaps suit actix's worker threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    onramp::cli::run(onramp::cli::Cli::parse())
}
