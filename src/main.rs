//! The `survcalc` command line: reads a file, runs the core, prints JSON or readable tables.
//!
//! This is the only code that touches files, standard output and exit codes; the contract is
//! `shared/spec/cli.md`.

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use survcalc::data::dates::DateFormat;
use survcalc::data::prepare::{SurvivalSpec, TimeSpec, TimeUnit};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::Error;

#[derive(Parser)]
#[command(
    name = "survcalc",
    version,
    about = "Survival analysis for clinical research: Kaplan-Meier, log-rank, Cox, Table 1"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kaplan-Meier estimates per group and tests between groups.
    Km(KmArgs),
    /// Cox proportional hazards regression.
    Cox(CoxArgs),
    /// Baseline characteristics by group with a test on every row.
    Table1(Table1Args),
    /// A profile of every column: kind, missing values, levels, suggested roles.
    Inspect(InspectArgs),
}

/// Where the data come from and how to read them.
#[derive(Args)]
struct InputArgs {
    /// CSV, TSV, semicolon-separated or spreadsheet file; `-` for standard input.
    file: String,
    /// Print one JSON object instead of readable tables.
    #[arg(long)]
    json: bool,
    /// Field delimiter (detected when not given): `,` `;` `tab` or `|`.
    #[arg(long)]
    delimiter: Option<String>,
    /// Read numbers with a decimal comma (detected when not given).
    #[arg(long)]
    decimal_comma: bool,
    /// A further token meaning "missing" (repeatable); NA, empty, "." and similar always do.
    #[arg(long = "missing", value_name = "TOKEN")]
    missing: Vec<String>,
}

/// The survival outcome: a time column, or two date columns, and an event column.
#[derive(Args)]
struct OutcomeArgs {
    /// Column of follow-up times (numeric, non-negative).
    #[arg(long, required_unless_present_all = ["start_date", "end_date"])]
    time: Option<String>,
    /// Column saying whether the event happened.
    #[arg(long)]
    event: String,
    /// A value of the event column meaning the event happened (repeatable).
    #[arg(long = "event-value", value_name = "V")]
    event_value: Vec<String>,
    /// Column of start dates (time is computed from dates).
    #[arg(long, requires = "end_date", conflicts_with = "time")]
    start_date: Option<String>,
    /// Column of end dates: event or last follow-up.
    #[arg(long, requires = "start_date")]
    end_date: Option<String>,
    /// Unit of time computed from dates.
    #[arg(long, value_enum, default_value = "days")]
    unit: UnitArg,
    /// How to read dates written with slashes or dots.
    #[arg(long, value_enum, default_value = "auto")]
    date_format: DateFormatArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum UnitArg {
    Days,
    Weeks,
    Months,
    Years,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DateFormatArg {
    Auto,
    Dmy,
    Mdy,
}

impl OutcomeArgs {
    fn spec(&self) -> SurvivalSpec {
        let time = match (&self.time, &self.start_date, &self.end_date) {
            (Some(time), _, _) => TimeSpec::Column(time.clone()),
            (None, Some(start), Some(end)) => TimeSpec::Dates {
                start: start.clone(),
                end: end.clone(),
                unit: match self.unit {
                    UnitArg::Days => TimeUnit::Days,
                    UnitArg::Weeks => TimeUnit::Weeks,
                    UnitArg::Months => TimeUnit::Months,
                    UnitArg::Years => TimeUnit::Years,
                },
                format: match self.date_format {
                    DateFormatArg::Auto => DateFormat::Auto,
                    DateFormatArg::Dmy => DateFormat::Dmy,
                    DateFormatArg::Mdy => DateFormat::Mdy,
                },
            },
            _ => unreachable!("clap requires --time or both date columns"),
        };
        SurvivalSpec {
            time,
            event: self.event.clone(),
            event_values: self.event_value.clone(),
        }
    }
}

#[derive(Args)]
struct KmArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
    /// Column of groups to compare.
    #[arg(long)]
    group: Option<String>,
    /// Column of strata for stratified tests.
    #[arg(long)]
    strata: Option<String>,
}

#[derive(Args)]
struct CoxArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Args)]
struct Table1Args {
    #[command(flatten)]
    input: InputArgs,
    /// Column of groups (the table's columns).
    #[arg(long)]
    group: String,
    /// A characteristic to describe (repeatable; rows in this order).
    #[arg(long = "variable", value_name = "COL", required = true)]
    variables: Vec<String>,
    /// Treat a numeric column as categorical (numbers with at most 5 distinct whole values already are).
    #[arg(long, value_name = "COL")]
    categorical: Vec<String>,
    /// Treat a column with few distinct whole numbers as continuous.
    #[arg(long, value_name = "COL")]
    continuous: Vec<String>,
    /// Test this continuous variable with rank tests (Mann-Whitney, Kruskal-Wallis).
    #[arg(long, value_name = "COL")]
    nonnormal: Vec<String>,
    /// Choose the test of a variable: welch-t, student-t, anova, welch-anova, mann-whitney,
    /// kruskal-wallis, chi-square, chi-square-yates or fisher-exact.
    #[arg(long = "test", value_name = "COL=NAME")]
    tests: Vec<String>,
    /// Percent of each level across groups (row %) instead of within each group.
    #[arg(long)]
    row_percent: bool,
    /// Count missing values in the percentage denominators.
    #[arg(long)]
    missing_in_denominator: bool,
    /// Add standardised mean differences (two groups).
    #[arg(long)]
    smd: bool,
    /// P value style: default, nejm, jama, lancet or apa.
    #[arg(long, default_value = "default")]
    p_style: String,
    /// Decimals of means, SDs and quantiles: N for all, or COL=N for one variable (repeatable).
    #[arg(long, value_name = "N|COL=N")]
    decimals: Vec<String>,
    /// Readable output format: text, csv, markdown, html or tsv.
    #[arg(long, default_value = "text")]
    format: String,
}

