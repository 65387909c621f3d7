//! The command line: flags parsed through the core's option enums, files read, results printed
//! as JSON or readable text, errors rendered with their hints as flags.
//!
//! This is the only code that touches files, standard output and exit codes; the contract is
//! `docs/cli.md`.

mod cif;
mod cox;
mod figure;
mod finegray;
mod hints;
mod inspect;
mod km;
mod labels;
mod regression;
mod table1;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::process::ExitCode;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind as ClapErrorKind};
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use survcalc::analysis::{analyse, KmAnalysis};
use survcalc::cif::CifOptions;
use survcalc::cox::{covariate_specs, CovariateFlag, CoxSpec};
use survcalc::data::competing::{CompetingData, CompetingSpec};
use survcalc::data::prepare::{Exclusion, SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::profile::profile_table;
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::error::Hint;
use survcalc::exact::PermutationOptions;
use survcalc::finegray::FineGraySpec;
use survcalc::km::KmOptions;
use survcalc::options::{
    Adjust, Choice, ConfType, DateFormat, Delimiter, Family, PStyle, PercentBasis, Setting,
    TableFormat, TestName, Ties, TimeUnit, ZphTransform,
};
use survcalc::plot::HrMethod;
use survcalc::regression::RegressionSpec;
use survcalc::rscript::{self, DataFile};
use survcalc::Error;

/// Parses a flag's value through a core option enum, listing its names in `--help` and in the
/// error for an unknown word, so the command line and the page accept the same words.
#[derive(Clone)]
struct ChoiceParser<T>(PhantomData<T>);

fn choice<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

impl<T: Choice> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        text.parse::<T>().map_err(|_| {
            let mut err = clap::Error::new(ClapErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                err.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String(arg.to_string()),
                );
            }
            err.insert(
                ContextKind::InvalidValue,
                ContextValue::String(text.to_string()),
            );
            err.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(T::NAMES.iter().map(|s| s.to_string()).collect()),
            );
            err
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::NAMES.iter().map(PossibleValue::new)))
    }
}

/// A delimiter flag: `auto`, `tab`, or one character.
fn delimiter(text: &str) -> Result<Delimiter, String> {
    text.parse::<Delimiter>().map_err(|e| e.to_string())
}

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
    #[arg(long, value_parser = delimiter, default_value = "auto")]
    delimiter: Delimiter,
    /// Read numbers with a decimal comma (detected when not given).
    #[arg(long)]
    decimal_comma: bool,
    /// A further token meaning "missing" (repeatable); NA, empty, "." and similar always do.
    #[arg(long = "missing", value_name = "TOKEN", allow_hyphen_values = true)]
    missing: Vec<String>,
    /// Spreadsheet files (.xlsx, .xls, .ods): the sheet to read; by default the first sheet
    /// that holds a table.
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
    /// Unit of time computed from dates (default days); with --time, the unit of its times,
    /// which a figure states and can convert (--display-unit).
    #[arg(long, value_parser = choice::<TimeUnit>())]
    unit: Option<TimeUnit>,
    /// How to read dates written with slashes or dots.
    #[arg(long, value_parser = choice::<DateFormat>(), default_value = "auto")]
    date_format: DateFormat,
    /// End of follow-up (a date): a missing or later end date is censored at this date.
    #[arg(long, value_name = "DATE", requires = "end_date")]
    cutoff_date: Option<String>,
}

impl OutcomeArgs {
    /// The unit of the times: that of time from dates (days unless chosen), or the one given
    /// for a time column.
    fn data_unit(&self) -> Option<TimeUnit> {
        self.start_date
            .is_some()
            .then(|| self.unit.unwrap_or_default())
            .or(self.unit)
    }

