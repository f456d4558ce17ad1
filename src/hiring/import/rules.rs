//! Reading a candidates CSV and checking every row, with no I/O: the header, each
//! row's fields (through the same `validate` the form uses), and duplicate emails.

use crate::hiring::candidates::rules::{validate, CandidateInput, ValidCandidate};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The columns every file has, in the order of the template.
pub const COLUMNS: [&str; 7] = [
    "name",
    "email",
    "phone",
    "source",
    "resume_url",
    "resume_text",
    "notes",
];
/// A column a file may have: the day the person applied (YYYY-MM-DD); today when absent.
pub const APPLIED_AT: &str = "applied_at";

/// The downloadable template: the header row.
pub fn template() -> String {
    format!("{},{}\n", COLUMNS.join(","), APPLIED_AT)
}

/// One thing wrong with the file: the line as counted in the file (the header is line 1),
/// the column ("" when the whole line is wrong) and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl RowError {
    fn new(line: u64, column: &str, reason: impl Into<String>) -> RowError {
        RowError {
            line,
            column: column.to_string(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}, {}: {}", self.line, self.column, self.reason)
        }
    }
}

/// A row that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRow {
    pub line: u64,
    pub candidate: ValidCandidate,
    pub applied_on: Option<NaiveDate>,
}

/// A row left out because its email is already taken: by an earlier line of the same
/// file (`first_line`), or by a candidate already stored (`first_line` is None).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub line: u64,
    pub email: String,
    pub first_line: Option<u64>,
}

/// The file read into records, with where each column sits.
#[derive(Debug)]
pub struct Sheet {
    positions: HashMap<&'static str, usize>,
    /// (line where the record starts, its fields)
    pub records: Vec<(u64, csv::StringRecord)>,
    /// Lines that could not be read as CSV records (wrong number of fields, not UTF-8).
    pub errors: Vec<RowError>,
}

/// Reads the header and every record. A header problem stops here (no row can be read
/// without it); a malformed line is noted and reading goes on.
pub fn read(bytes: &[u8]) -> Result<Sheet, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(h) if !h.iter().all(|c| c.trim().is_empty()) => h.clone(),
        Ok(_) => {
            return Err(vec![RowError::new(
                1,
                "",
                format!(
                    "The file is empty. The first line must name the columns: {}.",
                    template().trim_end()
                ),
            )])
        }
        Err(e) => return Err(vec![RowError::new(1, "", csv_problem(&e))]),
    };
    let positions = columns(&header)?;
    let mut records = vec![];
    let mut errors = vec![];
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                records.push((line, record.clone()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    errors.push(RowError::new(line, "", csv_problem(&e)));
                    break;
                }
                errors.push(RowError::new(line, "", csv_problem(&e)));
            }
        }
    }
    if records.is_empty() && errors.is_empty() {
        errors.push(RowError::new(
            2,
            "",
            "The file has no candidate rows below the header.",
        ));
    }
    Ok(Sheet {
        positions,
        records,
        errors,
    })
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("This line has {len} fields; the header has {expected_len}."),
        csv::ErrorKind::Utf8 { .. } => {
            "This line is not valid UTF-8 text; save the file as CSV UTF-8.".into()
        }
        _ => format!("This line cannot be read as CSV ({e})."),
    }
}

/// Maps each known column to its position; names every unknown, repeated or missing one.
fn columns(header: &csv::StringRecord) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let known: Vec<&'static str> = COLUMNS.iter().copied().chain([APPLIED_AT]).collect();
    let mut positions = HashMap::new();
    let mut errors = vec![];
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim().to_lowercase();
        match known.iter().find(|k| **k == name) {
            Some(k) if positions.contains_key(k) => {
                errors.push(RowError::new(1, k, "This column appears twice."))
            }
            Some(k) => {
                positions.insert(*k, i);
            }
            None => errors.push(RowError::new(
                1,
                raw.trim(),
                format!("Unknown column; the columns are {}.", known.join(", ")),
            )),
        }
    }
    for c in COLUMNS {
        if !positions.contains_key(c) {
            errors.push(RowError::new(1, c, "This column is missing."));
        }
    }
    if errors.is_empty() {
        Ok(positions)
    } else {
        Err(errors)
    }
}

