//! The core's hints in the command line's words: each choice named by its flag.

use survcalc::error::{Error, Hint};
use survcalc::options::Setting;

/// The flag that makes a choice.
pub fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Time => "--time",
        Setting::StartDate => "--start-date",
        Setting::EndDate => "--end-date",
        Setting::CutoffDate => "--cutoff-date",
        Setting::Unit => "--unit",
        Setting::DateOrder => "--date-format",
        Setting::Event => "--event",
        Setting::EventValues => "--event-value",
        Setting::CompetingValues => "--competing-value",
        Setting::Group => "--group",
        Setting::Reference => "--reference",
        Setting::Strata => "--strata",
        Setting::ConfType => "--conf-type",
        Setting::ConfLevel => "--conf-level",
        Setting::Tau => "--tau",
        Setting::At => "--at",
        Setting::FlemingHarrington => "--fh",
        Setting::TrendScores => "--trend-scores",
        Setting::Adjust => "--adjust",
        Setting::Covariates => "--covariate",
        Setting::Categorical => "--categorical",
        Setting::Continuous => "--continuous",
        Setting::Ties => "--ties",
        Setting::Outcome => "--outcome",
        Setting::Family => "--family",
        Setting::Variables => "--variable",
        Setting::Test => "--test",
        Setting::Decimals => "--decimals",
        Setting::Sheet => "--sheet",
        Setting::Delimiter => "--delimiter",
        Setting::Missing => "--missing",
        Setting::Resamples => "--resamples",
        Setting::Seed => "--seed",
        Setting::Labels => "--label",
    }
}

/// What follows a flag in its usage: the kind of value it takes.
fn placeholder(setting: Setting) -> &'static str {
    match setting {
        Setting::Time
        | Setting::StartDate
        | Setting::EndDate
        | Setting::Event
        | Setting::Group
        | Setting::Strata
        | Setting::Covariates
        | Setting::Categorical
        | Setting::Continuous
        | Setting::Outcome
        | Setting::Variables => "COL",
        _ => "VALUE",
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A hint as the sentence that follows the error's message, with its leading punctuation.
pub fn render(hint: &Hint) -> String {
    match hint {
        Hint::CheckColumnName { available } => format!(
            "; the columns are: {}. Check the spelling (names are case-sensitive), or the delimiter if only one column is listed",
            quoted(available)
        ),
        Hint::FixCell => ". Correct the cell, or leave it empty (or NA) to exclude the row".into(),
        Hint::FixCellOrMarkMissing { token, column } => format!(
            ". Correct the cell, mark it as missing (--missing '{token}'), or describe the column as categorical (--categorical {column})"
        ),
        Hint::UseDateColumns => {
            ". To compute time from dates, give --start-date COL --end-date COL instead of --time".into()
        }
        Hint::WriteDates => {
            ". Write dates as 2021-03-04, or as 04/03/2021 with --date-format dmy (or mdy for month-first)".into()
        }
        Hint::ChooseDateOrder => ". Say which with --date-format dmy or --date-format mdy".into(),
        Hint::ListEventValues { suggestion } => {
            format!(". Say which with --event-value (for example --event-value {suggestion})")
        }
        Hint::MarkCategorical { column } => format!(
            ". If '{column}' is categorical, add --categorical {column}; else correct the cell or leave it empty to exclude the row"
        ),
        Hint::ChooseSheet { sheets } => format!(
            ". Choose the sheet with the data (--sheet NAME); the sheets are: {}",
            quoted(sheets)
        ),
        Hint::SaveAsTable => {
            ". Open it in a spreadsheet program and save it as .xlsx or CSV".into()
        }
        Hint::SaveAsCsv => {
            ". Save it again from the spreadsheet program, or export the sheet as CSV".into()
        }
        Hint::SetOption { setting, example } => match example {
            Some(example) => format!(
                ". Set {} (for example {} {example})",
                flag(*setting),
                flag(*setting)
            ),
            None => format!(". Set {} to another value", flag(*setting)),
        },
        Hint::GiveOption { setting } => {
            format!(". Give {} {}", flag(*setting), placeholder(*setting))
        }
        Hint::ChooseColumn { setting } => {
            format!(". Choose another column for {}", flag(*setting))
        }
        Hint::ChooseLevel { setting, levels } => format!(
            ". Choose one of its levels for {}: {}",
            flag(*setting),
            quoted(levels)
        ),
        Hint::ChooseOne { first, second } => {
            format!(". Use {} or {}, not both", flag(*first), flag(*second))
        }
        Hint::ChooseTest { variable, choices } => format!(
            ". Choose one of {} (--test {variable}=NAME)",
            choices.join(", ")
        ),
        Hint::AddVariable { column } => {
            format!(". Add --variable {column} or correct the name")
        }
        Hint::LabelLevel { column, .. } => format!(
            ". Label one of them with --label {column}=LEVEL=TEXT (or a row \"{column},LEVEL,TEXT\" in the --labels file), spelt as the data write it"
        ),
        Hint::CheckEventCoding => ". Check --event and --event-value".into(),
        Hint::CheckColumns { columns } => format!(". Check {}", quoted(columns)),
        Hint::ChooseFile => {
            ". Choose the file that holds the data, with column names in the first row".into()
        }
        Hint::EditFile => ". Edit the file and read it again".into(),
        Hint::Reload => ". Reload the page and open the file again".into(),
    }
}

/// The error as the command line prints it after `error: `: where, what, and what to change.
pub fn message(err: &Error) -> String {
    let hint = err.hint.as_ref().map(render).unwrap_or_default();
    format!("{err}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_error_names_where_what_and_the_flags() {
        let err = Error::data("'2020-01-05' is a date, not a follow-up time")
            .column("time")
            .row(3)
            .hint(Hint::UseDateColumns);
        assert_eq!(
            message(&err),
            "column 'time', row 3: '2020-01-05' is a date, not a follow-up time. To compute time from dates, give --start-date COL --end-date COL instead of --time"
        );
    }

    #[test]
    fn the_spreadsheet_row_follows_the_data_row() {
        let mut err = Error::not_a_number("age", 4, "x");
        err.sheet = Some("Data".into());
        err.sheet_row = Some(7);
        assert_eq!(
            message(&err),
            "sheet 'Data', column 'age', row 4 (spreadsheet row 7): 'x' is not a number. Correct the cell, or leave it empty (or NA) to exclude the row"
        );
    }

    #[test]
    fn a_missing_column_lists_the_columns() {
        let err = Error::missing_column("tim", &["time".into(), "status".into()]);
        assert_eq!(
            message(&err),
            "column 'tim' not found; the columns are: 'time', 'status'. Check the spelling (names are case-sensitive), or the delimiter if only one column is listed"
        );
    }
}