#[derive(Args)]
struct InspectArgs {
    #[command(flatten)]
    input: InputArgs,
}

/// What a command prints: the JSON object, or readable text.
enum Output {
    Json(serde_json::Value),
    Text(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(Output::Json(value)) => {
            println!("{value}");
            ExitCode::SUCCESS
        }
        Ok(Output::Text(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            for line in err.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(if err.is_data_error() { 65 } else { 2 })
        }
    }
}

fn run(command: Command) -> Result<Output, Error> {
    match command {
        Command::Km(args) => km(&args),
        Command::Cox(args) => cox(&args),
        Command::Table1(args) => table1(&args),
        Command::Inspect(args) => inspect(&args),
    }
}

fn read_input(input: &InputArgs) -> Result<Table, Error> {
    let bytes = if input.file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Unreadable(format!("standard input: {e}")))?;
        bytes
    } else {
        std::fs::read(&input.file).map_err(|e| {
            Error::Invalid(format!("cannot open '{}': {e}. Check the path", input.file))
        })?
    };
    let delimiter = match input.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => {
            return Err(Error::Invalid(format!(
                "--delimiter '{d}' is not one character; use , ; tab or |"
            )))
        }
    };
    let options = ReadOptions {
        delimiter,
        decimal_comma: input.decimal_comma.then_some(true),
        missing: input.missing.clone(),
    };
    let name = (input.file != "-").then_some(input.file.as_str());
    read_table(&bytes, name, &options)
}

/// Serialises a result, or renders it as text, as `--json` asks.
fn emit<T: serde::Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce(&T) -> String,
) -> Result<Output, Error> {
    if json {
        serde_json::to_value(value)
            .map(Output::Json)
            .map_err(|e| Error::Invalid(e.to_string()))
    } else {
        Ok(Output::Text(text(value)))
    }
}

fn km(args: &KmArgs) -> Result<Output, Error> {
    let table = read_input(&args.input)?;
    let _ = (&table, args.outcome.spec(), &args.group, &args.strata);
    let _ = emit(args.input.json, &(), |_| String::new());
    Err(Error::Invalid("km: not built yet".into()))
}

fn cox(args: &CoxArgs) -> Result<Output, Error> {
    let table = read_input(&args.input)?;
    let _ = (&table, args.outcome.spec());
    Err(Error::Invalid("cox: not built yet".into()))
}

fn table1(args: &Table1Args) -> Result<Output, Error> {
    use survcalc::describe::{render, Table1Options, TestName};
    use survcalc::format::{render_table, PStyle, TableFormat};
    let tests = args
        .tests
        .iter()
        .map(|t| {
            let (col, name) = t.rsplit_once('=').ok_or_else(|| {
                Error::Invalid(format!(
                    "--test '{t}': write it as COL=NAME, e.g. --test age=mann-whitney"
                ))
            })?;
            let test = TestName::from_name(name.trim()).ok_or_else(|| {
                Error::Invalid(format!(
                    "--test {t}: unknown test '{name}'; choose one of {}",
                    TestName::ALL.map(TestName::name).join(", ")
                ))
            })?;
            Ok((col.to_string(), test))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let p_style = PStyle::from_name(&args.p_style).ok_or_else(|| {
        Error::Invalid(format!(
            "--p-style '{}': choose one of {}",
            args.p_style,
            PStyle::NAMES.join(", ")
        ))
    })?;
    let format = TableFormat::from_name(&args.format).ok_or_else(|| {
        Error::Invalid(format!(
            "--format '{}': choose one of {}",
            args.format,
            TableFormat::NAMES.join(", ")
        ))
    })?;
    let mut render_options = render::RenderOptions {
        p_style,
        ..render::RenderOptions::default()
    };
    for d in &args.decimals {
        let (col, n) = match d.rsplit_once('=') {
            Some((col, n)) => (Some(col), n),
            None => (None, d.as_str()),
        };
        let n: usize = n.trim().parse().ok().filter(|&n| n <= 10).ok_or_else(|| {
            Error::Invalid(format!(
                "--decimals '{d}': give a whole number from 0 to 10, as N or COL=N"
            ))
        })?;
        match col {
            Some(col) => render_options
                .decimals_by_variable
                .push((col.to_string(), n)),
            None => render_options.decimals = n,
        }
    }
    let options = Table1Options {
        group: args.group.clone(),
        variables: args.variables.clone(),
        categorical: args.categorical.clone(),
        continuous: args.continuous.clone(),
        nonnormal: args.nonnormal.clone(),
        tests,
        row_percent: args.row_percent,
        missing_in_denominator: args.missing_in_denominator,
        smd: args.smd,
    };
    let table = read_input(&args.input)?;
    let result = survcalc::describe::table1(&table, &options)?;
    emit(args.input.json, &result, |t| {
        render_table(&render::table1_text(t, &render_options), format)
    })
}

fn inspect(args: &InspectArgs) -> Result<Output, Error> {
    let _ = read_input(&args.input)?;
    Err(Error::Invalid("inspect: not built yet".into()))
}
