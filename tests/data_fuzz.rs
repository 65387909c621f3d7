//! Arbitrary bytes and CSV-shaped text through the reader, the profile and preparation:
//! never a panic, always a table or an error (bounded case counts keep CI fast).

use proptest::prelude::*;
use survcalc::data::prepare::{read_numbers, SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::profile::profile_table;
use survcalc::data::{read_table, ReadOptions, RowFilter};
use survcalc::options::DateFormat;
use survcalc::options::TimeUnit;

/// Cells as clinicians' files hold them: numbers, codes, missing tokens, dates, quotes.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..2000).prop_map(|n| n.to_string()),
        (-50.0f64..500.0).prop_map(|x| format!("{x:.2}")),
        (-50.0f64..500.0).prop_map(|x| format!("{x:.1}").replace('.', ",")),
        prop::sample::select(vec![
            "0",
            "1",
            "2",
            "yes",
            "No",
            "dead",
            "alive",
            "TRUE",
            "NA",
            "",
            ".",
            "-",
            "#N/A",
            "null",
            "?",
            "A",
            "B",
            "None",
            "\"q,uo\"\"te\"",
            "\"a\nb\"",
            "é",
            "\u{feff}",
        ])
        .prop_map(str::to_string),
        (1u32..29, 1u32..13, 1990i32..2030).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}")),
        (1u32..29, 1u32..13, 1990i32..2030).prop_map(|(d, m, y)| format!("{y}-{m:02}-{d:02}")),
        (30000u32..50000).prop_map(|n| n.to_string()),
        "[ -~]{0,6}",
    ]
}

fn csv_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![",", ";", "\t", "|"]),
        prop::sample::select(vec!["\n", "\r\n"]),
        prop::collection::vec("[a-z]{0,3}", 1..5),
        prop::collection::vec(prop::collection::vec(cell(), 0..6), 0..12),
    )
        .prop_map(|(sep, nl, header, rows)| {
            let mut text = header.join(sep);
            for row in rows {
                text.push_str(nl);
                text.push_str(&row.join(sep));
            }
            text
        })
}

/// Runs everything a command would run on a table read from `bytes`; panics are the failure.
fn exercise(bytes: &[u8]) {
    let Ok(table) = read_table(bytes, None, &ReadOptions::default()) else {
        return;
    };
    let _ = profile_table(&table);
    let headers = table.headers().to_vec();
    let name = |i: usize| headers[i % headers.len()].clone();
    let outcomes = [
        TimeSpec::Column(name(0)),
        TimeSpec::Dates {
            start: name(0),
            end: name(1),
            unit: TimeUnit::Months,
            format: DateFormat::Auto,
            cutoff: Some("2020-06-30".into()),
        },
        TimeSpec::Dates {
            start: name(1),
            end: name(2),
            unit: TimeUnit::Years,
            format: DateFormat::Dmy,
            cutoff: None,
        },
    ];
    for time in outcomes {
        let spec = SurvivalSpec {
            time,
            event: name(1),
            event_values: vec![],
        };
        let _ = SurvivalData::from_table(&table, &spec, Some(&name(2)), Some(&name(3)));
    }
    let _ = read_numbers(
        &table,
        &name(2),
        "covariate",
        &mut RowFilter::for_table(&table),
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn csv_shaped_text_never_panics(text in csv_text()) {
        exercise(text.as_bytes());
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        exercise(&utf16);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        exercise(&bytes);
        exercise(&[b"PK\x03\x04".as_slice(), &bytes].concat());
        exercise(&[[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1].as_slice(), &bytes].concat());
    }
}

/// Real workbooks with bytes flipped: calamine must fail cleanly, not panic.
#[test]
fn damaged_workbooks_never_panic() {
    for name in ["workbook.xlsx", "workbook.ods", "workbook.xls"] {
        let path = format!("{}/tests/data/input/{name}", env!("CARGO_MANIFEST_DIR"));
        let good = std::fs::read(path).unwrap();
        for step in [7usize, 61, 509] {
            let mut bad = good.clone();
            for i in (step..bad.len()).step_by(step * 3) {
                bad[i] ^= 0x5A;
            }
            exercise(&bad);
            exercise(&good[..good.len() * step / 600]);
        }
    }
}
