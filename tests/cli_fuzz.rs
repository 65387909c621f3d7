//! Every command on arbitrary CSV-shaped input: a result, or `error:` lines with exit 2 or 65,
//! never a panic (bounded case count; each case starts the binary a few times).

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;

/// Cells as clinical exports hold them, including the awkward ones.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..60).prop_map(|n| n.to_string()),
        (0.0f64..90.0).prop_map(|x| format!("{x:.1}")),
        prop::sample::select(vec![
            "0",
            "1",
            "2",
            "1",
            "0",
            "A",
            "B",
            "yes",
            "no",
            "dead",
            "alive",
            "NA",
            "",
            "-1",
            "1e308",
            "0.0",
            "\"x,y\"",
            "2020-01-05",
            "31/12/2020",
            "2020-07-01",
            "05/01/2020",
        ])
        .prop_map(str::to_string),
    ]
}

fn csv() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::collection::vec(cell(), 4), 0..25).prop_map(|rows| {
        let mut text = String::from("t,d,g,x\n");
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        text.into_bytes()
    })
}

fn check(args: &[&str], input: &[u8]) -> Result<(), TestCaseError> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    prop_assert!(
        matches!(code, Some(0 | 2 | 65)),
        "{args:?}: exit {code:?}\n{stderr}"
    );
    if code != Some(0) {
        prop_assert!(
            !stderr.is_empty() && stderr.lines().all(|l| l.starts_with("error: ")),
            "{args:?}: {stderr}"
        );
    } else {
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_command_panics(input in csv()) {
        check(&["inspect", "--json"], &input)?;
        check(&["km", "--time", "t", "--event", "d", "--group", "g", "--json"], &input)?;
        check(&["km", "--start-date", "x", "--end-date", "t", "--cutoff-date", "2020-06-30", "--event", "d", "--unit", "months", "--json"], &input)?;
        check(&["cox", "--time", "t", "--event", "d", "--covariate", "x", "--categorical", "g", "--json"], &input)?;
        check(&["table1", "--group", "g", "--variable", "x", "--variable", "d", "--json"], &input)?;
    }
}
