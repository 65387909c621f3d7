//! R scripts that reproduce a result with R's own packages, for the statistician who signs off.
//!
//! A script reads the same file the way survcalc read it (delimiter, decimal mark, encoding,
//! sheet, missing-value tokens), builds the outcome the same way (event coding, time from
//! dates with the same divisor and cut-off), leaves out the same rows, and runs `survfit` and
//! `survdiff` (`km`), `coxph` (`cox`), `cmprsk::cuminc` (`cif`) or the tests of Table 1, with
//! the same options. Its results sit in the objects the contract names (`fit`, `test`), each
//! section says which of survcalc's tables it reproduces, and run with `Rscript` it prints R's
//! usual summaries. A script holds the file's path or name and the analysis's settings, never a
//! row of data: the page offers it as a download beside each result.
//!
//! Each public function takes the table (to resolve column names, the date order and the event
//! coding exactly as the analysis did) and the analysis's own result (for what it decided:
//! reference levels, the tests chosen, the number of rows used, which the script checks).

mod read;
mod survival;
mod table1;

pub use survival::{cif, cox, km, KmScript};
pub use table1::table1;

/// The data file as a script names it: an absolute path (command line) or the file's name
/// (the page, where the script is saved beside the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub path: String,
    /// Whether `path` is only a name, so the script says to put it beside the file.
    pub name_only: bool,
}

impl DataFile {
    /// A file named by its full path.
    pub fn path(path: impl Into<String>) -> DataFile {
        DataFile {
            path: path.into(),
            name_only: false,
        }
    }

    /// A file named only by its name (the page knows no path).
    pub fn name(name: impl Into<String>) -> DataFile {
        DataFile {
            path: name.into(),
            name_only: true,
        }
    }
}

/// The width comments are wrapped at.
const WIDTH: usize = 95;

/// A script being written: R lines and comments.
#[derive(Debug, Default)]
struct Script {
    text: String,
}

impl Script {
    fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// A comment, wrapped at [`WIDTH`]; line breaks in names (possible in a CSV header) stay
    /// inside it.
    fn comment(&mut self, text: impl AsRef<str>) {
        self.prefixed("# ", text.as_ref());
    }

    /// A numbered section's heading, after a blank line.
    fn section(&mut self, title: &str) {
        self.text.push('\n');
        self.prefixed("## ", title);
    }

    /// Text after `prefix`, words wrapped onto further lines of the same prefix.
    fn prefixed(&mut self, prefix: &str, text: &str) {
        let text: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut line = prefix.to_string();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            if line.len() > prefix.len() && line.len() + 1 + word.len() > WIDTH {
                self.line(&line);
                line = prefix.to_string();
            }
            if line.len() > prefix.len() {
                line.push(' ');
            }
            line.push_str(word);
        }
        self.line(line.trim_end());
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }

    fn finish(self) -> String {
        self.text
    }
}

/// An R string literal: quotes and backslashes escaped, control characters and anything
/// beyond ASCII written as escapes, so the script reads the same in any locale.
fn r_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An R character vector `c("a", "b")` (a single string without `c()`).
fn r_strings<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [one] => r_string(one.as_ref()),
        _ => format!(
            "c({})",
            items
                .iter()
                .map(|s| r_string(s.as_ref()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// An R number: Rust's shortest round-trip form, which R reads back to the same double.
fn r_number(x: f64) -> String {
    format!("{x:?}")
        .trim_end_matches(".0")
        .replace("e+", "e")
        .to_string()
}

/// An R numeric vector `c(1, 2)` (a single number without `c()`).
fn r_numbers(xs: &[f64]) -> String {
    match xs {
        [one] => r_number(*one),
        _ => format!(
            "c({})",
            xs.iter()
                .map(|&x| r_number(x))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

const RESERVED: [&str; 20] = [
    "if",
    "else",
    "repeat",
    "while",
    "function",
    "for",
    "next",
    "break",
    "in",
    "TRUE",
    "FALSE",
    "NULL",
    "Inf",
    "NaN",
    "NA",
    "NA_integer_",
    "NA_real_",
    "NA_character_",
    "NA_complex_",
    "T",
];

/// Whether a name can stand bare in an R formula: ASCII letters, digits, `.` and `_`, starting
/// with a letter (or a dot not followed by a digit), and not a reserved word.
fn is_syntactic(name: &str) -> bool {
    let bytes = name.as_bytes();
    let start_ok = match bytes {
        [b'.', d, ..] => !d.is_ascii_digit(),
        [b'.'] => true,
        [first, ..] => first.is_ascii_alphabetic(),
        [] => false,
    };
    start_ok
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
        && !RESERVED.contains(&name)
        && name != "F"
}

/// The name a column gets in the script's data frame: the column's own name where R takes it
/// bare, else a plain version of it (`Age (years)` becomes `Age_years`), never one already
/// `taken`.
fn r_name(column: &str, taken: &mut Vec<String>) -> String {
    let base = if is_syntactic(column) {
        column.to_string()
    } else {
        let mut plain = String::new();
        for c in column.chars() {
            if c.is_ascii_alphanumeric() || c == '.' {
                plain.push(c);
            } else if !plain.ends_with('_') {
                plain.push('_');
            }
        }
        let plain = plain.trim_matches('_').to_string();
        if is_syntactic(&plain) {
            plain
        } else {
            format!("x_{plain}").trim_end_matches('_').to_string()
        }
    };
    let mut name = base.clone();
    let mut k = 2;
    while taken.contains(&name) || !is_syntactic(&name) {
        name = format!("{base}_{k}");
        k += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_any_locale() {
        assert_eq!(r_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(r_string("café"), r#""caf\u00e9""#);
        assert_eq!(r_string("x\ny"), r#""x\ny""#);
        assert_eq!(r_string("🙂"), r#""\U0001f642""#);
        assert_eq!(r_strings(&["1"]), r#""1""#);
        assert_eq!(r_strings(&["1", "2"]), r#"c("1", "2")"#);
    }

    #[test]
    fn numbers_round_trip() {
        assert_eq!(r_number(0.95), "0.95");
        assert_eq!(r_number(30.4375), "30.4375");
        assert_eq!(r_number(12.0), "12");
        assert_eq!(r_number(1e-7), "1e-7");
        assert_eq!(r_number(1e21), "1e21");
        assert_eq!(r_numbers(&[12.0, 36.5]), "c(12, 36.5)");
    }

    #[test]
    fn column_names_become_r_names() {
        let mut taken = vec!["time".to_string(), "status".to_string()];
        assert_eq!(r_name("ph.ecog", &mut taken), "ph.ecog");
        assert_eq!(r_name("Age (years)", &mut taken), "Age_years");
        assert_eq!(r_name("time", &mut taken), "time_2");
        assert_eq!(r_name("2nd line", &mut taken), "x_2nd_line");
        assert_eq!(r_name("if", &mut taken), "x_if");
        assert_eq!(r_name("Åge", &mut taken), "ge");
        assert_eq!(r_name("ÅÄÖ", &mut taken), "x");
        assert_eq!(r_name("ph.ecog", &mut taken), "ph.ecog_2");
    }
}
