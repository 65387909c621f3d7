//! Table 1 on tiny data whose answers are derived by hand (derivations in the comments), and
//! properties checked on random small tables (Fisher against brute-force enumeration).

use proptest::prelude::*;
use survcalc::data::Table;
use survcalc::describe::{
    contingency, continuous, fisher, table1, wilcoxon, PercentBasis, Summary, Table1Options,
    TestName,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-300)
}

#[track_caller]
fn assert_close(what: &str, a: f64, b: f64) {
    assert!(close(a, b), "{what}: got {a:e}, by hand {b:e}");
}

// x = 1,2,3 (mean 2, var 1), y = 4,5,6,7 (mean 5.5, var 5/3). Welch: se^2 = 1/3 + 5/12 = 3/4,
// t = -3.5 / sqrt(3/4), df = (3/4)^2 / ((1/3)^2 / 2 + (5/12)^2 / 3) = 243/49.
// Student: pooled var = (2 * 1 + 3 * 5/3) / 5 = 7/5, se^2 = 7/5 * 7/12, t = -sqrt(15), df = 5.
#[test]
fn t_tests_by_hand() {
    let g = [vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0, 7.0]];
    let w = continuous::t_test(&g, false).unwrap();
    assert_close("Welch t", w.statistic.unwrap(), -3.5 / 0.75f64.sqrt());
    assert_close("Welch df", w.df[0], 243.0 / 49.0);
    let s = continuous::t_test(&g, true).unwrap();
    assert_close("Student t", s.statistic.unwrap(), -(15f64.sqrt()));
    assert_close("Student df", s.df[0], 5.0);
}

// R's pooled t.test accepts a group of one: x = 1, y = 2,3,5 (mean 10/3, var 7/3);
// pooled var = (0 + 2 * 7/3) / 2 = 7/3, se^2 = 7/3 * (1 + 1/3) = 28/9, t = (1 - 10/3) / (sqrt(28)/3).
// Welch needs two values per group (R: "not enough 'x' observations").
#[test]
fn student_t_with_a_group_of_one() {
    let g = [vec![1.0], vec![2.0, 3.0, 5.0]];
    let s = continuous::t_test(&g, true).unwrap();
    assert_close(
        "t",
        s.statistic.unwrap(),
        (1.0 - 10.0 / 3.0) / (28f64.sqrt() / 3.0),
    );
    assert_close("df", s.df[0], 2.0);
    assert!(continuous::t_test(&g, false).is_err());
}

// Groups 1,2,3 / 2,3,4 / 5,6,7: means 2, 3, 6, grand mean 11/3, each variance 1.
// ANOVA: between SS = 3 (25 + 4 + 49) / 9 = 26, within SS = 6, F = (26/2) / (6/6) = 13 on (2, 6);
// for F(2, d2), P(F > f) = (1 + 2f/d2)^(-d2/2) = (16/3)^-3 = 27/4096.
// Welch: w_i = 3, tmp = 3 (2/3)^2 / 2 / 8 = 1/12, F = 26 / (2 (1 + 2/12)) = 78/7 on (2, 4),
// P = (1 + 2 F / 4)^-2 = (14/92)^2.
#[test]
fn anova_and_welch_anova_by_hand() {
    let g = [
        vec![1.0, 2.0, 3.0],
        vec![2.0, 3.0, 4.0],
        vec![5.0, 6.0, 7.0],
    ];
    let a = continuous::anova(&g).unwrap();
    assert_close("F", a.statistic.unwrap(), 13.0);
    assert_close("ANOVA P", a.p.unwrap(), 27.0 / 4096.0);
    let w = continuous::welch_anova(&g).unwrap();
    assert_close("Welch F", w.statistic.unwrap(), 78.0 / 7.0);
    assert_close("Welch df2", w.df[1], 4.0);
    assert_close("Welch P", w.p.unwrap(), (14.0f64 / 92.0).powi(2));
}

// Ranks 1..6 in groups of two: rank sums 3, 7, 11;
// H = 12 / (6 * 7) * (9/2 + 49/2 + 121/2) - 3 * 7 = 32/7; chi-square(2) tail = exp(-H/2).
#[test]
fn kruskal_wallis_by_hand() {
    let g = [vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]];
    let k = continuous::kruskal_wallis(&g).unwrap();
    assert_close("H", k.statistic.unwrap(), 32.0 / 7.0);
    assert_close("P", k.p.unwrap(), (-16.0f64 / 7.0).exp());
}