    fn spec(&self) -> SurvivalSpec {
        let time = match (&self.time, &self.start_date, &self.end_date) {
            (Some(time), _, _) => TimeSpec::Column(time.clone()),
            (None, Some(start), Some(end)) => TimeSpec::Dates {
                start: start.clone(),
                end: end.clone(),
                unit: self.unit.unwrap_or_default(),
                format: self.date_format,
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
    labels: labels::LabelArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
    /// Column of groups to compare.
    #[arg(long)]
    group: Option<String>,
    /// Column of strata for stratified tests.
    #[arg(long)]
    strata: Option<String>,
    /// The group the others are compared with (the hazard ratio, the RMST comparisons, the
    /// pairwise listing; the figure's hazard ratio): a level of --group as the data write it;
    /// by default the first group.
    #[arg(long, value_name = "LEVEL", requires = "group")]
    reference: Option<String>,
    /// Transform for pointwise confidence limits (log-log: Stata's and SAS's default; log:
    /// R survfit's default; plain: SPSS's).
    #[arg(long, value_parser = choice::<ConfType>(), default_value = "log-log")]
    conf_type: ConfType,
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
    #[arg(long, value_parser = choice::<Adjust>(), default_value = "holm")]
    adjust: Adjust,
    /// Print an R script that reproduces these results with R's own packages, instead of the
    /// results (the file's absolute path is written in it; the data are not).
    #[arg(long)]
    r_script: bool,
    /// Also the permutation log-rank test: exact for two groups when it can be computed in
    /// about a second, else (and for more groups) Monte Carlo.
    #[arg(long)]
    exact: bool,
    /// Random permutations of the Monte Carlo permutation test.
    #[arg(long, default_value_t = 100_000, value_name = "N", requires = "exact")]
    resamples: u64,
    /// Seed of the Monte Carlo permutation test's random numbers.
    #[arg(long, default_value_t = 1, value_name = "S", requires = "exact")]
    seed: u64,
    /// Also SPSS's "Means and Medians for Survival Time" means (restricted to each group's
    /// largest time) with their confidence limits.
    #[arg(long)]
    spss_means: bool,
    #[command(flatten)]
    figure: figure::FigureArgs,
    /// Two groups: the hazard ratio on the figure, mantel-haenszel (from the log-rank test) or
    /// cox (a Cox model of the group alone); none by default, as on the page.
    #[arg(long, value_name = "METHOD", value_parser = figure::serde_name::<HrMethod>, requires = "plot")]
    plot_hazard_ratio: Option<HrMethod>,
}

#[derive(Args)]
struct CoxArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    labels: labels::LabelArgs,
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
    #[arg(long, value_parser = choice::<Ties>(), default_value = "efron")]
    ties: Ties,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Also fit one model per covariate (the univariable table).
    #[arg(long)]
    univariate: bool,
    /// Also test proportional hazards (R's cox.zph), with this transform of time.
    #[arg(long, value_parser = choice::<ZphTransform>(), num_args = 0..=1,
          default_missing_value = "km", value_name = "TRANSFORM")]
    zph: Option<ZphTransform>,
    /// Also draw the proportional-hazards plot (R's plot.cox.zph: each term's residuals, spline
    /// smooth and band, as panels of one figure) into FILE: .svg, .pdf, .tif/.tiff or .png
    /// (300 dpi), single-column width.
    #[arg(long, value_name = "FILE", requires = "zph")]
    zph_plot: Option<std::path::PathBuf>,
    #[command(flatten)]
    forest: figure::ForestArgs,
    /// Also fit Firth's penalised Cox model (Breslow ties), with profile-likelihood intervals.
    #[arg(long)]
    firth: bool,
    /// Print an R script that reproduces these results with R's own packages, instead of the
    /// results (the file's absolute path is written in it; the data are not).
    #[arg(long)]
    r_script: bool,
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
    labels: labels::LabelArgs,
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
    #[command(flatten)]
    figure: figure::FigureArgs,
    /// Print an R script that reproduces these results with R's own packages, instead of the
    /// results (the file's absolute path is written in it; the data are not).
    #[arg(long)]
    r_script: bool,
}

