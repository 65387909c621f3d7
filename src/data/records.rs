//! Splitting decoded delimited text into records: plain lines by hand, quoted ones by csv-core.
//!
//! Most lines of a clinical export hold no quote, and splitting those at the delimiter in one
//! pass is several times faster than a general CSV state machine. A line with a quote (or a
//! lone carriage return) goes to csv-core, which knows quoted delimiters, doubled quotes and
//! line breaks inside cells, and continues from wherever that record ends.

use csv_core::ReadRecordResult;

/// Reads records one at a time; [`Records::cells`] gives the cells of the last one read.
pub(crate) struct Records<'a> {
    text: &'a [u8],
    pos: usize,
    delimiter: u8,
    core: csv_core::Reader,
    /// Cell byte ranges, in `text` for plain lines or in `out` for quoted records.
    ranges: Vec<(usize, usize)>,
    quoted: bool,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<'a> Records<'a> {
    pub(crate) fn new(text: &'a [u8], delimiter: u8) -> Records<'a> {
        Records {
            text,
            pos: 0,
            delimiter,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            ranges: Vec::new(),
            quoted: false,
            out: vec![0; 4096],
            ends: vec![0; 64],
        }
    }

    /// Moves to the next record: `Some(blank_lines_skipped)`, or `None` at the end.
    ///
    /// An empty line is no record (it is counted in the next record's skipped lines), as in
    /// csv-core; a line of only delimiters or spaces is a record of empty cells. A quote that
    /// opens a cell and never closes (so the rest of the file would become one cell) is an
    /// error: `Err(blank_lines_skipped)`, for the caller to name the row.
    pub(crate) fn advance(&mut self) -> Option<Result<usize, usize>> {
        let blank = self.skip_line_ends();
        if self.pos >= self.text.len() {
            return None;
        }
        if self.split_plain_line() || self.read_quoted() {
            Some(Ok(blank))
        } else {
            Some(Err(blank))
        }
    }

    /// The cells of the current record (valid UTF-8 when the text is, as it is split only
    /// at ASCII bytes).
    pub(crate) fn cells(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let source = if self.quoted {
            &self.out[..]
        } else {
            self.text
        };
        self.ranges
            .iter()
            .map(move |&(start, end)| source.get(start..end).unwrap_or_default())
    }

    /// Skips empty lines, counting them; `\r\n`, `\n` and a lone `\r` each end one line.
    fn skip_line_ends(&mut self) -> usize {
        // A record may have ended on the `\r` of a `\r\n`; its `\n` ends no further line.
        let after_cr = self.pos > 0 && self.text.get(self.pos - 1) == Some(&b'\r');
        if after_cr && self.text.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
        }
        let mut lines = 0;
        while let Some(&b) = self.text.get(self.pos) {
            match b {
                b'\n' => lines += 1,
                b'\r' if self.text.get(self.pos + 1) != Some(&b'\n') => lines += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        lines
    }

    /// Splits the line at `pos` if it holds no quote and no lone `\r`; false leaves it alone.
    fn split_plain_line(&mut self) -> bool {
        self.ranges.clear();
        self.quoted = false;
        let mut start = self.pos;
        let mut i = self.pos;
        let text = self.text;
        while let Some(&b) = text.get(i) {
            if b == self.delimiter {
                self.ranges.push((start, i));
                start = i + 1;
            } else if b == b'\n' {
                break;
            } else if b == b'"' || (b == b'\r' && text.get(i + 1) != Some(&b'\n')) {
                return false;
            }
            i += 1;
        }
        let end = if i > start && text.get(i - 1) == Some(&b'\r') {
            i - 1
        } else {
            i
        };
        self.ranges.push((start, end.max(start)));
        self.pos = i + 1;
        true
    }

    /// Reads one record at `pos` with csv-core, growing its buffers as it asks.
    fn read_quoted(&mut self) -> bool {
        let start_pos = self.pos;
        self.ranges.clear();
        self.quoted = true;
        let (mut out_len, mut n_ends) = (0, 0);
        loop {
            let input = self.text.get(self.pos..).unwrap_or_default();
            let (result, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[out_len..], &mut self.ends[n_ends..]);
            self.pos += nin;
            out_len += nout;
            n_ends += nend;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        let mut start = 0;
        for &end in &self.ends[..n_ends] {
            self.ranges.push((start, end));
            start = end;
        }
        let raw = self.text.get(start_pos..self.pos).unwrap_or_default();
        let unclosed = self.pos >= self.text.len()
            && raw.iter().filter(|&&b| b == b'"').count() % 2 == 1
            && raw.contains(&b'\n');
        !unclosed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(usize, Vec<String>)> {
        let mut records = Records::new(text.as_bytes(), b',');
        let mut all = Vec::new();
        while let Some(blank) = records.advance() {
            let blank = blank.unwrap();
            let cells = records
                .cells()
                .map(|c| String::from_utf8(c.to_vec()).unwrap())
                .collect();
            all.push((blank, cells));
        }
        all
    }

    #[test]
    fn plain_and_quoted_lines_split_alike() {
        let plain = split("a,b\r\n1,2\r\n\r\n,\n3,x\n");
        let quoted = split("\"a\",b\r\n1,\"2\"\r\n\r\n,\"\"\n3,\"x\"");
        let expected = vec![
            (0, vec!["a".to_string(), "b".into()]),
            (0, vec!["1".into(), "2".into()]),
            (1, vec!["".into(), "".into()]),
            (0, vec!["3".into(), "x".into()]),
        ];
        assert_eq!(plain, expected);
        assert_eq!(quoted, expected);
    }

    #[test]
    fn quoted_cells_keep_delimiters_quotes_and_line_breaks() {
        let records = split("n,\"say \"\"hi\"\", then\r\nleave\"\r\nx,y\r\n");
        assert_eq!(records[0].1, ["n", "say \"hi\", then\r\nleave"]);
        assert_eq!(records[1], (0, vec!["x".to_string(), "y".into()]));
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn a_quote_that_never_closes_is_reported() {
        let mut records = Records::new(b"a,b\n\"x,1\n2,3\n", b',');
        assert_eq!(records.advance(), Some(Ok(0)));
        assert_eq!(records.advance(), Some(Err(0)));
        let mut records = Records::new(b"h\n5'3\"", b',');
        records.advance();
        assert_eq!(records.advance(), Some(Ok(0)));
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(
            split("a,b\r1,2\r\r3,4"),
            [
                (0, vec!["a".to_string(), "b".into()]),
                (0, vec!["1".into(), "2".into()]),
                (1, vec!["3".into(), "4".into()]),
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The split agrees with the csv crate, the reference, on every record.
        #[test]
        fn agrees_with_the_csv_crate(text in "([a,;\"\r\n ]|\"\"|\r\n){0,60}") {
            let mut reference = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let expected: Vec<Vec<Vec<u8>>> = reference
                .byte_records()
                .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
                .collect();
            let mut records = Records::new(text.as_bytes(), b',');
            let mut actual = Vec::new();
            while let Some(next) = records.advance() {
                let _ = next;
                actual.push(records.cells().map(<[u8]>::to_vec).collect::<Vec<_>>());
            }
            proptest::prop_assert_eq!(actual, expected);
        }
    }
}
