//! The Table 1 script: each row's test as R's `stats` runs it (`t.test`, `oneway.test`,
//! `wilcox.test`, `kruskal.test`, `chisq.test`, `fisher.test`), with the choices survcalc made.

use crate::data::Table;
use crate::describe::{Kind, Row, Table1, Table1Options, TestName};
use crate::error::Result;

use super::read::{self, header};
use super::{r_name, r_string, DataFile, Script};

/// The Table 1 script: one test per row in the list `tests`, named by variable.
pub fn table1(
    table: &Table,
    file: &DataFile,
    options: &Table1Options,
    result: &Table1,
) -> Result<String> {
    let mut taken = vec!["d".to_string(), "x".to_string(), "tests".to_string()];
    let group_column = header(table, &options.group)?;
    let group = r_name(&group_column, &mut taken);
    let mut columns = vec![(group.clone(), group_column.clone())];
    let mut names = Vec::with_capacity(result.rows.len());
    for row in &result.rows {
        let column = header(table, &row.variable)?;
        let name = r_name(&column, &mut taken);
        columns.push((name.clone(), column));
        names.push(name);
    }

    let mut s = Script::default();
    s.comment(format!(
        "Table 1 by survcalc {}, its P values reproduced with R's stats package.",
        env!("CARGO_PKG_VERSION")
    ));
    s.comment(format!(
        "Data: {} (read again below; this script holds no data).",
        file.path
    ));
    s.comment("Run it with Rscript (R 4.0 or later); each test stays in the list `tests`, named by variable.");
    read::read_file(&mut s, table, file);

    s.section("2. The rows survcalc uses");
    s.comment(format!(
        "Every row with a group ('{group_column}'); a variable's missing cells are left out of that variable's test only."
    ));
    let args: Vec<String> = columns
        .iter()
        .map(|(name, column)| format!("{name} = raw[[{}]]", r_string(column)))
        .collect();
    read::write_call(&mut s, "d <- data.frame(", &args);
    s.line(format!("d <- d[!is.na(d${group}), ]"));
    read::check_rows(&mut s, result.n);

    s.section("3. survcalc's P column: the test of each row");
    s.line("tests <- list()");
    for (row, name) in result.rows.iter().zip(&names) {
        test(&mut s, row, name, &group);
    }
    Ok(s.finish())
}

/// One row's test, stored as `tests[["variable"]]` and printed.
fn test(s: &mut Script, row: &Row, name: &str, group: &str) {
    s.blank();
    s.comment(format!(
        "'{}': {} (survcalc's test: {}).",
        row.variable,
        row.method,
        row.test.name()
    ));
    if row.p.is_none() {
        s.comment("survcalc gave no P for this row (see its warnings), so it is not tested here.");
        return;
    }
    let slot = format!("tests[[{}]]", r_string(&row.variable));
    let call = match (row.kind, row.test) {
        (Kind::Continuous, TestName::WelchT | TestName::StudentT) => format!(
            "t.test({name} ~ {group}, data = d, var.equal = {})",
            r_bool(row.test == TestName::StudentT)
        ),
        (Kind::Continuous, TestName::Anova | TestName::WelchAnova) => format!(
            "oneway.test({name} ~ {group}, data = d, var.equal = {})",
            r_bool(row.test == TestName::Anova)
        ),
        (Kind::Continuous, TestName::MannWhitney) => format!(
            "wilcox.test({name} ~ {group}, data = d, exact = {}, correct = TRUE)",
            r_bool(row.method.ends_with(", exact"))
        ),
        (Kind::Continuous, _) => format!("kruskal.test({name} ~ {group}, data = d)"),
        (Kind::Categorical, TestName::ChiSquare | TestName::ChiSquareYates) => {
            s.line(format!("x <- d[!is.na(d${name}), ]"));
            format!(
                "chisq.test(table(x${name}, x${group}), correct = {})",
                r_bool(row.test == TestName::ChiSquareYates)
            )
        }
        (Kind::Categorical, _) => {
            s.line(format!("x <- d[!is.na(d${name}), ]"));
            if row.method.contains("Monte-Carlo") {
                s.comment("survcalc's P is a Monte Carlo estimate, as R's here: the two agree within simulation error.");
                format!("fisher.test(table(x${name}, x${group}), simulate.p.value = TRUE, B = 1e5)")
            } else {
                format!("fisher.test(table(x${name}, x${group}), workspace = 2e7)")
            }
        }
    };
    s.line(format!("{slot} <- {call}"));
    s.line(format!("print({slot})"));
}

fn r_bool(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}