#[derive(Args)]
struct FinegrayArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    labels: labels::LabelArgs,
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
    #[arg(long, value_parser = choice::<Family>(), default_value = "linear")]
    family: Family,
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
    #[command(flatten)]
    labels: labels::LabelArgs,
    /// Column of groups (the table's columns).
    #[arg(long)]
    group: String,
    /// A characteristic to describe (repeatable; rows in this order).
    #[arg(long = "variable", value_name = "COL", required = true)]
    variables: Vec<String>,
    /// Treat a numeric column as categorical (numbers with at most 5 distinct whole values
    /// already are).
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
    /// What each level's percentage is of: its group's non-missing values (column), the
    /// level's values across groups (row), or all non-missing values (total). Missing values
    /// are counted on their own line and never enter a percentage.
    #[arg(long, value_parser = choice::<PercentBasis>(), default_value = "column")]
    percent: PercentBasis,
    /// Same as --percent row (kept for earlier scripts).
    #[arg(long, conflicts_with = "percent")]
    row_percent: bool,
    /// Test 2 x 2 tables with Yates' continuity correction (R's chisq.test default) where the
    /// automatic choice is chi-square; without it, Pearson's chi-square without correction
    /// (SPSS's Pearson Chi-Square). `--test COL=chi-square-yates` chooses it for one variable.
    #[arg(long)]
    yates: bool,
    /// Add standardised mean differences (two groups).
    #[arg(long)]
    smd: bool,
    /// P value style.
    #[arg(long, value_parser = choice::<PStyle>(), default_value = "default")]
    p_style: PStyle,
    /// Decimals of means, SDs and quantiles: N for all, or COL=N for one variable (repeatable).
    #[arg(long, value_name = "N|COL=N")]
    decimals: Vec<String>,
    /// Decimals of percentages (0 to 4); a percentage that would round to 0 shows as "<1%"
    /// (at 0 decimals), "<0.1%" (at 1), and so on.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(0..=4))]
    percent_decimals: u8,
    /// Readable output format.
    #[arg(long, value_parser = choice::<TableFormat>(), default_value = "text")]
    format: TableFormat,
    /// Print an R script that reproduces the P column with R's stats package, instead of the
    /// table (the file's absolute path is written in it; the data are not).
    #[arg(long)]
    r_script: bool,
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

/// Parses the arguments, runs the command, prints its output or its error; the exit status is
/// 0, 2 (usage), 65 (data), 70 (an internal fault, reported as such) or 74 (output failed).
pub fn main() -> ExitCode {
    quiet_panics();
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (m, cli)));
    let (matches, cli) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return usage_error(e),
    };
    let (_, sub) = matches.subcommand().expect("clap requires a subcommand");
    let sub = sub.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || run(cli.command, &sub))) {
        Ok(Ok(Output::Json(value))) => write_stdout(&format!("{value}\n")),
        Ok(Ok(Output::Text(text))) => write_stdout(&text),
        Ok(Err(err)) => {
            for line in hints::message(&err).lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(if err.is_data_error() { 65 } else { 2 })
        }
        Err(_) => {
            let what = PANIC.lock().map(|m| m.clone()).unwrap_or_default();
            eprintln!("error: survcalc failed unexpectedly ({what}); please report this with the command that caused it");
            ExitCode::from(70)
        }
    }
}

/// Help and version as clap prints them; a usage error as `error:` lines (the contract: every
/// line of an error on standard error starts with `error:`), exit status 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use ClapErrorKind::{DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, DisplayVersion};
    if matches!(
        e.kind(),
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(e.exit_code() as u8);
    }
    let text = e.render().to_string();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("For more information") {
            continue;
        }
        eprintln!("error: {}", line.strip_prefix("error: ").unwrap_or(line));
    }
    ExitCode::from(2)
}

/// The last panic's message, kept by the quiet hook for `main` to report as an error line.
static PANIC: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// Replaces the default panic output (a message and a backtrace hint) with nothing: a panic
/// caught inside the core (a damaged workbook) is reported by the core, one not caught by
/// `main`, as an `error:` line.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = PANIC.lock() {
            *last = info.to_string();
        }
    }));
}

fn run(command: Command, matches: &ArgMatches) -> Result<Output, Error> {
    match command {
        Command::Km(args) => km(&args),
        Command::Cox(args) => cox(&args, matches),
        Command::Cif(args) => cif(&args),
        Command::Finegray(args) => finegray(&args, matches),
        Command::Table1(args) => table1(&args),
        Command::Regression(args) => regression(&args, matches),
        Command::Inspect(args) => inspect(&args),
    }
}

fn read_input(input: &InputArgs) -> Result<Table, Error> {
    let bytes = if input.file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::unreadable(format!("standard input: {e}")))?;
        bytes
    } else {
        std::fs::read(&input.file).map_err(|e| {
            Error::usage(format!("cannot open '{}': {e}. Check the path", input.file))
        })?
    };
    let options = ReadOptions {
        delimiter: input.delimiter.byte(),
        decimal_comma: input.decimal_comma.then_some(true),
        missing: input.missing.clone(),
        sheet: input.sheet.clone(),
    };
    let name = (input.file != "-").then_some(input.file.as_str());
    let table = read_table(&bytes, name, &options)?;
    if let Some(note) = sheet_note(&table, input.sheet.is_some()) {
        eprintln!("note: {note}");
    }
    Ok(table)
}

