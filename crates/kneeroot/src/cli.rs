//! The command line, declared with clap. Parsing only: each subcommand's work lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Find the root cause of knee pain and turn it into a plan. Decision support, not a diagnosis.
#[derive(Debug, Parser)]
#[command(name = "kneeroot", version, about, long_about = None)]
pub struct Cli {
    /// A folder of knowledge-base files that replace the shipped ones of the same name.
    #[arg(long, global = true, env = "KNEEROOT_KNOWLEDGE", value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess knee pain: interactively, or from an answers file.
    Assess(AssessArgs),
    /// Inspect and check the knowledge base.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Search the answers to common questions (all of them without words).
    Faq {
        /// Words to search for, e.g. `arthritis` or `exercise with pain`.
        words: Vec<String>,
    },
    /// Run the web application and API (SQLite in the data folder by default; PostgreSQL with a URL).
    Serve(ServeArgs),
    /// Decide whether to progress, hold or regress an exercise from its sessions (the pain-monitoring model).
    Progression(ProgressionArgs),
    /// Manage accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Copy the SQLite database to a file, consistently, even while kneeroot is serving.
    Backup(BackupArgs),
    /// Put a backup in place of the SQLite database (stop the server first).
    Restore(RestoreArgs),
    /// Score an outcome questionnaire from an answers file.
    #[command(subcommand)]
    Score(ScoreCommand),
    /// Measure a filmed squat from its pose landmarks. Screening, not a diagnosis.
    #[command(subcommand)]
    Squat(SquatCommand),
}

/// Options of `kneeroot progression`.
#[derive(Debug, Args)]
pub struct ProgressionArgs {
    /// JSON array of sessions of one exercise, oldest first:
    /// `[{"pain_during": 3, "pain_next_morning": 2, "baseline": 2, "quality_ok": true}, …]`.
    #[arg(long, value_name = "FILE")]
    pub sessions: std::path::PathBuf,
    /// Tendon pain: progress only when pain during loading is low (stricter threshold).
    #[arg(long)]
    pub tendon: bool,
    /// How to print the decision.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Options of `kneeroot serve`. Each can also come from a `KNEEROOT_…` environment variable or the
/// settings file; the order is defaults < file < environment < flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KNEEROOT_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// Folder for the SQLite database and the settings file (default: the OS data folder).
    #[arg(long, env = "KNEEROOT_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `sqlite://PATH` or `postgres://USER@HOST/DB` (default: SQLite in the data folder).
    #[arg(long, env = "KNEEROOT_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Settings file (TOML; default: `kneeroot.toml` in the data folder, if present).
    #[arg(long, env = "KNEEROOT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Mark cookies Secure (set this when kneeroot is served over HTTPS, e.g. behind a TLS proxy).
    #[arg(long, env = "KNEEROOT_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Trust the X-Forwarded-For header for client addresses (only behind your own proxy).
    #[arg(long, env = "KNEEROOT_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: Option<bool>,
    /// Log format.
    #[arg(long, env = "KNEEROOT_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// The address people reach kneeroot at, e.g. `https://knee.clinic.example`: invitation links start
    /// with it (default: the address each request was sent to).
    #[arg(long, env = "KNEEROOT_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// The folder of the npm package @mediapipe/pose, served to browsers for the camera squat screen
    /// (default: `web/pose/node_modules/@mediapipe/pose` under the working folder, where
    /// `scripts/fetch-pose` installs it, if it is there). Without it, the screen says it is not available.
    #[arg(long, env = "KNEEROOT_POSE_ASSETS", value_name = "DIR")]
    pub pose_assets: Option<PathBuf>,
    /// Seed demo accounts (a patient with an assessment, their clinician and an administrator) and say
    /// how to sign in.
    #[arg(long)]
    pub demo: bool,
}

/// Log output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Options of `kneeroot assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Read the answers from this file (TOML or JSON, by extension or content) instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Text,
    /// The result JSON of the assessment contract.
    Json,
    /// Markdown.
    Markdown,
}

