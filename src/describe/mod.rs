//! Table 1: each baseline characteristic summarised overall and by group, with a named test per row.
//!
//! Continuous variables get n, mean, SD, median, quartiles and range, and a t test, ANOVA or a
//! rank test; categorical variables get n (%) per level and a chi-square or Fisher exact test.
//! Every P follows the R function named in the row's `method`.

pub mod contingency;
pub mod continuous;
pub mod defaults;
pub mod fisher;
pub mod smd;
pub mod summary;
pub mod wilcoxon;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::data::kind::{read_cells, Cells};
pub use crate::data::kind::{Kind, MAX_CATEGORICAL_CODES};
use crate::data::prepare::{require_present, Exclusion, Factor, RowFilter};
use crate::data::values::{is_missing, parse_number, sort_levels};
use crate::data::Table;
use crate::error::{Error, Hint, Result};
use crate::options::Setting;
pub use crate::options::{PercentBasis, TestName};
pub use defaults::{table1_defaults, Roles, Table1Defaults};
use summary::{percent, CategoricalSummary, ContinuousSummary, LevelCount};

/// Why a test could not be computed on a row (becomes a warning; P is then null).
pub type Untestable = String;

impl TestName {
    /// Which kind of variable the test applies to.
    pub fn kind(self) -> Kind {
        match self {
            TestName::ChiSquare | TestName::ChiSquareYates | TestName::FisherExact => {
                Kind::Categorical
            }
            _ => Kind::Continuous,
        }
    }

    fn two_groups_only(self) -> bool {
        matches!(
            self,
            TestName::WelchT | TestName::StudentT | TestName::MannWhitney
        )
    }
}

/// One test's outcome on one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    pub test: TestName,
    pub statistic: Option<f64>,
    /// Degrees of freedom: one for t and chi-square, two for F, none for exact and rank-sum tests.
    pub df: Vec<f64>,
    pub p: Option<f64>,
    /// The test in words, with how P was computed (exact, approximation, Monte Carlo).
    pub method: String,
}

/// What the caller asks for (the page sends it as JSON: missing fields take their defaults,
/// `tests` as `[["age", "mann-whitney"]]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Table1Options {
    pub group: String,
    pub variables: Vec<String>,
    /// Variables to treat as categorical even when numeric.
    pub categorical: Vec<String>,
    /// Variables to treat as continuous even when they have few distinct values.
    pub continuous: Vec<String>,
    /// Continuous variables to test with rank tests (Mann-Whitney, Kruskal-Wallis).
    pub nonnormal: Vec<String>,
    /// Tests chosen by the caller instead of the automatic choice.
    pub tests: Vec<(String, TestName)>,
    /// What each level's percentage is of; missing values never enter one.
    pub percent: PercentBasis,
    /// The automatic chi-square is R's `chisq.test` default, Yates' continuity correction for
    /// 2 x 2 tables (without it, Pearson's chi-square as SPSS prints it).
    pub yates: bool,
    /// Add the standardised mean difference (two groups only).
    pub smd: bool,
}

/// A summary in one column: continuous or categorical, flattened into the row's JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Summary {
    Continuous(ContinuousSummary),
    Categorical(CategoricalSummary),
}

/// A group's column of a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub group: String,
    #[serde(flatten)]
    pub summary: Summary,
}

/// One characteristic: summaries overall and by group, and its test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub variable: String,
    pub kind: Kind,
    pub test: TestName,
    pub statistic: Option<f64>,
    pub df: Vec<f64>,
    pub p: Option<f64>,
    pub method: String,
    /// Whether `test` was chosen automatically (false when `--test` set it).
    pub automatic: bool,
    pub overall: Summary,
    pub by_group: Vec<GroupSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smd: Option<f64>,
}

/// A group of the table and its number of rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupInfo {
    pub name: String,
    pub n: usize,
}

/// The footnote entry for one way of computing P, and the variables it was used on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestUsed {
    pub test: TestName,
    pub method: String,
    pub variables: Vec<String>,
}

/// Table 1: the contract's `groups`, `rows`, `excluded`, `warnings`, plus the tests used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table1 {
    pub group: String,
    pub n: usize,
    /// What the categorical rows' percentages are of.
    pub percent: PercentBasis,
    pub groups: Vec<GroupInfo>,
    pub rows: Vec<Row>,
    pub tests_used: Vec<TestUsed>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