impl Sheet {
    fn field<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.positions
            .get(column)
            .and_then(|i| record.get(*i))
            .unwrap_or("")
    }

    /// Checks one record: every bad field is reported, not just the first.
    pub fn check(
        &self,
        line: u64,
        record: &csv::StringRecord,
        today: NaiveDate,
    ) -> Result<CheckedRow, Vec<RowError>> {
        let input = CandidateInput {
            name: self.field(record, "name").into(),
            email: self.field(record, "email").into(),
            phone: self.field(record, "phone").into(),
            source: self.field(record, "source").trim().to_lowercase(),
            resume_text: self.field(record, "resume_text").into(),
            resume_url: self.field(record, "resume_url").into(),
            notes: self.field(record, "notes").into(),
        };
        let mut errors: Vec<RowError> = vec![];
        let candidate = validate(&input)
            .map_err(|fields| {
                errors.extend(
                    fields
                        .into_iter()
                        .map(|(column, reason)| RowError::new(line, &column, reason)),
                )
            })
            .ok();
        let applied_on = match applied_on(self.field(record, APPLIED_AT), today) {
            Ok(day) => day,
            Err(reason) => {
                errors.push(RowError::new(line, APPLIED_AT, reason));
                None
            }
        };
        match candidate {
            Some(candidate) if errors.is_empty() => Ok(CheckedRow {
                line,
                candidate,
                applied_on,
            }),
            _ => Err(errors),
        }
    }
}

/// An applied date: empty (today), or a YYYY-MM-DD day that is not in the future.
pub fn applied_on(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) if day > today => Err("The applied date is in the future.".into()),
        Ok(day) => Ok(Some(day)),
        Err(_) => Err("Write the applied date as YYYY-MM-DD, e.g. 2026-03-31.".into()),
    }
}

