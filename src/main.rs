//! The `survcalc` command line: reads a file, runs the core, prints JSON or readable tables.
//!
//! This is the only code that touches files, standard output and exit codes; the contract is
//! `shared/spec/cli.md`.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use survcalc::cif::CifOptions;
use survcalc::compare::Adjust;
use survcalc::cox::{covariate_specs, CovariateFlag, CoxSpec, Ties, ZphTransform};
use survcalc::data::competing::{CompetingData, CompetingSpec};
use survcalc::data::dates::DateFormat;
use survcalc::data::prepare::Exclusion;
use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec, TimeUnit};
use survcalc::data::profile::{profile_table, render_profile};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::finegray::FineGraySpec;
use survcalc::km::report::{analyse, render_text, KmAnalysis};
use survcalc::km::{ConfType, KmOptions};
use survcalc::Error;

#[path = "cli/cif.rs"]
mod cif_text;
#[path = "cli/finegray.rs"]
mod finegray_text;
#[path = "cli/regression.rs"]
mod regression_text;

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
    /// Cumulative incidence with competing risks per group, and Gray's test.
    Cif(CifArgs),
    /// Fine-Gray subdistribution hazards regression (competing risks).
    Finegray(FinegrayArgs),
    /// Baseline characteristics by group with a test on every row.
    Table1(Table1Args),
    /// Linear (least squares) or logistic regression of an outcome on covariates.
    Regression(RegressionArgs),
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
    #[arg(long = "missing", value_name = "TOKEN", allow_hyphen_values = true)]
    missing: Vec<String>,
    /// Spreadsheet files (.xlsx, .xls, .ods): the sheet to read; the first sheet by default.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
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
    #[arg(long = "event-value", value_name = "V", allow_hyphen_values = true)]
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
    /// End of follow-up (a date): a missing or later end date is censored at this date.
    #[arg(long, value_name = "DATE", requires = "end_date")]
    cutoff_date: Option<String>,
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
                cutoff: self.cutoff_date.clone(),
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
    /// Transform for pointwise confidence limits.
    #[arg(long, value_enum, default_value = "log-log")]
    conf_type: ConfTypeArg,
    /// Confidence level of every interval.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Restrict every group's mean survival time to this common time (default: each group's
    /// own largest observed time).
    #[arg(long)]
    tau: Option<f64>,
    /// Survival at these times, comma-separated (for example 12,36,60).
    #[arg(long, value_delimiter = ',', value_name = "T,...")]
    at: Vec<f64>,
    /// Also the Fleming-Harrington test with weights S(t-)^p (1 - S(t-))^q.
    #[arg(long, value_name = "P,Q")]
    fh: Option<String>,
    /// Log-rank test for trend with these scores, one per group in the groups' order.
    #[arg(long, value_delimiter = ',', value_name = "S,...")]
    trend_scores: Vec<f64>,
    /// Also compare every pair of groups by log-rank.
    #[arg(long)]
    pairwise: bool,
    /// Adjustment of pairwise p-values.
    #[arg(long, value_enum, default_value = "holm")]
    adjust: AdjustArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ConfTypeArg {
    #[value(name = "log-log")]
    LogLog,
    Log,
    Plain,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AdjustArg {
    Holm,
    Bonferroni,
    #[value(name = "bh", alias = "BH", alias = "fdr")]
    Bh,
}

#[derive(Args)]
struct CoxArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
    /// A covariate column (repeatable; terms in the order given).
    #[arg(long = "covariate", value_name = "COL")]
    covariate: Vec<String>,
    /// Treat a covariate as categorical, with reference level REF (default: first sorted level).
    #[arg(long = "categorical", value_name = "COL[=REF]")]
    categorical: Vec<String>,
    /// Column of strata: a separate baseline hazard in each.
    #[arg(long)]
    strata: Option<String>,
    /// How tied event times are handled.
    #[arg(long, value_enum, default_value = "efron")]
    ties: TiesArg,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Also fit one model per covariate (the univariable table).
    #[arg(long)]
    univariate: bool,
    /// Also test proportional hazards (R's cox.zph), with this transform of time.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "km", value_name = "TRANSFORM")]
    zph: Option<ZphArg>,
    /// Also fit Firth's penalised Cox model (Breslow ties), with profile-likelihood intervals.
    #[arg(long)]
    firth: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ZphArg {
    Km,
    Identity,
    Rank,
    Log,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TiesArg {
    Efron,
    Breslow,
}

/// The competing events: values of the event column other than the event of interest.
#[derive(Args)]
struct CompetingArgs {
    /// A value of the event column meaning a competing event (repeatable); values that are
    /// neither this nor an --event-value mean censored.
    #[arg(
        long = "competing-value",
        value_name = "W",
        allow_hyphen_values = true,
        required = true
    )]
    competing_value: Vec<String>,
}

