//! The design matrix of a regression model: covariate columns read once, then, per model,
//! numeric columns as they are and categorical ones as one indicator per non-reference level.
//!
//! Shared by every model with covariates (Cox, Fine-Gray, linear and logistic regression), so
//! they read, expand and name their terms alike:
//!
//! 1. [`Covariates::read`] reads each [`CovariateSpec`]'s column once over all rows: a numeric
//!    one is parsed (text in it is an error suggesting it be marked categorical), a
//!    categorical one only checked for presence. Which rows lack each covariate is kept.
//! 2. [`Covariates::exclude_missing`] excludes, in a caller's [`RowFilter`], the rows missing
//!    any of the covariates a model uses (`which`), each with the reason
//!    `missing covariate ('COL')`; the first reason given for a row is the one reported.
//! 3. [`Covariates::design`] builds the model's [`Design`] over the rows it keeps: a numeric
//!    covariate is one column named after it; a categorical one is coded with
//!    [`Factor`] (levels in the contract's order: numbers by value, then text), refused beyond
//!    [`crate::data::prepare::MAX_LEVELS`] levels, and expanded into one 0/1 column per level
//!    other than the reference, named `COL=LEVEL`, in level order. The reference is the
//!    first level unless named; a single level among the rows used leaves the covariate out
//!    with a warning.
//!
//! Each column of the design carries its [`Term`]: its name, the covariate (`variable`) it
//! belongs to, and for a categorical covariate its level and the reference level, so a model
//! can group a covariate's terms (for a test of the covariate as a whole) and present them.

use crate::data::prepare::{check_level_count, read_numbers, require_present, Factor, RowFilter};
use crate::data::Table;
use crate::error::{Error, Hint, Result};
use crate::options::Setting;

/// How a covariate enters the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CovariateKind {
    Numeric,
    /// One indicator per level other than the reference (the first level in sorted order
    /// unless named).
    Categorical {
        reference: Option<String>,
    },
}

/// One covariate column and how it enters the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CovariateSpec {
    pub column: String,
    pub kind: CovariateKind,
}

/// One `--covariate COL` or `--categorical COL[=REF]` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CovariateFlag {
    Covariate(String),
    Categorical(String),
}

/// Builds the covariate list from the flags in command-line order: each column is a term
/// where first named; `--categorical` makes it categorical wherever it stands.
pub fn covariate_specs(flags: &[CovariateFlag], headers: &[String]) -> Vec<CovariateSpec> {
    let mut specs: Vec<CovariateSpec> = Vec::new();
    for flag in flags {
        let (column, kind) = match flag {
            CovariateFlag::Covariate(c) => (c.clone(), None),
            CovariateFlag::Categorical(f) => {
                let (column, reference) = split_reference(f, headers);
                (column, Some(CovariateKind::Categorical { reference }))
            }
        };
        match specs.iter_mut().find(|s| s.column == column) {
            Some(spec) => {
                if let Some(kind) = kind {
                    spec.kind = kind;
                }
            }
            None => specs.push(CovariateSpec {
                column,
                kind: kind.unwrap_or(CovariateKind::Numeric),
            }),
        }
    }
    specs
}

/// `COL=REF` into column and reference; a header that itself contains `=` wins.
fn split_reference(flag: &str, headers: &[String]) -> (String, Option<String>) {
    if headers.iter().any(|h| h == flag) {
        return (flag.to_string(), None);
    }
    match flag.split_once('=') {
        Some((c, r)) => (c.to_string(), Some(r.to_string())),
        None => (flag.to_string(), None),
    }
}

/// Refuses a model without covariates (a usage error naming what to give).
pub fn require_covariates(specs: &[CovariateSpec]) -> Result<()> {
    if specs.is_empty() {
        return Err(Error::usage("no covariate given").hint(Hint::GiveOption {
            setting: Setting::Covariates,
        }));
    }
    Ok(())
}

/// One design-matrix column's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The covariate's column, or `COL=LEVEL` for a level of a categorical covariate.
    pub name: String,
    /// The covariate (column) the term belongs to.
    pub variable: String,
    /// The level, for a categorical covariate.
    pub level: Option<String>,
    /// The reference level, for a categorical covariate.
    pub reference: Option<String>,
}

impl Term {
    /// A numeric covariate's one term.
    pub fn numeric(name: &str) -> Term {
        Term {
            name: name.to_string(),
            variable: name.to_string(),
            level: None,
            reference: None,
        }
    }
}

/// The design matrix of one model, row-major (`n x terms.len()`), with each column's term.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub x: Vec<f64>,
    pub terms: Vec<Term>,
}

impl Design {
    /// Number of columns (terms).
    pub fn p(&self) -> usize {
        self.terms.len()
    }

    /// The columns of the covariate `variable`, for tests of a covariate as a whole (none
    /// when it was left out).
    pub fn terms_of(&self, variable: &str) -> Vec<usize> {
        (0..self.terms.len())
            .filter(|&j| self.terms[j].variable == variable)
            .collect()
    }
}