/// Which sheet of a workbook was read, when the reader chose it among several: the user
/// must be able to see that the cover page was passed over, and how to choose another.
fn sheet_note(table: &Table, chosen_by_user: bool) -> Option<String> {
    let source = table.source();
    let sheet = source.sheet.as_deref()?;
    if chosen_by_user || source.sheets.len() < 2 {
        return None;
    }
    let sheets = source
        .sheets
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>();
    Some(format!(
        "read sheet '{sheet}' of the workbook's sheets {}, the first that looks like a table; choose another with --sheet NAME",
        sheets.join(", ")
    ))
}

/// The data file as a script names it: its absolute path. A script reads the file again, so
/// standard input cannot be named.
fn script_file(input: &InputArgs) -> Result<DataFile, Error> {
    if input.file == "-" {
        return Err(Error::usage(
            "an R script reads the data file again, so it needs the file's path, not standard input",
        )
        .hint(Hint::ChooseFile));
    }
    let path = std::fs::canonicalize(&input.file)
        .map_err(|e| Error::usage(format!("cannot open '{}': {e}. Check the path", input.file)))?;
    Ok(DataFile::path(path.to_string_lossy()))
}

/// A script as the command's output.
fn r_script(script: Result<String, Error>) -> Result<Output, Error> {
    script.map(Output::Text)
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
            .map_err(|e| Error::usage(e.to_string()))
    } else {
        Ok(Output::Text(text(value)))
    }
}

/// The rows read, for the exclusions' text: how many, and how the spreadsheet numbers them.
pub struct RowsRead {
    n_rows: usize,
    /// The spreadsheet row of the header (data row r is spreadsheet row header_row + r).
    header_row: usize,
    sheet: Option<String>,
}

impl RowsRead {
    fn of(table: &Table) -> RowsRead {
        RowsRead {
            n_rows: table.n_rows(),
            header_row: table.header_row(),
            sheet: table.source().sheet.clone(),
        }
    }
}

