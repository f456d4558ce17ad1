//! The command line: serve, migrate, people and tokens, demo data.

use crate::audit::Actor;
use crate::auth::role::Role;
use crate::auth::service::{self, NewUserInput};
use crate::clock::Clock;
use crate::config::Settings;
use crate::ctx::Ctx;
use crate::db::Checkpoints;
use crate::server;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "onramp",
    version,
    about = "Hiring and culture onboarding, from candidate to team member"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web application (migrates the database first).
    Serve {
        /// Load the demo company into an empty database and print its logins.
        #[arg(long)]
        demo: bool,
        /// Address to listen on.
        #[arg(long, env = "ONRAMP_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Recompute the offer report tallies from the offers themselves (after a bulk load
    /// or a restore; the app keeps them in step by itself otherwise).
    RebuildTallies,
    /// Manage people.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Load the demo company into an empty database and print its logins; with
    /// --candidates, also generate that many candidates (benchmark data).
    Demo {
        /// Generate this many candidates across open jobs (added to what is there).
        #[arg(long)]
        candidates: Option<usize>,
        /// How many open jobs the candidates are spread across (created when missing).
        #[arg(long, default_value_t = 50)]
        jobs: usize,
        /// Generate this many graduated training cohorts (plus one running cohort of 200
        /// trainees with open offers): benchmark data for training and The Offer.
        #[arg(long)]
        cohorts: Option<usize>,
        /// Trainees in each generated graduated cohort.
        #[arg(long, default_value_t = 100)]
        trainees: usize,
    },
    /// Bulk imports.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import candidates from a CSV file into a job: every row is checked first, and
    /// nothing is stored if any row is wrong.
    Candidates {
        /// The CSV file (header row: name,email,phone,source,resume_url,resume_text,notes[,applied_at]).
        file: std::path::PathBuf,
        /// The job's id.
        #[arg(long)]
        job: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a person. Without --password-stdin, prints (and mails) a set-password link.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, recruiter, interviewer, trainer, hr or new_hire; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Read the password from standard input instead of sending a link.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for a person; prints it once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        label: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        format!(
            "unknown role '{s}'; use one of: {}",
            Role::ALL.map(|r| r.as_str()).join(", ")
        )
    })
}