/// Builds Table 1 from a table: rows without a group are excluded, missing values of a
/// variable are counted as missing for that variable only.
pub fn table1(table: &Table, options: &Table1Options) -> Result<Table1> {
    if table.n_rows() == 0 {
        return Err(Error::no_data("the file has a header but no data rows").hint(Hint::ChooseFile));
    }
    check_names(table, options)?;
    let mut rows = RowFilter::new(table.n_rows());
    let group_col = require_present(table, &options.group, "group", &mut rows)?;
    let kept = rows.kept();
    if kept.is_empty() {
        return Err(
            Error::no_data("every row's group is missing; fill in the group column")
                .column(&options.group)
                .hint(Hint::ChooseColumn {
                    setting: Setting::Group,
                }),
        );
    }
    let factor = group_factor(table, group_col, &kept);
    if factor.levels.len() < 2 {
        return Err(Error::data(format!(
            "has a single group ('{}') among the {} rows with a group, so there is nothing to compare",
            factor.levels[0],
            kept.len()
        ))
        .column(&options.group)
        .hint(Hint::ChooseColumn {
            setting: Setting::Group,
        }));
    }
    let k = factor.levels.len();
    let mut sizes = vec![0usize; k];
    for &c in &factor.codes {
        sizes[c] += 1;
    }
    let groups: Vec<GroupInfo> = factor
        .levels
        .iter()
        .zip(&sizes)
        .map(|(name, &n)| GroupInfo {
            name: name.clone(),
            n,
        })
        .collect();
    let mut warnings = Vec::new();
    let ctx = Context {
        table,
        options,
        kept: &kept,
        factor: &factor,
    };
    let mut out_rows = Vec::with_capacity(options.variables.len());
    for variable in &options.variables {
        out_rows.push(ctx.row(variable, &mut warnings)?);
    }
    Ok(Table1 {
        group: options.group.clone(),
        n: kept.len(),
        percent: options.percent,
        tests_used: tests_used(&out_rows),
        groups,
        rows: out_rows,
        excluded: rows.exclusions(),
        warnings,
    })
}

/// Every name in the options must be a column, and every per-variable flag a listed variable.
fn check_names(table: &Table, options: &Table1Options) -> Result<()> {
    if options.variables.is_empty() {
        return Err(
            Error::usage("no variables to describe").hint(Hint::GiveOption {
                setting: Setting::Variables,
            }),
        );
    }
    table.column_index(&options.group)?;
    for v in &options.variables {
        table.column_index(v)?;
        if v == &options.group {
            return Err(Error::usage(format!(
                "'{v}' is the group column; it cannot also be described by group"
            ))
            .column(v.as_str())
            .hint(Hint::ChooseOne {
                first: Setting::Group,
                second: Setting::Variables,
            }));
        }
    }
    let listed = |name: &str| {
        if options.variables.iter().any(|v| v == name) {
            Ok(())
        } else {
            Err(Error::usage(format!(
                "'{name}' has an option but is not among the variables described"
            ))
            .column(name)
            .hint(Hint::AddVariable {
                column: name.to_string(),
            }))
        }
    };
    for name in &options.categorical {
        listed(name)?;
        if options.continuous.contains(name) {
            return Err(Error::usage(format!(
                "'{name}' is marked both categorical and continuous"
            ))
            .column(name.as_str())
            .hint(Hint::ChooseOne {
                first: Setting::Categorical,
                second: Setting::Continuous,
            }));
        }
    }
    for name in options.continuous.iter().chain(&options.nonnormal) {
        listed(name)?;
    }
    for (name, _) in &options.tests {
        listed(name)?;
    }
    Ok(())
}

struct Context<'a> {
    table: &'a Table,
    options: &'a Table1Options,
    kept: &'a [usize],
    factor: &'a Factor,
}