// Sizes 2 and 3 without ties: C(5, 2) = 10 equally likely rank sets. x = 1,2 gives W = 0,
// P(W <= 0) = 1/10, two-sided 0.2. x = 1,3 gives W = 1, P(W <= 1) = 2/10, two-sided 0.4.
#[test]
fn exact_mann_whitney_by_hand() {
    let r = wilcoxon::mann_whitney(&[vec![1.0, 2.0], vec![3.0, 4.0, 5.0]]).unwrap();
    assert_eq!(r.statistic, Some(0.0));
    assert_close("P", r.p.unwrap(), 0.2);
    let r = wilcoxon::mann_whitney(&[vec![1.0, 3.0], vec![2.0, 4.0, 5.0]]).unwrap();
    assert_close("P", r.p.unwrap(), 0.4);
}

// [[10, 20], [20, 10]]: every expected count 15, |O - E| = 5: X^2 = 4 * 25 / 15 = 20/3;
// Yates: 4 * 4.5^2 / 15 = 5.4. With 1 df the tail is erfc(sqrt(X^2 / 2)).
#[test]
fn chi_square_by_hand() {
    let t = [vec![10, 20], vec![20, 10]];
    let plain = contingency::chi_square(&t, false).unwrap();
    assert_close("X2", plain.statistic.unwrap(), 20.0 / 3.0);
    let p = statrs::function::erf::erfc((10.0f64 / 3.0).sqrt());
    assert_close("P", plain.p.unwrap(), p);
    let yates = contingency::chi_square(&t, true).unwrap();
    assert_close("Yates X2", yates.statistic.unwrap(), 5.4);
}

// [[2, 0], [0, 2]]: tables with first cell 0, 1, 2 have probabilities 1/6, 4/6, 1/6; the
// observed (1/6) and the other extreme count: P = 1/3.
#[test]
fn fisher_by_hand() {
    let r = fisher::fisher_exact(&[vec![2, 0], vec![0, 2]]).unwrap();
    assert_close("P", r.p.unwrap(), 1.0 / 3.0);
    assert_eq!(r.statistic, None);
}

fn small_table() -> Table {
    let rows: Vec<Vec<&str>> = [
        ["a", "u"],
        ["a", "u"],
        ["a", "v"],
        ["a", "NA"],
        ["b", "v"],
        ["b", "v"],
        ["b", ""],
        ["b", "NA"],
        ["", "u"],
    ]
    .iter()
    .map(|r| r.to_vec())
    .collect();
    Table::from_rows(&["g", "x"], &rows).unwrap()
}

fn percents(t: &survcalc::describe::Table1) -> Vec<Vec<Option<f64>>> {
    t.rows[0]
        .by_group
        .iter()
        .map(|g| match &g.summary {
            Summary::Categorical(c) => c.levels.iter().map(|l| l.percent).collect(),
            Summary::Continuous(_) => panic!("categorical expected"),
        })
        .collect()
}

fn overall_percents(t: &survcalc::describe::Table1) -> Vec<Option<f64>> {
    match &t.rows[0].overall {
        Summary::Categorical(c) => c.levels.iter().map(|l| l.percent).collect(),
        Summary::Continuous(_) => panic!("categorical expected"),
    }
}