pub fn run(cli: Cli) -> ExitCode {
    init_logging(&cli.settings.log);
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

fn cli_ctx(settings: &Settings, clock: &Clock) -> Ctx {
    Ctx {
        actor: Actor::system("command line"),
        now: clock.now(),
        base_url: settings.base_url_or("127.0.0.1:8080"),
        company: settings.company.clone(),
        tz: settings.tz(),
    }
}

fn execute(cli: Cli) -> Result<(), String> {
    let settings = cli.settings;
    let clock = Clock::default();
    match cli.command {
        Command::Migrate => {
            server::open_database(&settings, Checkpoints::OnCommit)?;
            println!(
                "database {} is up to date",
                server::redact(&settings.database_url)
            );
            Ok(())
        }
        Command::RebuildTallies => {
            let pool = server::open_database(&settings, Checkpoints::OnCommit)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let started = std::time::Instant::now();
            crate::offer::reports::tally::rebuild(&mut conn).map_err(|e| e.to_string())?;
            println!(
                "offer tallies rebuilt in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Serve { demo, bind } => {
            let pool = server::open_database(&settings, Checkpoints::InBackground)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            // Mailed links must name the real address, so settle it before anything is queued.
            let base = settings.base_url_or(&bind);
            let ctx = Ctx {
                base_url: base.clone(),
                ..cli_ctx(&settings, &clock)
            };
            if demo {
                if let Some(logins) = crate::demo::load(&mut conn, &ctx, &settings.currency())
                    .map_err(|e| e.to_string())?
                {
                    print_logins(&logins);
                }
            } else if let Some(link) =
                service::setup_link_if_empty(&mut conn, &ctx).map_err(|e| e.to_string())?
            {
                println!("\nNo one has an account yet. Create the first admin here (valid 24 hours):\n\n  {link}\n");
            }
            drop(conn);
            let server = server::start(settings, pool, &bind, clock)?;
            println!("onramp is serving on {}", server.base_url);
            server.wait().map_err(|e| e.to_string())
        }
        Command::Demo {
            candidates,
            jobs,
            cohorts,
            trainees,
        } => {
            let pool = server::open_database(&settings, Checkpoints::OnCommit)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            match crate::demo::load(&mut conn, &cli_ctx(&settings, &clock), &settings.currency()).map_err(|e| e.to_string())? {
                Some(logins) => print_logins(&logins),
                None if candidates.is_none() && cohorts.is_none() => println!("the database already has people in it; the demo company loads only into an empty database"),
                None => {}
            }
            crate::db::for_bulk_load(&mut conn).map_err(|e| e.to_string())?;
            if let Some(n) = candidates {
                let started = std::time::Instant::now();
                let bar = crate::hiring::import::progress::Bar::default();
                let made = crate::hiring::import::generate::run(
                    &pool,
                    &cli_ctx(&settings, &clock),
                    n,
                    jobs,
                    &bar,
                )
                .map_err(describe)?;
                println!(
                    "generated {} candidates with {} stage changes across {} open jobs ({} new) in {:.1} s",
                    made.candidates, made.stage_changes, made.jobs_used, made.jobs_created,
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(n) = cohorts {
                let started = std::time::Instant::now();
                let bar = crate::hiring::import::progress::Bar::default();
                let made = crate::training::generate::run(
                    &mut conn,
                    &cli_ctx(&settings, &clock),
                    &settings.currency(),
                    &crate::training::generate::Options::bench(n, trainees),
                    &bar,
                )
                .map_err(describe)?;
                println!(
                    "generated {} cohorts, {} trainees and {} offers in {:.1} s",
                    made.cohorts,
                    made.trainees,
                    made.offers,
                    started.elapsed().as_secs_f64()
                );
                // Machine-readable for bench/run.sh.
                println!("running cohort: {}", made.running_cohort);
                let (email, password) =
                    crate::training::generate::give_password(&mut conn, made.running_cohort)
                        .map_err(describe)?;
                println!("portal login: {email} {password}");
            }
            crate::db::after_bulk_load(&mut conn).map_err(|e| e.to_string())?;
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Candidates { file, job },
        } => import_candidates(&settings, &clock, &file, job),
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    roles,
                    password_stdin,
                },
        } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| e.to_string())?;
                Some(s.trim_end_matches(['\n', '\r']).to_string())
            } else {
                None
            };
            let pool = server::open_database(&settings, Checkpoints::OnCommit)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let input = NewUserInput { email, name, roles };
            let (user, link) = service::add_user(
                &mut conn,
                &cli_ctx(&settings, &clock),
                &input,
                password.as_deref(),
            )
            .map_err(describe)?;
            println!("added {} <{}>", user.name, user.email);
            if let Some(link) = link {
                println!("they can choose a password here (valid 7 days; also mailed):\n  {link}");
            }
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email, label },
        } => {
            let pool = server::open_database(&settings, Checkpoints::OnCommit)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let user = crate::auth::model::find_by_email(
                &mut conn,
                &crate::auth::rules::normalize_email(&email),
            )
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no account for {email}"))?;
            let raw = service::issue_token(&mut conn, &cli_ctx(&settings, &clock), user.id, &label)
                .map_err(describe)?;
            println!("API token for {} (shown once; keep it secret):", user.email);
            println!("{raw}");
            Ok(())
        }
    }
}

fn import_candidates(
    settings: &Settings,
    clock: &Clock,
    file: &std::path::Path,
    job: i64,
) -> Result<(), String> {
    use crate::hiring::import::{progress::Bar, service};
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let pool = server::open_database(settings, Checkpoints::OnCommit)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    crate::db::for_bulk_load(&mut conn).map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let ctx = cli_ctx(settings, clock);
    let job_id = crate::db::ids::JobId(job);
    match service::import_candidates(&mut conn, &ctx, job_id, &bytes, &Bar::default())
        .map_err(describe)?
    {
        Ok(report) => {
            for d in &report.duplicates {
                match d.first_line {
                    Some(first) => println!(
                        "skipped line {}: {} is already on line {first}",
                        d.line, d.email
                    ),
                    None => println!(
                        "skipped line {}: {} is already a candidate",
                        d.line, d.email
                    ),
                }
            }
            println!(
                "imported {} of {} rows into job #{job} ({}); {} duplicates skipped; {:.1} s",
                report.imported,
                report.rows,
                report.job_title,
                report.duplicates.len(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            Err(format!(
                "{} problem(s) in {}; nothing was imported",
                errors.len(),
                file.display()
            ))
        }
    }
}

fn describe(e: crate::error::AppError) -> String {
    match e {
        crate::error::AppError::Invalid(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn print_logins(logins: &[(String, String, String)]) {
    println!("\nThe demo company is loaded. Sign in as any of these (printed once, now):\n");
    for (role, email, password) in logins {
        println!("  {role:<12} {email:<32} {password}");
    }
    println!();
}
