//! Subgroup hazard ratios: the group comparison's Cox hazard ratio within each level of a subgroup variable, and the interaction P (a likelihood-ratio test of group x subgroup), as R's `coxph` per subset and `anova` of the nested models.

use serde::{Deserialize, Serialize};

use super::{fit_matrix, ChisqTest, CoxFit, CoxMatrix};
use crate::data::prepare::{Exclusion, SurvivalData, SurvivalSpec};
use crate::data::Table;
use crate::error::{Error, Result};
use crate::options::Ties;

/// What to compare, and within which subgroups.
#[derive(Debug, Clone)]
pub struct SubgroupSpec {
    pub outcome: SurvivalSpec,
    /// The column of the groups compared (categorical).
    pub group: String,
    /// The reference group; the first level in the contract's order when absent.
    pub reference: Option<String>,
    /// Categorical columns whose levels form the subgroups.
    pub subgroups: Vec<String>,
    pub ties: Ties,
    pub conf_level: f64,
}

/// One group's hazard ratio against the reference, in one set of rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupEstimate {
    /// The group level compared with the reference.
    pub group: String,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    pub hr: Option<f64>,
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    pub p: Option<f64>,
    /// The coefficient runs to plus or minus infinity (a group without events there).
    pub infinite: bool,
}

/// The comparison within one level of a subgroup variable (or in everyone: `level` "all").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupLevel {
    pub level: String,
    pub n: usize,
    pub events: usize,
    /// One per group other than the reference; empty estimates (None) where the level has no
    /// such group or no event.
    pub estimates: Vec<SubgroupEstimate>,
}

/// A subgroup variable: its levels and the interaction test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupVariable {
    pub variable: String,
    pub levels: Vec<SubgroupLevel>,
    /// Likelihood-ratio test of the group x subgroup terms: twice the log-likelihood gained
    /// by adding them to group + subgroup (R: `anova(fit_main, fit_interaction)`); product
    /// terms of empty cells are left out of the model and of `df`.
    pub interaction: ChisqTest,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

/// Subgroup analyses of one group comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupAnalysis {
    pub group: String,
    pub reference: String,
    /// The group levels compared with the reference, in order.
    pub comparisons: Vec<String>,
    pub overall: SubgroupLevel,
    pub subgroups: Vec<SubgroupVariable>,
    pub ties: Ties,
    pub conf_level: f64,
}

/// The rows of one analysis: outcome, the group's code (0 = reference) and a subgroup code.
struct Rows {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<usize>,
    subgroup: Vec<usize>,
}

impl Rows {
    fn select(&self, keep: impl Fn(usize) -> bool) -> Rows {
        let idx: Vec<usize> = (0..self.time.len()).filter(|&i| keep(i)).collect();
        Rows {
            time: idx.iter().map(|&i| self.time[i]).collect(),
            event: idx.iter().map(|&i| self.event[i]).collect(),
            group: idx.iter().map(|&i| self.group[i]).collect(),
            subgroup: idx.iter().map(|&i| self.subgroup[i]).collect(),
        }
    }
}

/// Indicator columns, one per `(name, value)`: 1 where `codes[i] == value`; a column is
/// left out when it is all 0 (that level is absent here).
fn indicators(wanted: &[(String, usize)], codes: &[usize]) -> Vec<(String, Vec<f64>)> {
    wanted
        .iter()
        .map(|(name, value)| {
            let column: Vec<f64> = codes
                .iter()
                .map(|c| f64::from(u8::from(c == value)))
                .collect();
            (name.clone(), column)
        })
        .filter(|(_, c)| c.iter().any(|&v| v != 0.0))
        .collect()
}

/// Fits a Cox model to `rows` with the given columns; None when nothing can be fitted.
fn fit(rows: &Rows, columns: &[(String, Vec<f64>)], spec: &SubgroupSpec) -> Result<Option<CoxFit>> {
    if columns.is_empty() || !rows.event.iter().any(|&e| e) {
        return Ok(None);
    }
    let n = rows.time.len();
    let names: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
    let mut x = Vec::with_capacity(n * columns.len());
    for i in 0..n {
        x.extend(columns.iter().map(|(_, c)| c[i]));
    }
    let m = CoxMatrix {
        time: &rows.time,
        event: &rows.event,
        x: &x,
        names: &names,
        strata: None,
    };
    fit_matrix(&m, spec.ties, spec.conf_level).map(Some)
}

/// The group comparison's estimates in `rows` (one per non-reference group).
fn compare(
    rows: &Rows,
    label: &str,
    groups: &[String],
    spec: &SubgroupSpec,
) -> Result<SubgroupLevel> {
    let wanted: Vec<(String, usize)> = (1..groups.len()).map(|g| (groups[g].clone(), g)).collect();
    let columns = indicators(&wanted, &rows.group);
    // A group absent here has no column; the reference absent leaves nothing to compare with.
    let has_reference = rows.group.contains(&0);
    let fitted = if has_reference {
        fit(rows, &columns, spec)?
    } else {
        None
    };
    let estimates = groups[1..]
        .iter()
        .map(|g| {
            let term = fitted
                .as_ref()
                .and_then(|f| f.terms.iter().find(|t| &t.name == g));
            SubgroupEstimate {
                group: g.clone(),
                coef: term.and_then(|t| t.coef),
                se: term.and_then(|t| t.se),
                hr: term.and_then(|t| t.hr),
                hr_lower: term.and_then(|t| t.hr_lower),
                hr_upper: term.and_then(|t| t.hr_upper),
                p: term.and_then(|t| t.p),
                infinite: term.is_some_and(|t| t.infinite),
            }
        })
        .collect();
    Ok(SubgroupLevel {
        level: label.to_string(),
        n: rows.time.len(),
        events: rows.event.iter().filter(|&&e| e).count(),
        estimates,
    })
}