#[derive(Args)]
struct CifArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
    #[command(flatten)]
    competing: CompetingArgs,
    /// Column of groups to compare.
    #[arg(long)]
    group: Option<String>,
    /// Confidence level of the limits.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Incidence at these times, comma-separated (for example 12,36,60).
    #[arg(long, value_delimiter = ',', value_name = "T,...")]
    at: Vec<f64>,
    /// Gray's test weights (1 - F(t-))^RHO; 0 weighs all times alike (cmprsk's default).
    #[arg(long, default_value_t = 0.0, value_name = "RHO")]
    rho: f64,
}

#[derive(Args)]
struct FinegrayArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
    #[command(flatten)]
    competing: CompetingArgs,
    /// A covariate column (repeatable; terms in the order given).
    #[arg(long = "covariate", value_name = "COL")]
    covariate: Vec<String>,
    /// Treat a covariate as categorical, with reference level REF (default: first sorted level).
    #[arg(long = "categorical", value_name = "COL[=REF]")]
    categorical: Vec<String>,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
}

#[derive(Args)]
struct RegressionArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The outcome column: a number (linear), or two values such as 0/1 or yes/no (logistic).
    #[arg(long)]
    outcome: String,
    /// The model: linear (least squares, R's lm) or logistic (R's glm with family binomial).
    #[arg(long, default_value = "linear")]
    family: survcalc::regression::Family,
    /// Logistic: a value of the outcome column meaning the outcome happened (repeatable).
    #[arg(long = "event-value", value_name = "V", allow_hyphen_values = true)]
    event_value: Vec<String>,
    /// A covariate column (repeatable; terms in the order given).
    #[arg(long = "covariate", value_name = "COL")]
    covariate: Vec<String>,
    /// Treat a covariate as categorical, with reference level REF (default: first sorted level).
    #[arg(long = "categorical", value_name = "COL[=REF]")]
    categorical: Vec<String>,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Logistic: also fit Firth's penalised logistic regression (finite estimates under separation).
    #[arg(long)]
    firth: bool,
    /// Linear: also list each row's fitted value and residual (JSON key "residuals").
    #[arg(long)]
    residuals: bool,
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
        Ok(Output::Json(value)) => write_stdout(&format!("{value}\n")),
        Ok(Output::Text(text)) => write_stdout(&text),
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
        Command::Cif(args) => cif(&args),
        Command::Finegray(args) => finegray(&args),
        Command::Table1(args) => table1(&args),
        Command::Regression(args) => regression(&args),
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
        sheet: input.sheet.clone(),
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
    let fleming_harrington = args.fh.as_deref().map(parse_fh).transpose()?;
    let table = read_input(&args.input)?;
    let data = SurvivalData::from_table(
        &table,
        &args.outcome.spec(),
        args.group.as_deref(),
        args.strata.as_deref(),
    )?;
    drop(table);
    let options = KmAnalysis {
        km: KmOptions {
            conf_type: match args.conf_type {
                ConfTypeArg::LogLog => ConfType::LogLog,
                ConfTypeArg::Log => ConfType::Log,
                ConfTypeArg::Plain => ConfType::Plain,
            },
            conf_level: args.conf_level,
        },
        tau: args.tau,
        at: args.at.clone(),
        fleming_harrington,
        trend_scores: (!args.trend_scores.is_empty()).then(|| args.trend_scores.clone()),
        pairwise: args.pairwise.then_some(match args.adjust {
            AdjustArg::Holm => Adjust::Holm,
            AdjustArg::Bonferroni => Adjust::Bonferroni,
            AdjustArg::Bh => Adjust::BenjaminiHochberg,
        }),
    };
    let report = analyse(&data, &options)?;
    emit(args.input.json, &report, render_text)
}

/// Reads `--fh P,Q`: two non-negative numbers.
fn parse_fh(text: &str) -> Result<(f64, f64), Error> {
    let parts: Vec<Option<f64>> = text
        .split(',')
        .map(|x| {
            x.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
        })
        .collect();
    match parts[..] {
        [Some(p), Some(q)] => Ok((p, q)),
        _ => Err(Error::Invalid(format!(
            "--fh '{text}' is not two non-negative numbers; write it as P,Q (for example --fh 0,1)"
        ))),
    }
}

fn cox(args: &CoxArgs) -> Result<Output, Error> {
    let table = read_input(&args.input)?;
    let spec = CoxSpec {
        outcome: args.outcome.spec(),
        covariates: covariate_specs(
            &covariate_flags(&args.covariate, &args.categorical),
            table.headers(),
        ),
        strata: args.strata.clone(),
        ties: match args.ties {
            TiesArg::Efron => Ties::Efron,
            TiesArg::Breslow => Ties::Breslow,
        },
        conf_level: args.conf_level,
        univariate: args.univariate,
        zph: args.zph.map(|z| match z {
            ZphArg::Km => ZphTransform::Km,
            ZphArg::Identity => ZphTransform::Identity,
            ZphArg::Rank => ZphTransform::Rank,
            ZphArg::Log => ZphTransform::Log,
        }),
        firth: args.firth,
    };
    let fit = survcalc::cox::cox(&table, &spec)?;
    emit(args.input.json, &fit, survcalc::cox::render)
}