// Group a: u, u, v, missing; group b: v, v, missing, missing; row 9 has no group.
// Counts u: a 2, b 0 (level total 2); v: a 1, b 2 (3); non-missing a 3, b 2, all 5; missing
// a 1, b 2, overall 3, in no denominator.
// Column %: a = 2/3, 1/3; b = 0/2, 2/2; overall 2/5, 3/5.
// Row %: u = 2/2 in a, 0/2 in b; v = 1/3 in a, 2/3 in b; overall 100 each.
// Total %: a = 2/5, 1/5; b = 0/5, 2/5; overall 2/5, 3/5.
#[test]
fn percentages_by_hand_on_each_basis() {
    let table = small_table();
    let mut options = Table1Options {
        group: "g".into(),
        variables: vec!["x".into()],
        ..Table1Options::default()
    };
    let frac = |a: f64, b: f64| Some(100.0 * a / b);
    let t = table1(&table, &options).unwrap();
    assert_eq!(t.excluded.len(), 1);
    assert_eq!(t.excluded[0].row, 9);
    assert_eq!(t.percent, PercentBasis::Column);
    assert_eq!(
        percents(&t),
        [
            vec![frac(2.0, 3.0), frac(1.0, 3.0)],
            vec![frac(0.0, 2.0), frac(2.0, 2.0)]
        ]
    );
    assert_eq!(overall_percents(&t), [frac(2.0, 5.0), frac(3.0, 5.0)]);
    let Summary::Categorical(b) = &t.rows[0].by_group[1].summary else {
        panic!()
    };
    assert_eq!((b.n, b.missing), (2, 2));
    let Summary::Categorical(all) = &t.rows[0].overall else {
        panic!()
    };
    assert_eq!((all.n, all.missing), (5, 3));

    options.percent = PercentBasis::Row;
    let t = table1(&table, &options).unwrap();
    assert_eq!(
        percents(&t),
        [
            vec![frac(2.0, 2.0), frac(1.0, 3.0)],
            vec![frac(0.0, 2.0), frac(2.0, 3.0)]
        ]
    );
    assert_eq!(overall_percents(&t), [Some(100.0), Some(100.0)]);

    options.percent = PercentBasis::Total;
    let t = table1(&table, &options).unwrap();
    assert_eq!(
        percents(&t),
        [
            vec![frac(2.0, 5.0), frac(1.0, 5.0)],
            vec![frac(0.0, 5.0), frac(2.0, 5.0)]
        ]
    );
    assert_eq!(overall_percents(&t), [frac(2.0, 5.0), frac(3.0, 5.0)]);
}

// [[30, 10], [10, 30]] as rows of a file: every expected count 20, so the automatic test is a
// chi-square; without Yates X^2 = 4 * 100 / 20 = 20, with it 4 * 9.5^2 / 20 = 18.05.
#[test]
fn yates_is_chosen_for_the_automatic_chi_square_on_request() {
    let mut rows = Vec::new();
    for (g, x, n) in [
        ("a", "u", 30),
        ("a", "v", 10),
        ("b", "u", 10),
        ("b", "v", 30),
    ] {
        rows.extend(std::iter::repeat_n(vec![g, x], n));
    }
    let table = Table::from_rows(&["g", "x"], &rows).unwrap();
    let mut options = Table1Options {
        group: "g".into(),
        variables: vec!["x".into()],
        ..Table1Options::default()
    };
    let plain = table1(&table, &options).unwrap();
    assert_eq!(plain.rows[0].test, TestName::ChiSquare);
    assert_close("X2", plain.rows[0].statistic.unwrap(), 20.0);
    assert!(plain.rows[0]
        .method
        .contains("without continuity correction (SPSS's Pearson Chi-Square)"));
    options.yates = true;
    let yates = table1(&table, &options).unwrap();
    assert_eq!(yates.rows[0].test, TestName::ChiSquareYates);
    assert_close("Yates X2", yates.rows[0].statistic.unwrap(), 18.05);
    assert!(yates.rows[0]
        .method
        .contains("with Yates' continuity correction"));
}

#[test]
fn automatic_choice_follows_expected_counts_and_group_count() {
    let table = small_table();
    let options = Table1Options {
        group: "g".into(),
        variables: vec!["x".into()],
        ..Table1Options::default()
    };
    // Expected counts below 5 everywhere: Fisher.
    assert_eq!(
        table1(&table, &options).unwrap().rows[0].test,
        TestName::FisherExact
    );
}

#[test]
fn zero_rows_and_a_single_group_are_errors_that_say_so() {
    let empty = Table::from_rows::<&str>(&["g", "x"], &[]).unwrap();
    let options = Table1Options {
        group: "g".into(),
        variables: vec!["x".into()],
        ..Table1Options::default()
    };
    let err = table1(&empty, &options).unwrap_err().to_string();
    assert!(err.contains("no data rows"), "{err}");
    let one = Table::from_rows(&["g", "x"], &[vec!["a", "1"], vec!["a", "2"]]).unwrap();
    let err = table1(&one, &options).unwrap_err().to_string();
    assert!(err.contains("single group ('a')"), "{err}");
}