/// The interaction test: group + subgroup against group * subgroup on the same rows.
fn interaction(
    rows: &Rows,
    groups: usize,
    levels: usize,
    spec: &SubgroupSpec,
) -> Result<ChisqTest> {
    let n = rows.time.len();
    let main_wanted: Vec<(String, usize)> = (1..groups).map(|g| (format!("g{g}"), g)).collect();
    let mut columns = indicators(&main_wanted, &rows.group);
    let sub_wanted: Vec<(String, usize)> = (1..levels).map(|s| (format!("s{s}"), s)).collect();
    columns.extend(indicators(&sub_wanted, &rows.subgroup));
    let mut products: Vec<(String, Vec<f64>)> = Vec::new();
    for g in 1..groups {
        for s in 1..levels {
            let column: Vec<f64> = (0..n)
                .map(|i| f64::from(u8::from(rows.group[i] == g && rows.subgroup[i] == s)))
                .collect();
            // An empty cell, or a cell that is the whole of a group or of a subgroup level,
            // adds nothing the model does not have (R reports such a term as NA).
            let redundant = column.iter().all(|&v| v == 0.0)
                || columns.iter().chain(&products).any(|(_, c)| c == &column);
            if !redundant {
                products.push((format!("g{g}:s{s}"), column));
            }
        }
    }
    let df = products.len();
    let main = fit(rows, &columns, spec)?;
    let mut full_columns = columns.clone();
    full_columns.extend(products);
    let full = fit(rows, &full_columns, spec)?;
    let chisq = match (main, full) {
        (Some(main), Some(full)) => Some(2.0 * (full.loglik[1] - main.loglik[1])),
        _ => None,
    };
    Ok(ChisqTest::new(chisq, df))
}

/// The group comparison overall and within each level of each subgroup variable.
pub fn subgroups(table: &Table, spec: &SubgroupSpec) -> Result<SubgroupAnalysis> {
    super::check_conf_level(spec.conf_level)?;
    let overall_data = SurvivalData::from_table(table, &spec.outcome, Some(&spec.group), None)?;
    let group_levels = ordered_levels(&overall_data, spec)?;
    let reference = group_levels[0].clone();
    let overall_rows = rows_of(&overall_data, &group_levels, None);
    let overall = compare(&overall_rows, "all", &group_levels, spec)?;
    let mut variables = Vec::new();
    for variable in &spec.subgroups {
        let data =
            SurvivalData::from_table(table, &spec.outcome, Some(&spec.group), Some(variable))?;
        let strata = data
            .strata
            .as_ref()
            .ok_or_else(|| Error::usage(format!("subgroup column '{variable}' gave no levels")))?;
        let rows = rows_of(&data, &group_levels, Some(&strata.codes));
        let mut levels = Vec::new();
        for (s, level) in strata.levels.iter().enumerate() {
            levels.push(compare(
                &rows.select(|i| rows.subgroup[i] == s),
                level,
                &group_levels,
                spec,
            )?);
        }
        let mut warnings = data.warnings.clone();
        for l in &levels {
            if l.estimates.iter().any(|e| e.hr.is_none()) {
                warnings.push(format!(
                    "{variable} = {}: no hazard ratio for every group (a group absent, or no events there)",
                    l.level
                ));
            }
        }
        variables.push(SubgroupVariable {
            variable: variable.clone(),
            interaction: interaction(&rows, group_levels.len(), strata.levels.len(), spec)?,
            levels,
            excluded: data.excluded.clone(),
            warnings,
        });
    }
    Ok(SubgroupAnalysis {
        group: spec.group.clone(),
        reference,
        comparisons: group_levels[1..].to_vec(),
        overall,
        subgroups: variables,
        ties: spec.ties,
        conf_level: spec.conf_level,
    })
}

/// The group's levels with the reference first.
fn ordered_levels(data: &SurvivalData, spec: &SubgroupSpec) -> Result<Vec<String>> {
    let levels = data
        .group
        .as_ref()
        .map(|f| f.levels.clone())
        .unwrap_or_default();
    if levels.len() < 2 {
        return Err(Error::data(format!(
            "has {} group(s); subgroup hazard ratios compare at least two",
            levels.len()
        ))
        .column(spec.group.clone()));
    }
    let reference = match &spec.reference {
        None => levels[0].clone(),
        Some(r) if levels.contains(r) => r.clone(),
        Some(r) => {
            return Err(Error::usage(format!(
                "has no level '{r}' to be the reference; its levels are {}",
                levels.join(", ")
            ))
            .column(spec.group.clone()))
        }
    };
    let mut ordered = vec![reference.clone()];
    ordered.extend(levels.into_iter().filter(|l| l != &reference));
    Ok(ordered)
}

/// The data's rows with group codes in `group_levels`' order (0 = reference).
fn rows_of(data: &SurvivalData, group_levels: &[String], subgroup: Option<&[usize]>) -> Rows {
    let factor = data.group.as_ref();
    let group = (0..data.time.len())
        .map(|i| {
            factor
                .and_then(|f| {
                    let name = &f.levels[f.codes[i]];
                    group_levels.iter().position(|l| l == name)
                })
                .unwrap_or(0)
        })
        .collect();
    Rows {
        time: data.time.clone(),
        event: data.event.clone(),
        group,
        subgroup: subgroup.map_or_else(|| vec![0; data.time.len()], <[usize]>::to_vec),
    }
}
