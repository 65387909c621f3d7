//! The permutation log-rank test on four subjects, two per group, every relabelling enumerated by hand.
//!
//! Data: times 1, 2, 3, 4 with status 1, 1, 0, 1 (subject 3 censored).
//!
//! Pooled Nelson-Aalen at each time (events / at risk, tied times sharing the value):
//!   t = 1: 1/4;  t = 2: 1/4 + 1/3 = 7/12;  t = 3 (censored): 7/12;  t = 4: 7/12 + 1/1 = 19/12.
//! Log-rank scores a = d - H(t):
//!   a1 = 1 - 1/4 = 3/4,  a2 = 1 - 7/12 = 5/12,  a3 = 0 - 7/12 = -7/12,  a4 = 1 - 19/12 = -7/12
//! (they sum to 0; subjects 3 and 4 share a score although one is censored).
//!
//! Null moments for a group of m = 2 of n = 4: E T = m abar = 0; v = sum a^2 / n =
//! (81 + 25 + 49 + 49) / 144 / 4 = 17/48; Var T = n/(n-1) v (m - m^2/n) = 4/3 * 17/48 * 1 = 17/36.
//!
//! The C(4, 2) = 6 ways to form the group, with their score sums S:
//!   {1,2}: 7/6   {1,3}: 1/6   {1,4}: 1/6   {2,3}: -1/6   {2,4}: -1/6   {3,4}: -7/6
//!
//! Group {1,2}: statistic (7/6)^2 / (17/36) = 49/17; |S| >= 7/6 for {1,2} and {3,4}: P = 2/6 = 1/3.
//! Group {1,3}: statistic (1/6)^2 / (17/36) = 1/17; |S| >= 1/6 for all six: P = 1 (the sums
//! of {1,4}, {2,3} and {2,4} equal the bound only up to rounding: they must count).

use survcalc::exact::{logrank_permutation, PermutationMethod, PermutationOptions};

const TIME: [f64; 4] = [1.0, 2.0, 3.0, 4.0];
const EVENT: [bool; 4] = [true, true, false, true];

fn test_with_group(group: [usize; 4]) -> survcalc::exact::PermutationTest {
    logrank_permutation(
        &TIME,
        &EVENT,
        &group,
        2,
        None,
        &PermutationOptions::default(),
    )
    .unwrap()
}

#[test]
fn group_of_the_two_earliest_events() {
    let test = test_with_group([0, 0, 1, 1]);
    assert_eq!(test.method, PermutationMethod::Exact);
    assert!((test.statistic - 49.0 / 17.0).abs() < 1e-12);
    assert!((test.p - 1.0 / 3.0).abs() < 1e-12, "{}", test.p);
}

#[test]
fn sums_equal_to_the_bound_up_to_rounding_count() {
    let test = test_with_group([0, 1, 0, 1]);
    assert!((test.statistic - 1.0 / 17.0).abs() < 1e-12);
    assert_eq!(test.p, 1.0);
}

#[test]
fn which_group_is_first_does_not_matter() {
    assert_eq!(
        test_with_group([1, 1, 0, 0]).p,
        test_with_group([0, 0, 1, 1]).p
    );
}

/// Three groups of 1, 2 and 1 subjects: {1}, {2, 3}, {4}. The sums are T = (3/4, -1/6, -7/12)
/// (null mean 0). The covariance n/(n-1) v (diag(n_g) - n_g n_h / n) has the generalised
/// inverse form x' V^- x = sum_g x_g^2 / n_g / (n/(n-1) v) for x summing to 0, with
/// n/(n-1) v = 17/36; in twelfths, 12 T = (9, -2, -7):
///   statistic = (81 + 4/2 + 49) / 144 / (17/36) = 132/144 * 36/17 = 33/17.
/// The 12 labellings (subject i alone in the first group, j alone in the third; in twelfths
/// the scores are 9, 5, -7, -7), as 144 * 17/36 * statistic = a_i^2 + a_j^2 + (a_k + a_l)^2 / 2:
///   {i, j} = {1, 2}: 81 + 25 + 196/2 = 204 (2 orders)   {1, 3} or {1, 4}: 81 + 49 + 4/2 = 132 (4)
///   {2, 3} or {2, 4}: 25 + 49 + 4/2 = 76 (4)             {3, 4}: 49 + 49 + 196/2 = 196 (2)
/// At least the observed 132: 2 + 4 + 2 = 8 of 12, P = 2/3, which the Monte Carlo estimate
/// (more than two groups) must approach.
#[test]
fn three_groups_use_the_quadratic_form_and_monte_carlo() {
    let test = logrank_permutation(
        &TIME,
        &EVENT,
        &[0, 1, 1, 2],
        3,
        None,
        &PermutationOptions::default(),
    )
    .unwrap();
    assert_eq!(test.method, PermutationMethod::MonteCarlo);
    assert!(
        (test.statistic - 33.0 / 17.0).abs() < 1e-12,
        "{}",
        test.statistic
    );
    assert_eq!((test.resamples, test.seed), (Some(100_000), Some(1)));
    let se = (2.0 / 3.0 * (1.0 / 3.0) / 1e5_f64).sqrt();
    assert!((test.p - 2.0 / 3.0).abs() < 4.0 * se, "{}", test.p);
    assert!((test.mc_se.unwrap() - se).abs() < 1e-4);
}

#[test]
fn strata_whose_relabellings_move_no_sum_give_statistic_0_and_p_1() {
    // By hand, within strata (as coin's block): stratum 0 holds a censoring at 1 (score
    // 0 - H(1) = 0) and a lone event at 36/7 (score 1 - 1/1 = 0), so swapping its two groups
    // moves no sum; stratum 2's two subjects share group 1; stratum 1 has one subject. Every
    // relabelling gives the observed sums: statistic 0, P 1. (Rounding in the scores once gave
    // this a variance of about 1e-34 and a statistic of 5e31, found by tests/exact_properties.rs.)
    let time = [1.0, 0.0, 36.0 / 7.0, 1.0, 0.0];
    let event = [false, true, true, false, false];
    let stratum = [1usize, 2, 0, 0, 2];
    let group = [0usize, 1, 2, 0, 1];
    let options = PermutationOptions {
        resamples: 4000,
        seed: 0,
    };
    let t = logrank_permutation(&time, &event, &group, 3, Some((&stratum, 3)), &options).unwrap();
    assert_eq!(t.statistic, 0.0);
    assert_eq!(t.p, 1.0);
}