/// `kneeroot kb …`
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate the knowledge base (shipped, or DIR laid over it); every error names file and key.
    Check {
        /// A folder of knowledge-base files to check (laid over the shipped ones).
        dir: Option<PathBuf>,
    },
    /// List the exercise library.
    Exercises,
    /// Print docs/answers.md (every answer id with its question), generated from the knowledge base.
    AnswersDoc,
    /// Write the shipped knowledge-base files into DIR, as a starting point for local changes.
    Dump {
        /// Where to write them (created if needed; existing files are not overwritten).
        dir: PathBuf,
    },
}

/// `kneeroot score …`
#[derive(Debug, Subcommand)]
pub enum ScoreCommand {
    /// KOOS with KOOS-12 and KOOS-PS; FILE maps the item ids `P1` … `Q4` to a code 0–4 or null.
    Koos(ScoreArgs),
    /// Kujala anterior knee pain scale; FILE maps `"1"` … `"13"` to the 0-based index of the chosen option.
    Kujala(ScoreArgs),
}

/// Options of `kneeroot score koos|kujala`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The answers file (JSON).
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// How to print the scores.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
}

/// Output formats of `kneeroot score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// Readable text, scores to one decimal.
    Text,
    /// The unrounded scores as JSON, `null` where not scorable.
    Json,
}

/// `kneeroot squat …`
#[derive(Debug, Subcommand)]
pub enum SquatCommand {
    /// Measure a landmark series and propose answers to the squat questions, each with its number,
    /// confidence and explanation.
    #[command(alias = "analyze")]
    Analyse(SquatArgs),
}

/// Options of `kneeroot squat analyse`.
#[derive(Debug, Args)]
pub struct SquatArgs {
    /// The landmark series (JSON: `{"view": "front"|"side", "fps", "width", "height", "frames": [{"t",
    /// "landmarks": [[x, y, z, visibility] × 33] or null}]}`, MediaPipe pose order); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub landmarks: PathBuf,
    /// How to print the analysis.
    #[arg(long, value_enum, default_value_t = SquatFormat::Text)]
    pub format: SquatFormat,
}

/// Output formats of `kneeroot squat analyse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SquatFormat {
    /// A short summary to read.
    Text,
    /// The analysis JSON contract (as `POST /api/v1/squat/analyse` returns it).
    Json,
}

/// Where the database is: a URL, or the SQLite file in the data folder.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// The data folder (default: the OS data folder), whose `kneeroot.db` is used without a URL.
    #[arg(long, env = "KNEEROOT_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `sqlite://PATH` or `postgres://USER@HOST/DB`.
    #[arg(long, env = "KNEEROOT_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

/// `kneeroot admin …`
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Add an account; the password is read from standard input (one line).
    AddUser {
        /// Where the database is.
        #[command(flatten)]
        db: DatabaseArgs,
        /// The account's role.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The login email.
        #[arg(long)]
        email: String,
        /// Read the password from standard input (required: passwords never go on a command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Invite someone to the clinic and print the invitation link (kneeroot sends no email).
    Invite {
        /// Where the database is.
        #[command(flatten)]
        db: DatabaseArgs,
        /// The role they will have.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Their email.
        #[arg(long)]
        email: String,
        /// For a patient: the email of the clinician they will be linked to.
        #[arg(long, value_name = "EMAIL")]
        clinician_email: Option<String>,
        /// Who sends it (an administrator, or the clinician for their own patient). Default: the
        /// clinician for a patient, else the only administrator.
        #[arg(long, value_name = "EMAIL")]
        by: Option<String>,
        /// Where people reach kneeroot: the link starts with it.
        #[arg(long, env = "KNEEROOT_PUBLIC_URL", value_name = "URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        /// How many days the invitation can be accepted.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(i64).range(1..=90))]
        days: i64,
    },
}

/// Roles on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// A person with knee pain.
    Patient,
    /// A physiotherapist or other clinician.
    Clinician,
    /// A clinic administrator.
    Admin,
}

/// Options of `kneeroot backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where the database is.
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The backup file to write (must not exist).
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
}

/// Options of `kneeroot restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to restore.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The data folder to restore into (default: the OS data folder).
    #[arg(long, env = "KNEEROOT_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Replace an existing database (it is kept beside it as `kneeroot.db.replaced`).
    #[arg(long)]
    pub force: bool,
}