/// One covariate column as read from the table, for every row.
#[derive(Debug, Clone)]
struct Covariate {
    spec: CovariateSpec,
    col: usize,
    /// Parsed values, for a numeric covariate (NaN where missing).
    values: Option<Vec<f64>>,
    /// Rows where the cell is missing: read once, used by every model that includes it.
    missing: Vec<bool>,
}

/// The covariate columns read once; each model picks some of them and its complete rows.
#[derive(Debug, Clone)]
pub struct Covariates {
    covariates: Vec<Covariate>,
}

impl Covariates {
    /// Reads every covariate's column over all rows of `table`.
    pub fn read(table: &Table, specs: &[CovariateSpec]) -> Result<Covariates> {
        let covariates = specs
            .iter()
            .map(|c| read_covariate(table, c))
            .collect::<Result<Vec<_>>>()?;
        Ok(Covariates { covariates })
    }

    pub fn len(&self) -> usize {
        self.covariates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.covariates.is_empty()
    }

    /// The column name of covariate `k`.
    pub fn column(&self, k: usize) -> &str {
        &self.covariates[k].spec.column
    }

    /// Excludes the rows missing any of the covariates `which`.
    pub fn exclude_missing(&self, which: &[usize], rows: &mut RowFilter) {
        for &k in which {
            let c = &self.covariates[k];
            for (r, _) in c.missing.iter().enumerate().filter(|(_, &m)| m) {
                rows.exclude(r, || format!("missing covariate ('{}')", c.spec.column));
            }
        }
    }

    /// The design matrix of the covariates `which` (in that order) over the rows `kept`;
    /// warnings (a covariate left out) are added to `warnings`.
    pub fn design(
        &self,
        table: &Table,
        which: &[usize],
        kept: &[usize],
        warnings: &mut Vec<String>,
    ) -> Result<Design> {
        let mut columns = Vec::new();
        let terms = self.columns_into(&mut columns, table, which, kept, warnings)?;
        let (n, p) = (kept.len(), terms.len());
        let columns = &columns;
        let x = (0..n)
            .flat_map(|i| (0..p).map(move |j| columns[j * n + i]))
            .collect();
        Ok(Design { x, terms })
    }

    /// Appends the design's columns to `out`, one after the other (`kept.len()` values each:
    /// column-major, the layout least squares works in, so linear and logistic regression
    /// take them after their intercept without the row-major [`Design`] in between), and
    /// returns their terms; as [`Covariates::design`] otherwise.
    pub fn columns_into(
        &self,
        out: &mut Vec<f64>,
        table: &Table,
        which: &[usize],
        kept: &[usize],
        warnings: &mut Vec<String>,
    ) -> Result<Vec<Term>> {
        let mut parts = Vec::new();
        let mut terms = Vec::new();
        for &k in which {
            let c = &self.covariates[k];
            match (&c.spec.kind, &c.values) {
                (CovariateKind::Numeric, Some(values)) => {
                    parts.push(Part::Numeric(values));
                    terms.push(Term::numeric(&c.spec.column));
                }
                (kind, _) => {
                    let reference = match kind {
                        CovariateKind::Categorical { reference } => reference.as_deref(),
                        CovariateKind::Numeric => None,
                    };
                    let (part, levels) = indicators(table, c, reference, kept, warnings)?;
                    parts.push(part);
                    terms.extend(levels);
                }
            }
        }
        if terms.is_empty() {
            return Err(Error::no_data(
                "no covariate can be estimated: each categorical covariate has a single level among the rows used",
            ));
        }
        // Sized once: a million-row design is tens of MB, which each regrowth would copy.
        out.reserve_exact(kept.len() * terms.len());
        for part in &parts {
            match part {
                Part::Numeric(values) => out.extend(kept.iter().map(|&r| values[r])),
                Part::Levels { codes, columns } => {
                    for &level in columns {
                        out.extend(codes.iter().map(|&c| f64::from(u8::from(c == level))));
                    }
                }
            }
        }
        Ok(terms)
    }
}

/// One covariate's share of the design: a numeric one's values (over all rows), or a
/// categorical one's level code per kept row with the levels that get a column.
enum Part<'a> {
    Numeric(&'a [f64]),
    Levels {
        codes: Vec<usize>,
        columns: Vec<usize>,
    },
}

/// A categorical covariate's indicator columns over the rows `kept`, one per level other
/// than the reference, in level order (as the codes to mark), with their terms.
fn indicators<'a>(
    table: &Table,
    c: &Covariate,
    reference: Option<&str>,
    kept: &[usize],
    warnings: &mut Vec<String>,
) -> Result<(Part<'a>, Vec<Term>)> {
    let name = &c.spec.column;
    let Factor { levels, codes } = Factor::new(kept.iter().map(|&r| table.cell(c.col, r)));
    check_level_count(
        name,
        levels.len(),
        kept.len(),
        "levels for a categorical covariate",
        Setting::Covariates,
    )?;
    let ref_level = match reference {
        Some(r) => levels.iter().find(|l| *l == r).cloned().ok_or_else(|| {
            Error::usage(format!(
                "the reference level '{r}' is not a level of '{name}' among the rows used; the levels are: {}",
                levels.join(", ")
            ))
            .column(name.as_str())
            .hint(Hint::SetOption {
                setting: Setting::Categorical,
                example: Some(format!("{name}={}", levels[0])),
            })
        })?,
        None => levels[0].clone(),
    };
    if levels.len() < 2 {
        warnings.push(format!(
            "'{name}' has only one level ('{ref_level}') among the rows used, so it cannot be estimated and was left out"
        ));
    }
    let mut columns = Vec::new();
    let mut terms = Vec::new();
    for (code, level) in levels.iter().enumerate().filter(|(_, l)| **l != ref_level) {
        columns.push(code);
        terms.push(Term {
            name: format!("{name}={level}"),
            variable: name.clone(),
            level: Some(level.clone()),
            reference: Some(ref_level.clone()),
        });
    }
    Ok((Part::Levels { codes, columns }, terms))
}