impl Context<'_> {
    fn row(&self, variable: &str, warnings: &mut Vec<String>) -> Result<Row> {
        let col = self.table.column_index(variable)?;
        let forced_continuous = self.options.continuous.iter().any(|v| v == variable);
        let forced_categorical = self.options.categorical.iter().any(|v| v == variable);
        let requested = self
            .options
            .tests
            .iter()
            .rev()
            .find(|(v, _)| v == variable)
            .map(|&(_, t)| t);
        let cells = read_cells(self.table, col, variable, self.kept, forced_continuous)?;
        let kind = match (&cells, requested) {
            _ if forced_continuous => Kind::Continuous,
            _ if forced_categorical => Kind::Categorical,
            (Cells::Numbers(_), Some(t)) => t.kind(),
            _ => cells.default_kind(),
        };
        if let Some(t) = requested {
            if t.kind() != kind {
                return Err(Error::usage(format!(
                    "the test {} does not suit '{variable}', which is {}",
                    t.name(),
                    kind.word(),
                ))
                .column(variable)
                .hint(Hint::ChooseTest {
                    variable: variable.to_string(),
                    choices: TestName::ALL
                        .iter()
                        .filter(|x| x.kind() == kind)
                        .map(|x| x.name().to_string())
                        .collect(),
                }));
            }
        }
        match kind {
            Kind::Continuous => {
                let Cells::Numbers(values) = cells else {
                    return Err(self.not_numeric(col, variable));
                };
                Ok(self.continuous_row(variable, &values, requested, warnings))
            }
            Kind::Categorical => {
                let labels = self.labels(col);
                Ok(self.categorical_row(variable, &labels, requested, warnings))
            }
        }
    }

    /// Each kept row's level of a categorical column (None when missing) and the sorted levels.
    ///
    /// Missingness is decided once per distinct label rather than once per cell.
    fn labels(&self, col: usize) -> (Vec<String>, Vec<Option<usize>>) {
        let mut seen = LevelIndex::default();
        let raw: Vec<usize> = self
            .kept
            .iter()
            .map(|&r| seen.code(self.table.cell(col, r)))
            .collect();
        let extra = self.table.missing_tokens();
        let mut levels: Vec<String> = seen
            .levels
            .iter()
            .filter(|l| !is_missing(l, extra))
            .map(|l| l.to_string())
            .collect();
        sort_levels(&mut levels);
        let position: Vec<Option<usize>> = seen
            .levels
            .iter()
            .map(|l| levels.iter().position(|s| s == l))
            .collect();
        (levels, raw.into_iter().map(|c| position[c]).collect())
    }

    fn not_numeric(&self, col: usize, variable: &str) -> Error {
        let (row, value) = self
            .kept
            .iter()
            .find_map(|&r| {
                let cell = self.table.cell(col, r);
                (!self.table.is_missing(col, r)
                    && parse_number(cell, self.table.decimal_comma()).is_none())
                .then(|| (r + 1, cell.to_string()))
            })
            .unwrap_or((0, String::new()));
        Error::not_a_number(variable, row, &value)
    }

    fn continuous_row(
        &self,
        variable: &str,
        values: &[Option<f64>],
        requested: Option<TestName>,
        warnings: &mut Vec<String>,
    ) -> Row {
        let k = self.factor.levels.len();
        let mut by_group: Vec<Vec<f64>> = vec![Vec::new(); k];
        let mut missing = vec![0usize; k];
        for (v, &g) in values.iter().zip(&self.factor.codes) {
            match v {
                Some(x) => by_group[g].push(*x),
                None => missing[g] += 1,
            }
        }
        let mut all: Vec<f64> = values.iter().flatten().copied().collect();
        let overall = ContinuousSummary::new(&mut all, missing.iter().sum());
        let group_summaries: Vec<GroupSummary> = self
            .factor
            .levels
            .iter()
            .zip(by_group.iter_mut().zip(&missing))
            .map(|(name, (values, &miss))| GroupSummary {
                group: name.clone(),
                summary: Summary::Continuous(ContinuousSummary::new(values, miss)),
            })
            .collect();
        let tested: Vec<Vec<f64>> = if by_group.iter().all(|g| !g.is_empty()) {
            std::mem::take(&mut by_group)
        } else {
            by_group.iter().filter(|g| !g.is_empty()).cloned().collect()
        };
        let nonnormal = self.options.nonnormal.iter().any(|v| v == variable);
        let test = requested.unwrap_or(match (tested.len() <= 2, nonnormal) {
            (true, false) => TestName::WelchT,
            (false, false) => TestName::Anova,
            (true, true) => TestName::MannWhitney,
            (false, true) => TestName::KruskalWallis,
        });
        let outcome = if test.two_groups_only() && tested.len() != 2 {
            Err(format!(
                "{} compares exactly 2 groups; '{variable}' has values in {} groups. Use {} instead",
                test.name(),
                tested.len(),
                if test == TestName::MannWhitney { "kruskal-wallis" } else { "anova or welch-anova" }
            ))
        } else {
            match test {
                TestName::WelchT => continuous::t_test(&tested, false),
                TestName::StudentT => continuous::t_test(&tested, true),
                TestName::Anova => continuous::anova(&tested),
                TestName::WelchAnova => continuous::welch_anova(&tested),
                TestName::MannWhitney => wilcoxon::mann_whitney(&tested),
                _ => continuous::kruskal_wallis(&tested),
            }
        };
        let smd = (self.options.smd && k == 2 && tested.len() == 2)
            .then(|| smd::continuous(&tested[0], &tested[1]))
            .flatten();
        finish_row(
            variable,
            Kind::Continuous,
            test,
            requested.is_none(),
            outcome,
            Summary::Continuous(overall),
            group_summaries,
            smd,
            warnings,
        )
    }

    fn categorical_row(
        &self,
        variable: &str,
        (levels, codes): &(Vec<String>, Vec<Option<usize>>),
        requested: Option<TestName>,
        warnings: &mut Vec<String>,
    ) -> Row {
        let k = self.factor.levels.len();
        let mut counts = vec![vec![0u64; k]; levels.len()];
        let mut missing = vec![0usize; k];
        for (code, &g) in codes.iter().zip(&self.factor.codes) {
            match code {
                Some(c) => counts[*c][g] += 1,
                None => missing[g] += 1,
            }
        }
        let tested = drop_empty(&counts);
        let automatic = requested.is_none();
        let test = requested.unwrap_or_else(|| {
            if contingency::check_shape(&tested).is_ok()
                && contingency::expected_at_least_five(&tested)
            {
                if self.options.yates {
                    TestName::ChiSquareYates
                } else {
                    TestName::ChiSquare
                }
            } else {
                TestName::FisherExact
            }
        });
        let outcome = match test {
            TestName::ChiSquare | TestName::ChiSquareYates => {
                let r = contingency::chi_square(&tested, test == TestName::ChiSquareYates);
                if r.is_ok() && !contingency::expected_at_least_five(&tested) {
                    warnings.push(format!(
                        "'{variable}': some expected counts are below 5, so the chi-square approximation may be inaccurate (R warns the same); consider Fisher's exact test"
                    ));
                }
                r
            }
            _ => fisher::fisher_exact(&tested),
        };
        let smd = (self.options.smd && k == 2)
            .then(|| smd::categorical(&counts))
            .flatten();
        let percents = Percents::new(&counts, self.options.percent);
        let summarise = |cells: &dyn Fn(usize) -> usize, missing: usize, column: Option<usize>| {
            CategoricalSummary {
                n: (0..levels.len()).map(cells).sum(),
                missing,
                levels: levels
                    .iter()
                    .enumerate()
                    .map(|(i, level)| LevelCount {
                        level: level.clone(),
                        count: cells(i),
                        percent: percents.of(cells(i), i, column),
                    })
                    .collect(),
            }
        };
        let overall = summarise(&|i| percents.level_total[i], missing.iter().sum(), None);
        let by_group = (0..k)
            .map(|g| GroupSummary {
                group: self.factor.levels[g].clone(),
                summary: Summary::Categorical(summarise(
                    &|i| counts[i][g] as usize,
                    missing[g],
                    Some(g),
                )),
            })
            .collect();
        finish_row(
            variable,
            Kind::Categorical,
            test,
            automatic,
            outcome,
            Summary::Categorical(overall),
            by_group,
            smd,
            warnings,
        )
    }
}