/// Keeps the first row for each email not already taken; reports the others.
pub fn dedupe(rows: Vec<CheckedRow>, taken: &HashSet<String>) -> (Vec<CheckedRow>, Vec<Duplicate>) {
    let mut first: HashMap<String, u64> = HashMap::new();
    let mut keep = Vec::with_capacity(rows.len());
    let mut duplicates = vec![];
    for row in rows {
        let email = &row.candidate.email;
        if taken.contains(email) {
            duplicates.push(Duplicate {
                line: row.line,
                email: email.clone(),
                first_line: None,
            });
        } else if let Some(line) = first.get(email) {
            duplicates.push(Duplicate {
                line: row.line,
                email: email.clone(),
                first_line: Some(*line),
            });
        } else {
            first.insert(email.clone(), row.line);
            keep.push(row);
        }
    }
    (keep, duplicates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    fn check_all(csv: &str) -> (Vec<CheckedRow>, Vec<RowError>) {
        let sheet = read(csv.as_bytes()).expect("header is fine");
        let mut ok = vec![];
        let mut errors = sheet.errors.clone();
        for (line, record) in &sheet.records {
            match sheet.check(*line, record, today()) {
                Ok(row) => ok.push(row),
                Err(e) => errors.extend(e),
            }
        }
        errors.sort_by_key(|e| e.line);
        (ok, errors)
    }

    const HEADER: &str = "name,email,phone,source,resume_url,resume_text,notes\n";

    #[test]
    fn the_template_is_a_readable_header_with_no_rows() {
        let errors = read(template().as_bytes()).unwrap().errors;
        assert_eq!(
            errors,
            [RowError::new(
                2,
                "",
                "The file has no candidate rows below the header."
            )]
        );
    }

    #[test]
    fn good_rows_are_normalised_and_keep_their_line_numbers() {
        let csv = format!(
            "{HEADER}Ada Lovelace, ADA@Example.com ,+1 555 0100,Referral,https://cv.example/ada,,\n\
             Bo Diddley,bo@example.com,,,,\"Played guitar\nfor years\",\n\
             Cy Twombly,cy@example.com,,agency,,,\n"
        );
        let (ok, errors) = check_all(&csv);
        assert!(errors.is_empty(), "{errors:?}");
        let lines: Vec<u64> = ok.iter().map(|r| r.line).collect();
        // The quoted field spans two lines, so Cy starts on line 5.
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(ok[0].candidate.email, "ada@example.com");
        assert_eq!(ok[0].candidate.source.as_str(), "referral");
        assert_eq!(ok[1].candidate.resume_text, "Played guitar\nfor years");
    }

    #[test]
    fn every_bad_field_of_every_bad_row_is_reported_with_its_line() {
        let csv = format!(
            "{HEADER}Good One,good@example.com,,,,,\n\
             ,not-an-email,,billboard,,,\n\
             Fine,fine@example.com,,,ftp://x,,\n"
        );
        let (ok, errors) = check_all(&csv);
        assert_eq!(ok.len(), 1);
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            found,
            [(3, "email"), (3, "name"), (3, "source"), (4, "resume_url")]
        );
    }

    #[test]
    fn a_line_with_the_wrong_number_of_fields_is_reported_and_reading_goes_on() {
        let csv = format!("{HEADER}One,one@example.com,,,\nTwo,two@example.com,,,,,\n");
        let (ok, errors) = check_all(&csv);
        assert_eq!(ok.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].reason.contains("5 fields"), "{errors:?}");
    }

    #[test]
    fn unknown_repeated_and_missing_columns_are_named() {
        let errors = read(b"Name,email,email,favourite_colour,phone\nx,y,z,w,v\n").unwrap_err();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.column.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(found[0], ("email", "This column appears twice."));
        assert_eq!(found[1].0, "favourite_colour");
        assert!(found[1].1.starts_with("Unknown column"));
        let missing: Vec<&str> = found[2..].iter().map(|f| f.0).collect();
        assert_eq!(
            missing,
            ["source", "resume_url", "resume_text", "notes"],
            "{found:?}"
        );
        assert!(errors.iter().all(|e| e.line == 1));
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(read(b"").unwrap_err()[0].line, 1);
    }

    #[test]
    fn applied_dates_are_days_not_in_the_future() {
        assert_eq!(applied_on("", today()), Ok(None));
        assert_eq!(
            applied_on(" 2026-05-31 ", today()),
            Ok(NaiveDate::from_ymd_opt(2026, 5, 31))
        );
        assert!(applied_on("2026-06-02", today())
            .unwrap_err()
            .contains("future"));
        assert!(applied_on("31/05/2026", today())
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        let csv = "name,email,phone,source,resume_url,resume_text,notes,applied_at\n\
                   A,a@example.com,,,,,,2027-01-01\n";
        let (_, errors) = check_all(csv);
        assert_eq!(errors[0].column, "applied_at");
    }

    #[test]
    fn duplicates_in_the_file_and_in_the_database_are_skipped_once() {
        let csv = format!(
            "{HEADER}A,a@example.com,,,,,\nB,b@example.com,,,,,\nA again,A@EXAMPLE.com,,,,,\n\
             Old,old@example.com,,,,,\n"
        );
        let (ok, _) = check_all(&csv);
        let taken = HashSet::from(["old@example.com".to_string()]);
        let (keep, dups) = dedupe(ok, &taken);
        let kept: Vec<&str> = keep.iter().map(|r| r.candidate.email.as_str()).collect();
        assert_eq!(kept, ["a@example.com", "b@example.com"]);
        assert_eq!(
            dups,
            [
                Duplicate {
                    line: 4,
                    email: "a@example.com".into(),
                    first_line: Some(2)
                },
                Duplicate {
                    line: 5,
                    email: "old@example.com".into(),
                    first_line: None
                },
            ]
        );
    }
}