/// The rows used and not used, for the end of every readable report: a total ("5 of 35 rows
/// not used"), the count per reason, then each row as the spreadsheet program numbers it (the
/// JSON's `excluded[].row` is the data row, 1 for the first row under the header).
fn exclusions(excluded: &[Exclusion], rows: &RowsRead) -> String {
    let n_rows = rows.n_rows;
    if excluded.is_empty() {
        return format!("\nall {n_rows} rows used\n");
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for e in excluded {
        match counts.iter_mut().find(|(reason, _)| *reason == e.reason) {
            Some((_, n)) => *n += 1,
            None => counts.push((&e.reason, 1)),
        }
    }
    let mut out = format!(
        "\n{} of {n_rows} rows not used, {} used\n",
        excluded.len(),
        n_rows.saturating_sub(excluded.len())
    );
    for (reason, n) in counts {
        out.push_str(&format!("  {n:>6}  {reason}\n"));
    }
    match &rows.sheet {
        Some(sheet) => out.push_str(&format!("rows not used (rows of sheet '{sheet}'):\n")),
        None => out.push_str(&format!(
            "rows not used (as a spreadsheet numbers them, the header being row {}):\n",
            rows.header_row
        )),
    }
    for e in excluded {
        out.push_str(&format!(
            "  row {}: {}\n",
            rows.header_row + e.row,
            e.reason
        ));
    }
    out
}

/// The exclusions, then each warning on a line of its own.
fn exclusions_and_warnings(
    out: &mut String,
    excluded: &[Exclusion],
    rows: &RowsRead,
    warnings: &[String],
) {
    out.push_str(&exclusions(excluded, rows));
    for w in warnings {
        out.push_str(&format!("\nwarning: {w}\n"));
    }
}

fn km(args: &KmArgs) -> Result<Output, Error> {
    let fleming_harrington = args.fh.as_deref().map(parse_fh).transpose()?;
    let figure_file = args.figure.file()?;
    let table = read_input(&args.input)?;
    let data = SurvivalData::from_table(
        &table,
        &args.outcome.spec(),
        args.group.as_deref(),
        args.strata.as_deref(),
    )
    .map_err(|e| e.locate(&table))?;
    let labels = args.labels.read(&table)?;
    let shown = labels::Shown::new(&labels, &table, args.group.as_deref());
    let rows = RowsRead::of(&table);
    let options = KmAnalysis {
        km: KmOptions {
            conf_type: args.conf_type,
            conf_level: args.conf_level,
        },
        tau: args.tau,
        at: args.at.clone(),
        fleming_harrington,
        trend_scores: (!args.trend_scores.is_empty()).then(|| args.trend_scores.clone()),
        pairwise: args.pairwise.then_some(args.adjust),
        exact: args.exact.then_some(PermutationOptions {
            resamples: args.resamples,
            seed: args.seed,
        }),
        spss_means: args.spss_means,
        reference: args.reference.clone(),
    };
    let group_cox = match (&figure_file, args.plot_hazard_ratio, &args.group) {
        (Some(_), Some(HrMethod::Cox), Some(group)) => group_cox(&table, args, group),
        _ => None,
    };
    // The table is kept only for a script (which reads column names and codes from it).
    let table = args.r_script.then_some(table);
    let report = analyse(&data, &options)?;
    if let Some(table) = table {
        let request = rscript::KmScript {
            outcome: &args.outcome.spec(),
            group: args.group.as_deref(),
            strata: args.strata.as_deref(),
            options: &options,
        };
        return r_script(rscript::km(
            &table,
            &script_file(&args.input)?,
            &request,
            &report,
        ));
    }
    if let Some(file) = figure_file {
        let curves = figure::Curves {
            file,
            unit: args.outcome.data_unit(),
            shown: &shown,
        };
        let hazard_ratio = args
            .plot_hazard_ratio
            .and_then(|method| figure::hazard_note(method, &report, group_cox.as_ref()));
        if args.plot_hazard_ratio.is_some() && hazard_ratio.is_none() {
            eprintln!(
                "note: no hazard ratio on the figure: it needs two groups and a finite estimate"
            );
        }
        figure::km_plot(&args.figure, &curves, &report, hazard_ratio)?;
    }
    let output = emit(args.input.json, &report, |r| {
        km::render_text(r, &rows, &shown)
    })?;
    Ok(labels::into_json(output, &labels))
}

/// The Cox model of the group alone (with the `km` hazard ratio's reference level),
/// for the hazard ratio on the figure; None when it cannot be fitted.
fn group_cox(table: &Table, args: &KmArgs, group: &str) -> Option<survcalc::cox::CoxFit> {
    let categorical = match &args.reference {
        Some(reference) => format!("{group}={reference}"),
        None => group.to_string(),
    };
    let flags = [CovariateFlag::Categorical(categorical)];
    let spec = CoxSpec {
        outcome: args.outcome.spec(),
        covariates: covariate_specs(&flags, table.headers()),
        strata: None,
        ties: Ties::Efron,
        conf_level: args.conf_level,
        univariate: false,
        zph: None,
        firth: false,
        per: Vec::new(),
    };
    survcalc::cox::cox(table, &spec).ok()
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
        _ => Err(Error::usage(format!(
            "the Fleming-Harrington weights '{text}' are not two non-negative numbers P,Q"
        ))
        .hint(Hint::SetOption {
            setting: Setting::FlemingHarrington,
            example: Some("0,1".into()),
        })),
    }
}

fn cox(args: &CoxArgs, matches: &ArgMatches) -> Result<Output, Error> {
    let plot_format = args.zph_plot.as_deref().map(plot_format).transpose()?;
    let forest_file = args.forest.file()?;
    let table = read_input(&args.input)?;
    let flags = covariate_flags(&args.covariate, &args.categorical, matches);
    let spec = CoxSpec {
        outcome: args.outcome.spec(),
        covariates: covariate_specs(&flags, table.headers()),
        strata: args.strata.clone(),
        ties: args.ties,
        conf_level: args.conf_level,
        univariate: args.univariate,
        zph: args.zph,
        firth: args.firth,
        per: Vec::new(),
    };
    let fit = survcalc::cox::cox(&table, &spec).map_err(|e| e.locate(&table))?;
    let labels = args.labels.read(&table)?;
    if args.r_script {
        return r_script(rscript::cox(
            &table,
            &script_file(&args.input)?,
            &spec,
            &fit,
        ));
    }
    if let (Some(path), Some(format), Some(zph)) = (&args.zph_plot, plot_format, &fit.zph) {
        write_zph_plot(path, format, zph, &args.outcome)?;
    }
    if let Some(file) = &forest_file {
        figure::cox_forest(&args.forest, file, &fit, &labels)?;
    }
    let output = emit(args.input.json, &fit, |f| {
        cox::render(f, &RowsRead::of(&table), &labels)
    })?;
    Ok(labels::into_json(output, &labels))
}

