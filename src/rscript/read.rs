//! What every script shares: reading the file as survcalc read it, and the survival outcome
//! (time from a column or from dates, the event coding) with the rows survcalc leaves out.

use crate::data::competing::CompetingSpec;
use crate::data::dates::{iso_date, parse_date, resolve_format};
use crate::data::event::{CauseCoding, EventCoding};
use crate::data::prepare::{SurvivalSpec, TimeSpec};
use crate::data::values::MISSING_TOKENS;
use crate::data::Table;
use crate::error::{Error, Hint, Result};
use crate::options::{DateFormat, Setting, TimeUnit};

use super::{r_number, r_string, r_strings, DataFile, Script};

/// The header of the column an analysis named (names match as survcalc matches them: exactly,
/// else ignoring case and surrounding spaces).
pub(super) fn header(table: &Table, name: &str) -> Result<String> {
    Ok(table.headers()[table.column_index(name)?].clone())
}

/// Writes section 1: the missing-value tokens and the reading of the file into `raw`.
pub(super) fn read_file(s: &mut Script, table: &Table, file: &DataFile) {
    let source = table.source();
    s.section("1. The file, read as survcalc read it");
    if file.name_only {
        s.comment("Save this script in the data file's folder and run it there (or write the file's full path below).");
    }
    s.comment("survcalc reads these cells as missing, in any letter case (na.strings is case-sensitive, so the usual spellings are listed):");
    let mut tokens: Vec<String> = [
        "", "NA", "N/A", ".", "-", "NaN", "#N/A", "NULL", "missing", "?",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    debug_assert!(tokens
        .iter()
        .all(|t| MISSING_TOKENS.contains(&t.to_lowercase().as_str())));
    tokens.extend(table.missing_tokens().iter().map(|t| t.trim().to_string()));
    s.line(format!("missing_values <- {}", r_strings(&tokens)));
    s.line("missing_values <- unique(c(missing_values, tolower(missing_values), toupper(missing_values),");
    s.line("                           tools::toTitleCase(tolower(missing_values))))");
    match source.format.as_str() {
        "xlsx" | "xls" => read_workbook(s, table, file),
        "ods" => {
            let sheet = source.sheet.as_deref().unwrap_or("the first sheet");
            s.comment(format!(
                "survcalc read sheet '{sheet}' of this .ods workbook. R's readxl reads .xlsx and .xls only: save that sheet as CSV (comma-separated, decimal point) beside the workbook, with the name below."
            ));
            let csv = match file.path.rsplit_once('.') {
                Some((stem, _)) => format!("{stem}.csv"),
                None => format!("{}.csv", file.path),
            };
            let args = [
                r_string(&csv),
                "na.strings = missing_values".to_string(),
                "strip.white = TRUE".to_string(),
                "check.names = FALSE".to_string(),
            ];
            write_call(s, "raw <- read.csv(", &args);
        }
        _ => read_text(s, table, file),
    }
}

/// `read.csv` (or `read.delim` for tabs) with the delimiter, decimal mark and encoding survcalc
/// found, and Excel's `sep=` line skipped.
fn read_text(s: &mut Script, table: &Table, file: &DataFile) {
    let source = table.source();
    let delimiter = source.delimiter.as_deref().unwrap_or(",");
    let (what, sep) = match delimiter {
        "tab" => ("tab-separated", "\\t"),
        ";" => ("semicolon-separated", ";"),
        "," => ("comma-separated", ","),
        "|" => ("separated by |", "|"),
        _ => ("delimited", delimiter),
    };
    let dec = if table.decimal_comma() { "," } else { "." };
    let encoding = source.encoding.as_deref().unwrap_or("UTF-8");
    s.comment(format!(
        "survcalc read it as {what} text with a decimal {}, encoded {encoding}.",
        if table.decimal_comma() {
            "comma"
        } else {
            "point"
        }
    ));
    // R's "UTF-8-BOM" drops a byte-order mark when there is one; UTF-16 marks are dropped too.
    let file_encoding = match encoding {
        "UTF-8" => "UTF-8-BOM",
        other => other,
    };
    let function = if delimiter == "tab" {
        "read.delim"
    } else {
        "read.csv"
    };
    let mut args = vec![
        r_string(&file.path),
        format!("sep = \"{sep}\""),
        format!("dec = \"{dec}\""),
        format!("fileEncoding = {}", r_string(file_encoding)),
    ];
    if table.header_row() > 1 {
        // Excel's "sep=;" line above the header.
        args.push(format!("skip = {}", table.header_row() - 1));
    }
    args.extend([
        "na.strings = missing_values".to_string(),
        "strip.white = TRUE".to_string(),
        "check.names = FALSE".to_string(),
    ]);
    write_call(s, &format!("raw <- {function}("), &args);
}

/// `readxl::read_excel` on the sheet survcalc read.
fn read_workbook(s: &mut Script, table: &Table, file: &DataFile) {
    let source = table.source();
    let sheet = source.sheet.clone().unwrap_or_default();
    s.comment(format!(
        "survcalc read sheet '{sheet}' of this .{} workbook (readxl, like survcalc, starts at its first filled row).",
        source.format
    ));
    s.line("library(readxl)");
    let args = vec![
        r_string(&file.path),
        format!("sheet = {}", r_string(&sheet)),
        "na = missing_values".to_string(),
        ".name_repair = \"minimal\"".to_string(),
    ];
    write_call(s, "raw <- read_excel(", &args);
}

/// A call with its arguments, wrapped under the opening parenthesis past about 90 characters.
pub(super) fn write_call(s: &mut Script, head: &str, args: &[String]) {
    let indent = " ".repeat(head.len());
    let mut line = head.to_string();
    for (i, arg) in args.iter().enumerate() {
        let piece = if i + 1 == args.len() {
            format!("{arg})")
        } else {
            format!("{arg},")
        };
        if i > 0 && line.len() + 1 + piece.len() > 90 {
            s.line(&line);
            line = format!("{indent}{piece}");
        } else {
            if i > 0 {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    s.line(line);
}

/// How the event column is coded, as survcalc read it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Coding {
    /// 1 for these values, 0 for any other value.
    Event(Vec<String>),
    /// 1 for the event of interest, 2 for a competing event, 0 for any other value.
    Causes {
        event: Vec<String>,
        competing: Vec<String>,
    },
}

/// Where time comes from, with column names as in the header.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Time {
    Column(String),
    Dates {
        start: String,
        end: String,
        unit: TimeUnit,
        /// The order survcalc settled on for dates written with the year last.
        order: DateFormat,
        /// The cut-off date, ISO.
        cutoff: Option<String>,
    },
}

/// A survival outcome as survcalc built it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Outcome {
    pub time: Time,
    pub event: String,
    pub coding: Coding,
    /// survcalc's words for the coding (its `event_coding`).
    pub coding_words: String,
}

impl Outcome {
    /// The outcome of `km` and `cox`: the event coding as survcalc inferred or was told it.
    pub fn survival(table: &Table, spec: &SurvivalSpec) -> Result<Outcome> {
        let c = table.column_index(&spec.event)?;
        let present = (0..table.n_rows())
            .filter(|&r| !table.is_missing(c, r))
            .map(|r| table.cell(c, r));
        let coding = EventCoding::new(&spec.event, &spec.event_values, present)?;
        let values = match &coding {
            EventCoding::Listed(values) => values.clone(),
            EventCoding::Inferred { event, .. } => vec![event.clone()],
        };
        Ok(Outcome {
            time: Time::of(table, &spec.time)?,
            event: header(table, &spec.event)?,
            coding: Coding::Event(values),
            coding_words: coding.describe(),
        })
    }

    /// The outcome of `cif`: event of interest, competing events, censored.
    pub fn competing(table: &Table, spec: &CompetingSpec) -> Result<Outcome> {
        let coding = CauseCoding::new(&spec.event, &spec.event_values, &spec.competing_values)?;
        Ok(Outcome {
            time: Time::of(table, &spec.time)?,
            event: header(table, &spec.event)?,
            coding: Coding::Causes {
                event: coding.event_values().to_vec(),
                competing: coding.competing_values().to_vec(),
            },
            coding_words: coding.describe(),
        })
    }
}

impl Time {
    fn of(table: &Table, spec: &TimeSpec) -> Result<Time> {
        Ok(match spec {
            TimeSpec::Column(c) => Time::Column(header(table, c)?),
            TimeSpec::Dates {
                start,
                end,
                unit,
                format,
                cutoff,
            } => {
                let (sc, ec) = (table.column_index(start)?, table.column_index(end)?);
                // The same decision as the analysis made (crate::data::prepare::read_times).
                let order = resolve_format(
                    &format!("{start}' and '{end}"),
                    *format,
                    table.column_cells(sc).chain(table.column_cells(ec)),
                )?;
                let cutoff = cutoff
                    .as_deref()
                    .map(|d| {
                        parse_date(d, order).map(iso_date).ok_or_else(|| {
                            Error::usage(format!("the cut-off date '{d}' is not a date")).hint(
                                Hint::SetOption {
                                    setting: Setting::CutoffDate,
                                    example: Some("2021-12-31".into()),
                                },
                            )
                        })
                    })
                    .transpose()?;
                Time::Dates {
                    start: header(table, start)?,
                    end: header(table, end)?,
                    unit: *unit,
                    order,
                    cutoff,
                }
            }
        })
    }
}

/// The helper functions an outcome needs, written once at the top of the script.
pub(super) fn helpers(s: &mut Script, outcome: &Outcome) {
    match &outcome.coding {
        Coding::Event(_) => {
            s.comment("1 where the event column holds one of `values`, 0 for any other value, NA where it is empty; text is compared in any letter case and numbers by value, as survcalc compares them.");
            s.line("code_event <- function(x, values) {");
            s.line("  ifelse(is.na(x), NA, as.integer(tolower(x) %in% tolower(values)))");
            s.line("}");
        }
        Coding::Causes { .. } => {
            s.comment("1 for the event of interest, 2 for a competing event, 0 for any other value (censored), NA where the cell is empty; compared in any letter case, numbers by value, as survcalc does.");
            s.line("code_cause <- function(x, event, competing) {");
            s.line("  x <- tolower(x)");
            s.line("  ifelse(is.na(x), NA, ifelse(x %in% tolower(event), 1,");
            s.line("                              ifelse(x %in% tolower(competing), 2, 0)))");
            s.line("}");
        }
    }
    if matches!(outcome.time, Time::Dates { .. }) {
        s.blank();
        date_helper(s);
    }
}

/// `read_dates`: the date forms survcalc reads, and an error naming a cell it would refuse.
fn date_helper(s: &mut Script) {
    s.comment("Dates as survcalc reads them: year first (2021-03-04), day-first or month-first with / . or - (whichever survcalc settled on for this file), 20210304, Excel serial numbers (days from 1899-12-30), date cells of a workbook, and dates with a month's name (English); a time of day after the date is ignored.");
    for line in [
        "read_dates <- function(x, day_first) {",
        "  if (inherits(x, c(\"Date\", \"POSIXt\"))) return(as.Date(x))",
        "  if (is.numeric(x)) return(as.Date(x, origin = \"1899-12-30\"))",
        "  x <- trimws(x)",
        "  day <- gsub(\"[.-]\", \"/\", sub(\"[ T].*$\", \"\", x))",
        "  out <- as.Date(rep(NA_character_, length(x)))",
        "  year_first <- grepl(\"^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$\", day)",
        "  out[year_first] <- as.Date(day[year_first], \"%Y/%m/%d\")",
        "  year_last <- grepl(\"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$\", day)",
        "  out[year_last] <- as.Date(day[year_last], if (day_first) \"%d/%m/%Y\" else \"%m/%d/%Y\")",
        "  compact <- grepl(\"^[0-9]{8}$\", x)",
        "  out[compact] <- as.Date(x[compact], \"%Y%m%d\")",
        "  serial <- grepl(\"^[0-9]{1,7}$\", x)",
        "  out[serial] <- as.Date(as.numeric(x[serial]), origin = \"1899-12-30\")",
        "  for (format in c(\"%d-%b-%Y\", \"%d %b %Y\", \"%d%b%Y\", \"%b %d, %Y\", \"%d %B %Y\", \"%B %d, %Y\")) {",
        "    named <- is.na(out) & grepl(\"[A-Za-z]\", x)",
        "    out[named] <- as.Date(x[named], format)",
        "  }",
        "  bad <- !is.na(x) & is.na(out)",
        "  if (any(bad)) stop(\"'\", x[bad][1], \"' is not a date survcalc reads\")",
        "  out",
        "}",
    ] {
        s.line(line);
    }
}

/// Writes section 2: `time` and `status` as survcalc built them, from `raw`.
pub(super) fn outcome_section(s: &mut Script, outcome: &Outcome) {
    s.section("2. The outcome, as survcalc built it");
    s.comment(format!(
        "Event column '{}': {}.",
        outcome.event, outcome.coding_words
    ));
    let event = format!("raw[[{}]]", r_string(&outcome.event));
    let codes = match &outcome.coding {
        Coding::Event(values) => {
            s.line(format!(
                "status <- code_event({event}, {})",
                r_strings(values)
            ));
            "1"
        }
        Coding::Causes {
            event: ev,
            competing,
        } => {
            let competing = if competing.is_empty() {
                "character(0)".to_string()
            } else {
                r_strings(competing)
            };
            s.line(format!(
                "status <- code_cause({event}, event = {}, competing = {competing})",
                r_strings(ev)
            ));
            "c(1, 2)"
        }
    };
    match &outcome.time {
        Time::Column(c) => {
            s.line(format!("time <- raw[[{}]]", r_string(c)));
        }
        Time::Dates {
            start,
            end,
            unit,
            order,
            cutoff,
        } => {
            let day_first = match order {
                DateFormat::Mdy => "FALSE",
                _ => "TRUE",
            };
            match order {
                DateFormat::Dmy => s.comment("Dates written with the year last are day-first (25/03/2016), as survcalc read them."),
                DateFormat::Mdy => s.comment("Dates written with the year last are month-first (03/25/2016), as survcalc read them."),
                DateFormat::Auto => s.comment("No date in these columns is written with the year last."),
            }
            s.line(format!(
                "start <- read_dates(raw[[{}]], day_first = {day_first})",
                r_string(start)
            ));
            s.line(format!(
                "end <- read_dates(raw[[{}]], day_first = {day_first})",
                r_string(end)
            ));
            if let Some(cutoff) = cutoff {
                s.comment(format!("Follow-up ends at the cut-off date {cutoff}: a later end date, or none, is censored there; an event without an end date cannot be placed in time, so that row is not used."));
                s.line(format!("cutoff <- as.Date(\"{cutoff}\")"));
                s.line("no_end <- is.na(end)");
                s.line("late <- !no_end & end > cutoff");
                s.line("status[late & !is.na(status)] <- 0");
                s.line(format!("status[no_end & status %in% {codes}] <- NA"));
                s.line("end[no_end | late] <- cutoff");
            }
            match unit {
                TimeUnit::Days => {
                    s.comment("Time in days.");
                    s.line("time <- as.numeric(end - start)");
                }
                _ => {
                    s.comment(format!(
                        "Time in {} = days / {}, as survcalc computes it.",
                        unit.name(),
                        r_number(unit.days())
                    ));
                    s.line(format!(
                        "time <- as.numeric(end - start) / {}",
                        r_number(unit.days())
                    ));
                }
            }
        }
    }
}

/// Writes the frame `d` of the outcome and the other columns (`(r name, column)`), and the
/// section that keeps the rows survcalc uses, checking their number against survcalc's.
pub(super) fn frame_and_rows(
    s: &mut Script,
    columns: &[(String, String)],
    roles: &str,
    n_used: usize,
) {
    s.blank();
    let mut args = vec!["time = time".to_string(), "status = status".to_string()];
    args.extend(
        columns
            .iter()
            .map(|(name, column)| format!("{name} = raw[[{}]]", r_string(column))),
    );
    write_call(s, "d <- data.frame(", &args);
    s.section("3. The rows survcalc uses");
    s.comment(format!(
        "Not used, as in survcalc's list of excluded rows: a missing or negative time, a missing event{roles}."
    ));
    s.line("d <- d[complete.cases(d) & d$time >= 0, ]");
    check_rows(s, n_used);
}

/// Prints the number of rows used and warns when it is not survcalc's.
pub(super) fn check_rows(s: &mut Script, n_used: usize) {
    s.line(format!(
        "cat(\"Rows used:\", nrow(d), \"(survcalc used {n_used})\\n\")"
    ));
    s.line(format!("if (nrow(d) != {n_used}) warning(\"survcalc used {n_used} rows; this script uses \", nrow(d), \": check how the file was read\")"));
}