/// Brute force: every table with the margins of `t`, and R's two-sided sum.
fn brute_force_fisher(t: &[Vec<u64>]) -> f64 {
    let rows: Vec<u64> = t.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<u64> = (0..t[0].len())
        .map(|j| t.iter().map(|r| r[j]).sum())
        .collect();
    let n: u64 = rows.iter().sum();
    let lf = |k: u64| (1..=k).map(|i| (i as f64).ln()).sum::<f64>();
    let ln_const = rows.iter().chain(&cols).map(|&k| lf(k)).sum::<f64>() - lf(n);
    let prob = |x: &[Vec<u64>]| (ln_const - x.iter().flatten().map(|&k| lf(k)).sum::<f64>()).exp();
    let observed = prob(t);
    let mut probs = Vec::new();
    let mut x = vec![vec![0u64; cols.len()]; rows.len()];
    fn fill(
        i: usize,
        j: usize,
        x: &mut Vec<Vec<u64>>,
        rows: &[u64],
        cols: &[u64],
        out: &mut dyn FnMut(&[Vec<u64>]),
    ) {
        let (r, c) = (rows.len(), cols.len());
        if i == r - 1 {
            let last: Vec<u64> = (0..c)
                .map(|j| cols[j] - (0..r - 1).map(|i| x[i][j]).sum::<u64>())
                .collect();
            if last.iter().sum::<u64>() == rows[r - 1] {
                x[r - 1] = last;
                out(x);
            }
            return;
        }
        if j == c - 1 {
            let used: u64 = x[i][..c - 1].iter().sum();
            let col_used: u64 = (0..i).map(|k| x[k][j]).sum();
            if used <= rows[i] && col_used + rows[i] - used <= cols[j] {
                x[i][j] = rows[i] - used;
                fill(i + 1, 0, x, rows, cols, out);
            }
            return;
        }
        let used: u64 = x[i][..j].iter().sum();
        let col_used: u64 = (0..i).map(|k| x[k][j]).sum();
        for v in 0..=(rows[i] - used).min(cols[j] - col_used) {
            x[i][j] = v;
            fill(i, j + 1, x, rows, cols, out);
        }
    }
    fill(0, 0, &mut x, &rows, &cols, &mut |x| probs.push(prob(x)));
    probs
        .iter()
        .filter(|&&p| p <= observed * (1.0 + 1e-7))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    // The network algorithm must find the same tables as listing them all.
    #[test]
    fn fisher_matches_brute_force(cells in prop::collection::vec(0u64..5, 6..=9), wide in any::<bool>()) {
        let c = if cells.len() == 9 || wide { 3 } else { 2 };
        let r = cells.len() / c;
        let t: Vec<Vec<u64>> = (0..r).map(|i| cells[i * c..(i + 1) * c].to_vec()).collect();
        prop_assume!(contingency::check_shape(&t).is_ok());
        let ours = fisher::fisher_exact(&t).unwrap().p.unwrap();
        let brute = brute_force_fisher(&t);
        prop_assert!((ours - brute).abs() <= 1e-9 * brute.max(1e-12), "{t:?}: {ours} vs {brute}");
    }

    // Which group comes first changes W to n1 n2 - W but not the two-sided P.
    #[test]
    fn mann_whitney_p_ignores_group_order(x in prop::collection::vec(-50i32..50, 1..12), y in prop::collection::vec(-50i32..50, 1..12)) {
        let x: Vec<f64> = x.into_iter().map(f64::from).collect();
        let y: Vec<f64> = y.into_iter().map(f64::from).collect();
        let a = wilcoxon::mann_whitney(&[x.clone(), y.clone()]);
        let b = wilcoxon::mann_whitney(&[y, x]);
        if let (Ok(a), Ok(b)) = (a, b) {
            let (pa, pb) = (a.p.unwrap(), b.p.unwrap());
            prop_assert!((pa - pb).abs() <= 1e-12, "{pa} vs {pb}");
            prop_assert!(pa > 0.0 && pa <= 1.0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    // Quartiles found by selection equal R's type 7 definition on the sorted values:
    // x[lo] + h (x[hi] - x[lo]) at index 1 + (n - 1) p.
    #[test]
    fn quartiles_by_selection_equal_type_7_on_sorted(x in prop::collection::vec(-1000i32..1000, 1..60)) {
        let mut values: Vec<f64> = x.iter().map(|&v| f64::from(v) / 4.0).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let s = survcalc::describe::summary::ContinuousSummary::new(&mut values, 0);
        let q7 = |p: f64| {
            let index = 1.0 + (sorted.len() - 1) as f64 * p;
            let (lo, hi) = (index.floor() as usize - 1, index.ceil() as usize - 1);
            let h = index - index.floor();
            (1.0 - h) * sorted[lo] + h * sorted[hi]
        };
        for (got, p) in [(s.q1, 0.25), (s.median, 0.5), (s.q3, 0.75)] {
            prop_assert!((got.unwrap() - q7(p)).abs() <= 1e-12 * q7(p).abs().max(1.0));
        }
        prop_assert_eq!(s.min, sorted.first().copied());
        prop_assert_eq!(s.max, sorted.last().copied());
    }
}

fn cell_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (-3i32..6).prop_map(|v| v.to_string()),
        (-300i32..300).prop_map(|v| format!("{}", f64::from(v) / 7.0)),
        Just(String::new()),
        Just("NA".to_string()),
        Just("x".to_string()),
        Just("y".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    // Whatever the cells and whichever test is asked for: an answer or an error, never a
    // panic, and no NaN anywhere in the result.
    #[test]
    fn never_panics_and_never_nan(
        rows in prop::collection::vec(
            (prop_oneof![Just("a"), Just("b"), Just("c"), Just(""), Just("NA")], cell_strategy()),
            0..25,
        ),
        test in prop::option::of(0usize..9),
        categorical in any::<bool>(),
        smd in any::<bool>(),
    ) {
        let rows: Vec<Vec<String>> = rows.into_iter().map(|(g, x)| vec![g.to_string(), x]).collect();
        let table = Table::from_rows(&["g".to_string(), "x".to_string()], &rows).unwrap();
        let options = Table1Options {
            group: "g".into(),
            variables: vec!["x".into()],
            categorical: if categorical { vec!["x".into()] } else { vec![] },
            tests: test.map(|t| vec![("x".to_string(), TestName::ALL[t])]).unwrap_or_default(),
            smd,
            ..Table1Options::default()
        };
        if let Ok(t) = table1(&table, &options) {
            let json = serde_json::to_string(&t).unwrap();
            prop_assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
            let row = &t.rows[0];
            if let Some(p) = row.p {
                prop_assert!((0.0..=1.0).contains(&p), "p = {p}");
            }
            if row.p.is_none() {
                prop_assert!(!t.warnings.is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    // On every basis the percentages add up to 100 the way the basis reads (down each column,
    // across each level, over the whole table), and missing cells change no percentage.
    #[test]
    fn percentages_add_up_and_ignore_missing_cells(
        rows in prop::collection::vec(
            (prop_oneof![Just("a"), Just("b"), Just("c")], prop_oneof![Just("u"), Just("v"), Just("w")]),
            1..30,
        ),
        missing in prop::collection::vec(prop_oneof![Just("a"), Just("b"), Just("c")], 0..6),
        basis in prop_oneof![Just(PercentBasis::Column), Just(PercentBasis::Row), Just(PercentBasis::Total)],
    ) {
        let mut cells: Vec<Vec<String>> = rows.iter().map(|(g, x)| vec![g.to_string(), x.to_string()]).collect();
        let groups: std::collections::BTreeSet<&str> = rows.iter().map(|(g, _)| *g).collect();
        prop_assume!(groups.len() >= 2);
        let options = Table1Options {
            group: "g".into(),
            variables: vec!["x".into()],
            categorical: vec!["x".into()],
            tests: vec![("x".into(), TestName::ChiSquare)],
            percent: basis,
            ..Table1Options::default()
        };
        let headers = ["g".to_string(), "x".to_string()];
        let without = table1(&Table::from_rows(&headers, &cells).unwrap(), &options).unwrap();
        cells.extend(missing.iter().filter(|g| groups.contains(*g)).map(|g| vec![g.to_string(), "NA".into()]));
        let with = table1(&Table::from_rows(&headers, &cells).unwrap(), &options).unwrap();
        prop_assert_eq!(percents(&without), percents(&with));
        prop_assert_eq!(overall_percents(&without), overall_percents(&with));
        let p = percents(&with);
        let sum = |xs: &mut dyn Iterator<Item = Option<f64>>| xs.map(|x| x.unwrap_or(0.0)).sum::<f64>();
        let near = |x: f64| (x - 100.0).abs() < 1e-9;
        match basis {
            PercentBasis::Column => for column in &p {
                prop_assert!(near(sum(&mut column.iter().copied())));
            },
            PercentBasis::Row => for level in 0..p[0].len() {
                prop_assert!(near(sum(&mut p.iter().map(|c| c[level]))));
            },
            PercentBasis::Total => prop_assert!(near(sum(&mut p.iter().flatten().copied()))),
        }
        let overall = overall_percents(&with);
        if basis == PercentBasis::Row {
            prop_assert!(overall.iter().all(|&x| x == Some(100.0)), "{:?}", overall);
        } else {
            prop_assert!(near(sum(&mut overall.into_iter())));
        }
    }
}