/// The figure format a file's extension names.
fn plot_format(path: &std::path::Path) -> Result<survcalc::plot::export::Format, Error> {
    path.to_str()
        .and_then(survcalc::plot::export::Format::from_path)
        .ok_or_else(|| {
            Error::usage(format!(
                "--zph-plot {}: end the file name in .svg, .pdf, .tif or .png to choose the format",
                path.display()
            ))
        })
}

/// Draws the proportional-hazards plot (all terms as panels, one column, 300 dpi) into `path`;
/// times from dates are labelled in their unit.
fn write_zph_plot(
    path: &std::path::Path,
    format: survcalc::plot::export::Format,
    zph: &survcalc::cox::Zph,
    outcome: &OutcomeArgs,
) -> Result<(), Error> {
    use survcalc::plot::zph::{zph_svg, ZphOptions};
    let options = ZphOptions {
        time_unit: outcome
            .start_date
            .as_ref()
            .map(|_| outcome.unit.unwrap_or_default().name().to_string()),
        ..ZphOptions::default()
    };
    let svg = zph_svg(zph, &options)?;
    let bytes = survcalc::plot::export::export(&svg, format, 300.0)?;
    std::fs::write(path, bytes).map_err(|e| {
        Error::usage(format!(
            "--zph-plot {}: the plot could not be written ({e}); choose a folder you can write to",
            path.display()
        ))
    })
}

/// `--covariate` and `--categorical` flags in the order typed (clap keeps each list's order
/// only; its argument indices interleave the two), so terms come out in the order the user
/// named them.
fn covariate_flags(
    covariate: &[String],
    categorical: &[String],
    matches: &ArgMatches,
) -> Vec<CovariateFlag> {
    let indexed = |id: &str, values: &[String], make: fn(String) -> CovariateFlag| {
        let indices: Vec<usize> = matches.indices_of(id).into_iter().flatten().collect();
        indices
            .into_iter()
            .zip(values.iter().cloned().map(make))
            .collect::<Vec<_>>()
    };
    let mut flags = indexed("covariate", covariate, CovariateFlag::Covariate);
    flags.extend(indexed(
        "categorical",
        categorical,
        CovariateFlag::Categorical,
    ));
    flags.sort_by_key(|(index, _)| *index);
    flags.into_iter().map(|(_, flag)| flag).collect()
}

/// The competing-risks outcome from the outcome flags and `--competing-value`.
fn competing_spec(outcome: &OutcomeArgs, competing: &CompetingArgs) -> CompetingSpec {
    let spec = outcome.spec();
    CompetingSpec {
        time: spec.time,
        event: spec.event,
        event_values: spec.event_values,
        competing_values: competing.competing_value.clone(),
    }
}

fn cif(args: &CifArgs) -> Result<Output, Error> {
    let figure_file = args.figure.file()?;
    let spec = competing_spec(&args.outcome, &args.competing);
    let table = read_input(&args.input)?;
    let data = CompetingData::from_table(&table, &spec, args.group.as_deref())
        .map_err(|e| e.locate(&table))?;
    let labels = args.labels.read(&table)?;
    let shown = labels::Shown::new(&labels, &table, args.group.as_deref());
    let rows = RowsRead::of(&table);
    let table = args.r_script.then_some(table);
    let options = CifOptions {
        conf_level: args.conf_level,
        at: args.at.clone(),
        rho: args.rho,
    };
    let result = survcalc::cif::analyse(&data, &options)?;
    if let Some(table) = table {
        return r_script(rscript::cif(
            &table,
            &script_file(&args.input)?,
            &spec,
            args.group.as_deref(),
            &options,
            &result,
        ));
    }
    let output = emit(args.input.json, &result, |r| cif::render(r, &rows, &shown))?;
    if let Some(file) = figure_file {
        let curves = figure::Curves {
            file,
            unit: args.outcome.data_unit(),
            shown: &shown,
        };
        figure::cif_plot(&args.figure, &curves, &result, &args.outcome.event_value)?;
    }
    Ok(labels::into_json(output, &labels))
}