/// The group of each kept row, levels in the contract's order (as [`Factor::new`], with the
/// faster [`LevelIndex`] for the few groups a Table 1 has).
fn group_factor(table: &Table, col: usize, kept: &[usize]) -> Factor {
    let mut seen = LevelIndex::default();
    let raw: Vec<usize> = kept
        .iter()
        .map(|&r| seen.code(table.cell(col, r)))
        .collect();
    let mut levels: Vec<String> = seen.levels.iter().map(|l| l.to_string()).collect();
    sort_levels(&mut levels);
    let position: Vec<usize> = seen
        .levels
        .iter()
        .map(|l| levels.iter().position(|s| s == l).unwrap_or(0))
        .collect();
    Factor {
        codes: raw.into_iter().map(|c| position[c]).collect(),
        levels,
    }
}

/// Codes for distinct labels in order of first appearance; a linear scan while there are few
/// (the usual case, and faster than hashing), a hash map beyond that.
#[derive(Default)]
struct LevelIndex<'a> {
    levels: Vec<&'a str>,
    map: HashMap<&'a str, usize>,
}

impl<'a> LevelIndex<'a> {
    const SCAN: usize = 16;

    fn code(&mut self, label: &'a str) -> usize {
        if self.levels.len() <= Self::SCAN {
            if let Some(i) = self.levels.iter().position(|&l| l == label) {
                return i;
            }
        } else if let Some(&i) = self.map.get(label) {
            return i;
        }
        self.levels.push(label);
        if self.levels.len() > Self::SCAN {
            if self.map.is_empty() {
                self.map = self
                    .levels
                    .iter()
                    .enumerate()
                    .map(|(i, &l)| (l, i))
                    .collect();
            } else {
                self.map.insert(label, self.levels.len() - 1);
            }
        }
        self.levels.len() - 1
    }
}

