//! docs/cli.md, the repository's copy of the command-line contract, kept in step with the
//! shared specification (its headings) and with the built program (every command and flag).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a section's first line says when the program does not do that section yet.
const NOT_YET: &str = "Status: not yet in survcalc";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn docs_cli() -> String {
    let path = repository().join("docs/cli.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shared specification: `../shared/spec/cli.md` beside the integration checkout (and CI's
/// clone), or one level further up from a worktree under `wt/`.
fn shared_spec() -> Option<PathBuf> {
    repository()
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join("shared/spec/cli.md"))
        .find(|path| path.is_file())
}

/// The `##` and `###` heading lines of a Markdown text, as written.
fn headings(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| l.starts_with("## ") || l.starts_with("### "))
        .collect()
}

#[test]
fn every_heading_of_the_shared_specification_is_in_docs_cli_md() {
    let Some(spec) = shared_spec() else {
        eprintln!(
            "skipped: no shared/spec/cli.md beside the repository ({}/..); a clone without \
             the project's shared folder has nothing to compare docs/cli.md with",
            repository().display()
        );
        return;
    };
    let spec_text = std::fs::read_to_string(&spec).unwrap();
    let ours = docs_cli();
    let ours: BTreeSet<&str> = headings(&ours).into_iter().collect();
    let wanted = headings(&spec_text);
    assert!(wanted.len() >= 5, "{}: too few headings", spec.display());
    let missing: Vec<&str> = wanted.into_iter().filter(|h| !ours.contains(h)).collect();
    assert!(
        missing.is_empty(),
        "docs/cli.md lacks these headings of {} (copy the sections, headings verbatim): {missing:#?}",
        spec.display()
    );
}

/// One `##`/`###` section of docs/cli.md (the text before the first is the preamble).
struct Section<'a> {
    heading: &'a str,
    /// Its first paragraph when that starts with "Status:".
    status: &'a str,
    /// The rest of its text.
    body: String,
}

fn sections(text: &str) -> Vec<Section<'_>> {
    let mut starts: Vec<usize> = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") || line.starts_with("### ") {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| {
            let part = &text[w[0]..w[1]];
            let (heading, rest) = if part.starts_with('#') {
                part.split_once('\n').unwrap_or((part, ""))
            } else {
                ("", part)
            };
            let rest = rest.trim_start_matches('\n');
            let (status, body) = if rest.starts_with("Status:") {
                rest.split_once("\n\n").unwrap_or((rest, ""))
            } else {
                ("", rest)
            };
            Section {
                heading: heading.trim(),
                status,
                body: body.to_string(),
            }
        })
        .collect()
}

/// Every `--flag` in `text`: two dashes after a space, a quote or a bracket, then a
/// lowercase word.
fn flags(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices("--") {
        let before_ok = i == 0 || matches!(bytes[i - 1], b' ' | b'`' | b'(' | b'[' | b'\n');
        let word: String = text[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        if before_ok && word.starts_with(|c: char| c.is_ascii_lowercase()) {
            found.insert(format!("--{}", word.trim_end_matches('-')));
        }
    }
    found
}

/// The commands named in `survcalc a|b ...` usage text, and by a heading "name: ...".
fn commands(section: &Section) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let heading = section.heading.trim_start_matches('#').trim();
    if let Some((name, _)) = heading.split_once(':') {
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()) {
            found.insert(name.to_string());
        }
    }
    let text = format!("{}\n{}", section.status, section.body);
    for (i, _) in text.match_indices("survcalc ") {
        let names = text[i + "survcalc ".len()..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        for name in names.split('|') {
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            {
                found.insert(name.to_string());
            }
        }
    }
    found
}

/// The flags `survcalc COMMAND --help` lists, or None when there is no such command.
fn accepted_flags(command: &str) -> Option<BTreeSet<String>> {
    let out = common::survcalc(&[command, "--help"], None);
    if !out.status.success() {
        return None;
    }
    let help = String::from_utf8(out.stdout).unwrap();
    Some(
        help.split_whitespace()
            .filter(|w| w.starts_with("--"))
            .map(|w| {
                let end = w.find(['[', '<', '=', ',']).unwrap_or(w.len());
                w[..end].to_string()
            })
            .collect(),
    )
}

#[test]
fn every_command_and_flag_in_docs_cli_md_is_accepted_by_survcalc() {
    let text = docs_cli();
    let sections = sections(&text);
    let named: BTreeSet<String> = sections.iter().flat_map(commands).collect();
    for command in ["km", "cox", "table1", "cif", "regression"] {
        assert!(named.contains(command), "{command} not found in {named:?}");
    }
    let help: std::collections::BTreeMap<String, Option<BTreeSet<String>>> = named
        .iter()
        .map(|c| (c.clone(), accepted_flags(c)))
        .collect();
    let existing: Vec<&BTreeSet<String>> = help.values().flatten().collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for section in &sections {
        let what = if section.heading.is_empty() {
            "the preamble"
        } else {
            section.heading
        };
        let own = commands(section);
        let accepts = |flag: &str| {
            if own.is_empty() {
                // General text: some command takes the flag.
                existing.iter().any(|flags| flags.contains(flag))
            } else {
                own.iter()
                    .all(|c| help[c].as_ref().is_some_and(|f| f.contains(flag)))
            }
        };
        let not_yet = section.status.starts_with(NOT_YET);
        // A status line describes what exists today: it is always checked.
        for flag in flags(section.status) {
            checked += 1;
            if !accepts(&flag) {
                problems.push(format!("{what}: its status names {flag}, not accepted"));
            }
        }
        let body_flags = flags(&section.body);
        if not_yet {
            // Only flags and commands can be seen from here: a section naming none stays.
            let commands_exist = own.iter().all(|c| help[c].is_some());
            if commands_exist && !body_flags.is_empty() && body_flags.iter().all(|f| accepts(f)) {
                problems.push(format!(
                    "{what}: says \"{NOT_YET}\" but survcalc accepts its commands and \
                     flags {body_flags:?}: drop the status line, or say what is still missing \
                     in a status line not starting with \"{NOT_YET}\""
                ));
            }
            continue;
        }
        let absent: Vec<&String> = own.iter().filter(|c| help[*c].is_none()).collect();
        if !absent.is_empty() {
            problems.push(format!("{what}: survcalc has no command {absent:?}"));
            continue;
        }
        for flag in body_flags {
            checked += 1;
            if !accepts(&flag) {
                let by = if own.is_empty() {
                    "any command".to_string()
                } else {
                    format!("{own:?}")
                };
                problems.push(format!("{what}: {flag} is not accepted by {by}"));
            }
        }
    }
    assert!(checked >= 20, "only {checked} flags found in docs/cli.md");
    assert!(
        problems.is_empty(),
        "docs/cli.md and survcalc disagree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_flag_scanner_finds_flags_and_nothing_else() {
    let found =
        flags("use `--conf-type log-log|log` or --tau T; not x--y, +-z, or a -- b.\n--json");
    let expected: BTreeSet<String> = ["--conf-type", "--tau", "--json"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, expected);
}