/// The competing-risks outcome from the outcome flags and `--competing-value`.
fn competing_spec(
    outcome: &OutcomeArgs,
    competing: &CompetingArgs,
) -> Result<CompetingSpec, Error> {
    let spec = outcome.spec();
    if spec.event_values.is_empty() {
        return Err(Error::Invalid(format!(
            "name the event of interest: --event-value V (repeatable) for the values of '{}' that mean it, and --competing-value W for those that mean a competing event",
            spec.event
        )));
    }
    Ok(CompetingSpec {
        time: spec.time,
        event: spec.event,
        event_values: spec.event_values,
        competing_values: competing.competing_value.clone(),
    })
}

fn cif(args: &CifArgs) -> Result<Output, Error> {
    let spec = competing_spec(&args.outcome, &args.competing)?;
    let table = read_input(&args.input)?;
    let data = CompetingData::from_table(&table, &spec, args.group.as_deref())?;
    drop(table);
    let options = CifOptions {
        conf_level: args.conf_level,
        at: args.at.clone(),
        rho: args.rho,
    };
    let result = survcalc::cif::analyse(&data, &options)?;
    emit(args.input.json, &result, cif_text::render)
}

fn finegray(args: &FinegrayArgs) -> Result<Output, Error> {
    let outcome = competing_spec(&args.outcome, &args.competing)?;
    let table = read_input(&args.input)?;
    let flags = covariate_flags(&args.covariate, &args.categorical);
    let spec = FineGraySpec {
        outcome,
        covariates: covariate_specs(&flags, table.headers()),
        conf_level: args.conf_level,
    };
    let fit = survcalc::finegray::finegray(&table, &spec)?;
    emit(args.input.json, &fit, finegray_text::render)
}

/// Excluded rows and warnings at the end of a readable result.
fn exclusions_and_warnings(out: &mut String, excluded: &[Exclusion], warnings: &[String]) {
    if !excluded.is_empty() {
        out.push_str(&format!("\n{} rows excluded:\n", excluded.len()));
        for e in excluded {
            out.push_str(&format!("  row {}: {}\n", e.row, e.reason));
        }
    }
    for w in warnings {
        out.push_str(&format!("\nwarning: {w}\n"));
    }
}

/// `--covariate` and `--categorical` flags in the order typed (clap keeps each list's order
/// only), so terms come out in the order the user named them.
fn covariate_flags(covariate: &[String], categorical: &[String]) -> Vec<CovariateFlag> {
    let mut typed = Vec::new();
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let make: fn(String) -> CovariateFlag = match name.as_str() {
            "--covariate" => CovariateFlag::Covariate,
            "--categorical" => CovariateFlag::Categorical,
            _ => continue,
        };
        if let Some(value) = inline.or_else(|| argv.next()) {
            typed.push(make(value));
        }
    }
    let parsed = covariate
        .iter()
        .cloned()
        .map(CovariateFlag::Covariate)
        .chain(categorical.iter().cloned().map(CovariateFlag::Categorical))
        .collect::<Vec<_>>();
    let same = |a: &[CovariateFlag], b: &[CovariateFlag]| {
        a.len() == b.len() && a.iter().all(|f| b.contains(f))
    };
    if same(&typed, &parsed) {
        typed
    } else {
        parsed
    }
}

fn regression(args: &RegressionArgs) -> Result<Output, Error> {
    use survcalc::regression::{regression, Family, RegressionSpec};
    let table = read_input(&args.input)?;
    let logistic = args.family == Family::Logistic;
    if !logistic && (args.firth || !args.event_value.is_empty()) {
        return Err(Error::Invalid(
            "--firth and --event-value apply to a logistic model; add --family logistic".into(),
        ));
    }
    let spec = RegressionSpec {
        outcome: args.outcome.clone(),
        family: args.family,
        event_values: args.event_value.clone(),
        covariates: covariate_specs(
            &covariate_flags(&args.covariate, &args.categorical),
            table.headers(),
        ),
        conf_level: args.conf_level,
        firth: args.firth,
        residuals: args.residuals,
    };
    let fit = regression(&table, &spec)?;
    let n_rows = table.n_rows();
    emit(args.input.json, &fit, |f| {
        regression_text::render(f, &args.outcome, n_rows)
    })
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
    let table = read_input(&args.input)?;
    let profile = profile_table(&table);
    emit(args.input.json, &profile, render_profile)
}

/// Writes the result; a reader that closed the pipe early (`| head`) is not an error.
fn write_stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the results: {e}");
            ExitCode::from(74)
        }
        _ => ExitCode::SUCCESS,
    }
}