fn read_covariate(table: &Table, spec: &CovariateSpec) -> Result<Covariate> {
    // Which rows lack this covariate is decided per model; here only the values are read.
    let mut scratch = RowFilter::new(table.n_rows());
    let col = table.column_index(&spec.column)?;
    let values = match spec.kind {
        CovariateKind::Numeric => Some(
            read_numbers(table, &spec.column, "covariate", &mut scratch).map_err(|e| {
                if e.hint == Some(Hint::FixCell) {
                    e.hint(Hint::MarkCategorical {
                        column: spec.column.clone(),
                    })
                } else {
                    e
                }
            })?,
        ),
        CovariateKind::Categorical { .. } => {
            require_present(table, &spec.column, "covariate", &mut scratch)?;
            None
        }
    };
    Ok(Covariate {
        spec: spec.clone(),
        col,
        values,
        missing: (0..table.n_rows()).map(|r| !scratch.is_kept(r)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let headers = ["age", "arm"].map(String::from).to_vec();
        let rows: Vec<Vec<String>> = [["61", "B"], ["", "A"], ["55", "C"], ["70", ""], ["48", "A"]]
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        Table::from_rows(&headers, &rows).unwrap()
    }

    fn specs(reference: Option<&str>) -> Vec<CovariateSpec> {
        vec![
            CovariateSpec {
                column: "age".into(),
                kind: CovariateKind::Numeric,
            },
            CovariateSpec {
                column: "arm".into(),
                kind: CovariateKind::Categorical {
                    reference: reference.map(String::from),
                },
            },
        ]
    }

    /// Rows 2 (no age) and 4 (no arm) are excluded with their reasons; arm's levels A, B, C
    /// give the columns arm=B and arm=C against A, in level order, after age.
    #[test]
    fn numeric_and_categorical_terms_in_order() {
        let table = table();
        let covariates = Covariates::read(&table, &specs(None)).unwrap();
        let mut rows = RowFilter::new(table.n_rows());
        covariates.exclude_missing(&[0, 1], &mut rows);
        let reasons: Vec<(usize, String)> = rows
            .exclusions()
            .into_iter()
            .map(|e| (e.row, e.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                (2, "missing covariate ('age')".to_string()),
                (4, "missing covariate ('arm')".to_string())
            ]
        );
        let mut warnings = Vec::new();
        let design = covariates
            .design(&table, &[0, 1], &rows.kept(), &mut warnings)
            .unwrap();
        let names: Vec<&str> = design.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["age", "arm=B", "arm=C"]);
        assert_eq!(design.x, [61.0, 1.0, 0.0, 55.0, 0.0, 1.0, 48.0, 0.0, 0.0]);
        assert_eq!(design.terms[2].reference.as_deref(), Some("A"));
        assert_eq!(design.terms_of("age"), [0]);
        assert_eq!(design.terms_of("arm"), [1, 2]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_named_reference_must_be_a_level() {
        let table = table();
        let covariates = Covariates::read(&table, &specs(Some("C"))).unwrap();
        let kept = [0, 2, 4];
        let design = covariates
            .design(&table, &[1], &kept, &mut Vec::new())
            .unwrap();
        let names: Vec<&str> = design.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["arm=A", "arm=B"]);
        let covariates = Covariates::read(&table, &specs(Some("D"))).unwrap();
        let err = covariates
            .design(&table, &[1], &kept, &mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("the levels are: A, B, C"), "{err}");
    }

    #[test]
    fn a_single_level_is_left_out_with_a_warning() {
        let table = table();
        let covariates = Covariates::read(&table, &specs(None)).unwrap();
        let mut warnings = Vec::new();
        let err = covariates
            .design(&table, &[1], &[1, 4], &mut warnings)
            .unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::NoData);
        assert!(warnings[0].contains("only one level ('A')"), "{warnings:?}");
    }

    #[test]
    fn text_in_a_numeric_covariate_suggests_categorical() {
        let table = table();
        let spec = CovariateSpec {
            column: "arm".into(),
            kind: CovariateKind::Numeric,
        };
        let err = Covariates::read(&table, &[spec]).unwrap_err();
        assert!(err.to_string().contains("row 1"), "{err}");
        assert_eq!(
            err.hint,
            Some(Hint::MarkCategorical {
                column: "arm".into()
            })
        );
    }
}
