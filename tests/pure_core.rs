//! The core speaks no front end's words: no string literal in src outside the command line
//! (src/main.rs, src/cli/) names a flag ("--time"); errors carry a Hint that each front end
//! words in its own terms (issue 10).

use std::path::{Path, PathBuf};

/// A string literal holding a flag: where it is and the literal's text.
#[derive(Debug, PartialEq)]
struct Hit {
    line: usize,
    literal: String,
}

/// Whether `text` names a flag: two dashes, not after a letter, digit or dash, then a
/// lowercase letter ("--start-date", not "a--b", "---" or "--").
fn names_a_flag(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices("--").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + 2).copied();
        !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-')
            && after.is_some_and(|a| a.is_ascii_lowercase())
    })
}

/// The string literals of Rust source that name a flag. Comments are skipped, char literals
/// ('"') are not taken for strings, raw strings (r"..", r#".."#) are read to their end.
fn flag_literals(source: &str) -> Vec<Hit> {
    let chars: Vec<char> = source.chars().collect();
    let mut hits = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && at(i + 1) == '*' {
            while i < chars.len() && !(chars[i] == '*' && at(i + 1) == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '\'' {
            // A char literal ('x', '\n', '\''), or a lifetime, which has no closing quote.
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
            continue;
        }
        let raw_hashes = if c == 'r' && (at(i + 1) == '"' || at(i + 1) == '#') {
            let n = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            (at(i + 1 + n) == '"').then_some(n)
        } else {
            None
        };
        let is_word_start = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '"' || (is_word_start && raw_hashes.is_some()) {
            let start_line = line;
            let mut text = String::new();
            if let Some(n) = raw_hashes {
                i += n + 2;
                let close: String = std::iter::once('"').chain((0..n).map(|_| '#')).collect();
                while i < chars.len() && !chars[i..].starts_with(&close.chars().collect::<Vec<_>>())
                {
                    line += usize::from(chars[i] == '\n');
                    text.push(chars[i]);
                    i += 1;
                }
                i += close.len();
            } else {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        text.push(chars[i]);
                        i += 1;
                    }
                    line += usize::from(at(i) == '\n');
                    text.push(at(i));
                    i += 1;
                }
                i += 1;
            }
            if names_a_flag(&text) {
                hits.push(Hit {
                    line: start_line,
                    literal: text,
                });
            }
            continue;
        }
        line += usize::from(c == '\n');
        i += 1;
    }
    hits
}

/// `source` without its test modules: `#[cfg(..test..)]` before `mod name {` drops the lines
/// up to the module's closing brace at the same indentation (rustfmt's layout).
fn without_test_modules(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut kept = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let attribute = lines[i].trim_start();
        let is_test_cfg = attribute.starts_with("#[cfg(") && attribute.contains("test");
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        if is_test_cfg && next.starts_with("mod ") && next.ends_with('{') {
            let indent = &lines[i + 1][..lines[i + 1].len() - next.len()];
            let close = format!("{indent}}}");
            let end = (i + 2..lines.len())
                .find(|&j| lines[j] == close)
                .unwrap_or(lines.len() - 1);
            // Keep the line count, so that the lines reported stay the file's.
            kept.extend(std::iter::repeat_n("", end + 1 - i));
            i = end + 1;
            continue;
        }
        kept.push(lines[i]);
        i += 1;
    }
    kept.join("\n")
}

/// Files that `#[cfg(..test..)] mod name;` declares: test code kept in a file of its own.
fn test_module_files(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with("#[cfg(") && w[0].contains("test"))
        .filter_map(|w| w[1].strip_prefix("mod ")?.strip_suffix(';'))
        .map(|name| format!("{name}.rs"))
        .collect()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_string_in_the_core_names_a_flag() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect();
    let test_files: Vec<String> = sources
        .iter()
        .flat_map(|(_, text)| test_module_files(text))
        .collect();
    let mut found = Vec::new();
    let mut scanned = 0;
    for (path, text) in &sources {
        let relative = path.strip_prefix(&src).unwrap();
        let name = relative.file_name().unwrap().to_string_lossy();
        if relative == Path::new("main.rs")
            || relative.starts_with("cli")
            || test_files.iter().any(|t| *t == name)
        {
            continue;
        }
        scanned += 1;
        for hit in flag_literals(&without_test_modules(text)) {
            found.push(format!(
                "src/{}:{}: \"{}\"",
                relative.display(),
                hit.line,
                hit.literal
            ));
        }
    }
    assert!(scanned >= 20, "only {scanned} files under src");
    assert!(
        found.is_empty(),
        "{} string literals outside src/main.rs and src/cli/ name a flag; give the error a Hint \
         (src/error.rs) and word it in src/cli/hints.rs:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_scanner_finds_flags_in_string_literals_only() {
    let source = r####"
//! Doc: give --time here is a comment.
fn f() -> String {
    let c = '"'; let q = '\''; let l: &'static str = "a--b and ---";
    /* "--block" comment */
    let m = format!("give --start-date {} and\n--end-date", c);
    let r = r#"raw "--sheet" here"#;
    let ok = "en-dash -- spaced, --9, x--y";
    m
}
#[cfg(test)]
mod tests {
    fn t() { let _ = "--group"; }
}
fn g() -> &'static str { "--conf-type" }
"####;
    let hits = flag_literals(&without_test_modules(source));
    let lines: Vec<(usize, &str)> = hits.iter().map(|h| (h.line, h.literal.as_str())).collect();
    assert_eq!(
        lines,
        [
            (6, r"give --start-date {} and\n--end-date"),
            (7, r#"raw "--sheet" here"#),
            (15, "--conf-type"),
        ]
    );
    assert_eq!(
        test_module_files("#[cfg(all(test, target_arch = \"wasm32\"))]\nmod canvas_tests;\n"),
        ["canvas_tests.rs"]
    );
}
