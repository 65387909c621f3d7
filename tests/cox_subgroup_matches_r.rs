//! Subgroup hazard ratios against R: the treatment's Cox HR within each cell type and prior-therapy level of survival's veteran data, and the interaction P (`anova` of `trt + subgroup` against `trt * subgroup`), from tests/data/cox_subgroup.R.

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use survcalc::cox::{subgroups, SubgroupLevel, SubgroupSpec};
use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::options::Ties;

fn spec(reference: Option<&str>) -> SubgroupSpec {
    SubgroupSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: Vec::new(),
        },
        group: "trt".into(),
        reference: reference.map(str::to_string),
        subgroups: vec!["celltype".into(), "prior".into()],
        ties: Ties::Efron,
        conf_level: 0.95,
    }
}

fn check(what: &str, ours: &SubgroupLevel, r: &serde_json::Value) {
    let call = r["r_call"].as_str().expect("r_call");
    assert_eq!(
        ours.n as f64,
        num(&r["n"]).expect("n"),
        "{what}: n ({call})"
    );
    assert_eq!(
        ours.events as f64,
        num(&r["events"]).expect("events"),
        "{what} ({call})"
    );
    let e = &ours.estimates[0];
    assert_eq!(e.group, "2");
    for (key, value) in [
        ("coef", e.coef),
        ("se", e.se),
        ("hr", e.hr),
        ("hr_lower", e.hr_lower),
        ("hr_upper", e.hr_upper),
        ("p", e.p),
    ] {
        assert_close_opt(&format!("{what} {key} ({call})"), value, num(&r[key]));
    }
}

#[test]
fn subgroup_hazard_ratios_and_interaction_match_r() {
    let r = fixture("cox_subgroup_fixtures.json");
    let bytes = std::fs::read(data_path(r["data"].as_str().expect("data"))).expect("data file");
    let table = read_table(&bytes, Some("veteran.csv"), &ReadOptions::default()).expect("table");
    let ours = subgroups(&table, &spec(None)).expect("subgroups");
    assert_eq!(ours.reference, "1");
    assert_eq!(ours.comparisons, ["2"]);
    check("overall", &ours.overall, &r["overall"]);
    let r_subgroups = r["subgroups"].as_array().expect("subgroups");
    assert_eq!(ours.subgroups.len(), r_subgroups.len());
    for (variable, r_variable) in ours.subgroups.iter().zip(r_subgroups) {
        assert_eq!(
            variable.variable,
            r_variable["variable"].as_str().expect("name")
        );
        let r_levels = r_variable["levels"].as_array().expect("levels");
        let names: Vec<&str> = variable.levels.iter().map(|l| l.level.as_str()).collect();
        let r_names: Vec<&str> = r_levels
            .iter()
            .map(|l| l["level"].as_str().expect("level"))
            .collect();
        assert_eq!(names, r_names, "levels in R's order");
        for (level, r_level) in variable.levels.iter().zip(r_levels) {
            check(
                &format!("{} = {}", variable.variable, level.level),
                level,
                r_level,
            );
        }
        let inter = &r_variable["interaction"];
        let call = inter["r_call"].as_str().expect("r_call");
        assert_eq!(
            variable.interaction.df as f64,
            num(&inter["df"]).expect("df"),
            "{call}"
        );
        assert_close(
            &format!("chisq ({call})"),
            variable.interaction.chisq.expect("chisq"),
            num(&inter["chisq"]).expect("chisq"),
        );
        assert_close(
            &format!("p ({call})"),
            variable.interaction.p.expect("p"),
            num(&inter["p"]).expect("p"),
        );
    }
}

#[test]
fn the_reference_can_be_chosen_and_inverts_the_ratio() {
    let r = fixture("cox_subgroup_fixtures.json");
    let bytes = std::fs::read(data_path(r["data"].as_str().expect("data"))).expect("data file");
    let table = read_table(&bytes, Some("veteran.csv"), &ReadOptions::default()).expect("table");
    let flipped = subgroups(&table, &spec(Some("2"))).expect("subgroups");
    assert_eq!(flipped.comparisons, ["1"]);
    // exp(-b): the HR of 1 vs 2 is the reciprocal of R's 2 vs 1.
    let hr = flipped.overall.estimates[0].hr.expect("hr");
    assert_close("1 / hr", 1.0 / hr, num(&r["overall"]["hr"]).expect("hr"));
    // The interaction test does not depend on which group is the reference.
    let ours = subgroups(&table, &spec(None)).expect("subgroups");
    for (a, b) in flipped.subgroups.iter().zip(&ours.subgroups) {
        assert_close(
            "chisq",
            a.interaction.chisq.expect("chisq"),
            b.interaction.chisq.expect("chisq"),
        );
    }
    let err = subgroups(&table, &spec(Some("3")))
        .expect_err("no level 3")
        .to_string();
    assert!(err.contains("'trt'") && err.contains("'3'"), "{err}");
}

#[test]
fn an_empty_cell_gives_no_ratio_and_fewer_interaction_terms() {
    // Treatment 2 only in cell type "a": the "b" row has no comparison, and the product term
    // of the empty cell (treatment 2 in "b") leaves the interaction test (df 0: no test).
    let csv =
        "time,status,trt,cell\n1,1,1,a\n2,1,2,a\n3,0,1,a\n4,1,2,a\n2,1,1,b\n5,1,1,b\n6,0,1,b\n";
    let table = read_table(csv.as_bytes(), Some("t.csv"), &ReadOptions::default()).expect("table");
    let s = SubgroupSpec {
        subgroups: vec!["cell".into()],
        ..spec(None)
    };
    let out = subgroups(&table, &s).expect("subgroups");
    let cell = &out.subgroups[0];
    assert!(cell.levels[0].estimates[0].hr.is_some());
    assert_eq!(cell.levels[1].estimates[0].hr, None);
    assert_eq!(cell.interaction.df, 0);
    assert_eq!(cell.interaction.p, None);
    assert!(
        cell.warnings.iter().any(|w| w.contains("cell = b")),
        "{:?}",
        cell.warnings
    );
}