fn finegray(args: &FinegrayArgs, matches: &ArgMatches) -> Result<Output, Error> {
    let outcome = competing_spec(&args.outcome, &args.competing);
    let table = read_input(&args.input)?;
    let flags = covariate_flags(&args.covariate, &args.categorical, matches);
    let spec = FineGraySpec {
        outcome,
        covariates: covariate_specs(&flags, table.headers()),
        conf_level: args.conf_level,
        // Per-unit hazard ratios are the page's (the contract has no flag for them).
        per: Vec::new(),
    };
    let fit = survcalc::finegray::finegray(&table, &spec).map_err(|e| e.locate(&table))?;
    let labels = args.labels.read(&table)?;
    let output = emit(args.input.json, &fit, |f| {
        finegray::render(f, &RowsRead::of(&table), &labels)
    })?;
    Ok(labels::into_json(output, &labels))
}

fn regression(args: &RegressionArgs, matches: &ArgMatches) -> Result<Output, Error> {
    let table = read_input(&args.input)?;
    if args.family == Family::Linear && (args.firth || !args.event_value.is_empty()) {
        return Err(Error::usage(
            "Firth's penalty and the values meaning the outcome apply to a logistic model",
        )
        .hint(Hint::SetOption {
            setting: Setting::Family,
            example: Some("logistic".into()),
        }));
    }
    let flags = covariate_flags(&args.covariate, &args.categorical, matches);
    let spec = RegressionSpec {
        outcome: args.outcome.clone(),
        family: args.family,
        event_values: args.event_value.clone(),
        covariates: covariate_specs(&flags, table.headers()),
        conf_level: args.conf_level,
        firth: args.firth,
        residuals: args.residuals,
    };
    let fit = survcalc::regression::regression(&table, &spec).map_err(|e| e.locate(&table))?;
    emit(args.input.json, &fit, |f| {
        regression::render(f, &args.outcome, &RowsRead::of(&table))
    })
}

fn table1(args: &Table1Args) -> Result<Output, Error> {
    use survcalc::describe::Table1Options;
    use survcalc::format::render_table;
    let tests = args
        .tests
        .iter()
        .map(|t| {
            let bad = || {
                Error::usage(format!("the test choice '{t}' is not COL=NAME")).hint(
                    Hint::SetOption {
                        setting: Setting::Test,
                        example: Some("age=mann-whitney".into()),
                    },
                )
            };
            let (col, name) = t.rsplit_once('=').ok_or_else(bad)?;
            let test = name.parse::<TestName>().map_err(|_| {
                Error::usage(format!("'{name}' is not a known test"))
                    .column(col)
                    .hint(Hint::ChooseTest {
                        variable: col.to_string(),
                        choices: TestName::NAMES.iter().map(|n| n.to_string()).collect(),
                    })
            })?;
            Ok((col.to_string(), test))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut render_options = table1::RenderOptions {
        p_style: args.p_style,
        percent_decimals: usize::from(args.percent_decimals),
        ..table1::RenderOptions::default()
    };
    for d in &args.decimals {
        let (col, n) = match d.rsplit_once('=') {
            Some((col, n)) => (Some(col), n),
            None => (None, d.as_str()),
        };
        let n: usize = n.trim().parse().ok().filter(|&n| n <= 10).ok_or_else(|| {
            Error::usage(format!(
                "the decimals '{d}' are not a whole number from 0 to 10, as N or COL=N"
            ))
            .hint(Hint::SetOption {
                setting: Setting::Decimals,
                example: Some("2".into()),
            })
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
        percent: if args.row_percent {
            PercentBasis::Row
        } else {
            args.percent
        },
        yates: args.yates,
        smd: args.smd,
    };
    let table = read_input(&args.input)?;
    let result = survcalc::describe::table1(&table, &options).map_err(|e| e.locate(&table))?;
    render_options.labels = args.labels.read(&table)?;
    if args.r_script {
        return r_script(rscript::table1(
            &table,
            &script_file(&args.input)?,
            &options,
            &result,
        ));
    }
    let format = args.format;
    let output = emit(args.input.json, &result, |t| {
        render_table(&table1::table1_text(t, &render_options), format)
    })?;
    Ok(labels::into_json(output, &render_options.labels))
}

fn inspect(args: &InspectArgs) -> Result<Output, Error> {
    let table = read_input(&args.input)?;
    let profile = profile_table(&table);
    emit(args.input.json, &profile, inspect::render_profile)
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