/// The denominators of a categorical row's percentages under a [`PercentBasis`]; missing
/// values are in none of them.
struct Percents {
    basis: PercentBasis,
    /// Non-missing values of each level over all groups.
    level_total: Vec<usize>,
    /// Non-missing values of each group.
    group_total: Vec<usize>,
    /// Non-missing values over all groups.
    total: usize,
}

impl Percents {
    fn new(counts: &[Vec<u64>], basis: PercentBasis) -> Percents {
        let k = counts.first().map_or(0, Vec::len);
        let level_total: Vec<usize> = counts
            .iter()
            .map(|r| r.iter().sum::<u64>() as usize)
            .collect();
        let group_total = (0..k)
            .map(|g| counts.iter().map(|r| r[g] as usize).sum())
            .collect();
        Percents {
            basis,
            total: level_total.iter().sum(),
            level_total,
            group_total,
        }
    }

    /// Percent of `count`, the cell of level `level` in group `column` (None: the overall
    /// column). Column: of the group's values (overall: of all); row: of the level's values
    /// across groups (overall: 100); total: of all values.
    fn of(&self, count: usize, level: usize, column: Option<usize>) -> Option<f64> {
        let whole = match (self.basis, column) {
            (PercentBasis::Column, Some(g)) => self.group_total[g],
            (PercentBasis::Row, _) => self.level_total[level],
            (PercentBasis::Column | PercentBasis::Total, _) => self.total,
        };
        percent(count, whole)
    }
}

/// The table without levels or groups that have no observations, as R's `factor()` drops them.
fn drop_empty(counts: &[Vec<u64>]) -> Vec<Vec<u64>> {
    let cols = counts.first().map_or(0, Vec::len);
    let keep_cols: Vec<usize> = (0..cols)
        .filter(|&j| counts.iter().any(|r| r[j] > 0))
        .collect();
    counts
        .iter()
        .filter(|r| r.iter().any(|&x| x > 0))
        .map(|r| keep_cols.iter().map(|&j| r[j]).collect())
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn finish_row(
    variable: &str,
    kind: Kind,
    test: TestName,
    automatic: bool,
    outcome: std::result::Result<TestResult, Untestable>,
    overall: Summary,
    by_group: Vec<GroupSummary>,
    smd: Option<f64>,
    warnings: &mut Vec<String>,
) -> Row {
    let (statistic, df, p, method) = match outcome {
        Ok(r) => {
            if r.p.is_none() {
                warnings.push(format!("'{variable}': {} gave no P value", r.method));
            }
            (r.statistic, r.df, r.p, r.method)
        }
        Err(why) => {
            warnings.push(format!("'{variable}': no P value: {why}"));
            (None, Vec::new(), None, format!("not computed: {why}"))
        }
    };
    Row {
        variable: variable.to_string(),
        kind,
        test,
        statistic,
        df,
        p,
        method,
        automatic,
        overall,
        by_group,
        smd,
    }
}

/// Groups rows by the way their P was computed, for the table's footnote.
fn tests_used(rows: &[Row]) -> Vec<TestUsed> {
    let mut used: Vec<TestUsed> = Vec::new();
    for row in rows.iter().filter(|r| r.p.is_some()) {
        match used
            .iter_mut()
            .find(|u| u.test == row.test && u.method == row.method)
        {
            Some(u) => u.variables.push(row.variable.clone()),
            None => used.push(TestUsed {
                test: row.test,
                method: row.method.clone(),
                variables: vec![row.variable.clone()],
            }),
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_from_json_with_defaults() {
        let o: Table1Options = serde_json::from_str(
            r#"{"group": "arm", "variables": ["age", "sex"], "tests": [["age", "mann-whitney"]]}"#,
        )
        .unwrap();
        assert_eq!(o.tests, [("age".to_string(), TestName::MannWhitney)]);
        assert!(!o.smd && o.nonnormal.is_empty());
    }

    #[test]
    fn test_names_round_trip() {
        for &t in TestName::ALL {
            assert_eq!(t.name().parse::<TestName>(), Ok(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.name());
        }
    }
}
