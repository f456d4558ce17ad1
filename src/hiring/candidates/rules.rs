//! What makes a candidate record acceptable, shared by the form, the API and the import.

use crate::auth::rules::{email_problem, normalize_email};
use crate::error::FieldErrors;
use crate::hiring::rules::{Source, Stage};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A candidate as typed into a form, sent to the API or read from a CSV row.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CandidateInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// careers_page, referral, agency, job_board, event or other.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub resume_text: String,
    /// A link to the resume (http or https).
    #[serde(default)]
    pub resume_url: String,
    #[serde(default)]
    pub notes: String,
}

/// A checked candidate, ready to store: trimmed, email normalised, source parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCandidate {
    pub name: String,
    pub name_key: String,
    pub email: String,
    pub phone: String,
    pub source: Source,
    pub resume_text: String,
    pub resume_url: String,
    pub notes: String,
}

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 100_000;

/// The lower-cased name that prefix search runs against.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub fn validate(input: &CandidateInput) -> Result<ValidCandidate, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.insert("name".into(), "Enter the candidate's name.".into());
    } else if name.chars().count() > MAX_NAME {
        errors.insert(
            "name".into(),
            format!("Keep the name under {MAX_NAME} characters."),
        );
    }
    let email = normalize_email(&input.email);
    if let Some(problem) = email_problem(&email) {
        errors.insert("email".into(), problem);
    }
    let phone = input.phone.trim();
    let phone_ok = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && phone.chars().filter(char::is_ascii_digit).count() <= 20;
    if !phone_ok {
        errors.insert(
            "phone".into(),
            "Use digits, spaces and + - ( ) only, at most 20 digits.".into(),
        );
    }
    let source = match input.source.trim() {
        "" => Some(Source::Other),
        s => Source::parse(s),
    };
    if source.is_none() {
        let known: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
        errors.insert(
            "source".into(),
            format!("Unknown source; use one of {}.", known.join(", ")),
        );
    }
    let resume_url = input.resume_url.trim();
    let link_ok = resume_url.is_empty()
        || resume_url.starts_with("https://")
        || resume_url.starts_with("http://");
    if !link_ok {
        errors.insert(
            "resume_url".into(),
            "A resume link starts with https:// or http://.".into(),
        );
    }
    if input.resume_text.len() > MAX_TEXT || input.notes.len() > MAX_TEXT {
        errors.insert(
            "resume_text".into(),
            "Keep the text under 100,000 characters.".into(),
        );
    }
    match source {
        Some(source) if errors.is_empty() => Ok(ValidCandidate {
            name: name.to_string(),
            name_key: name_key(name),
            email,
            phone: phone.to_string(),
            source,
            resume_text: input.resume_text.trim().to_string(),
            resume_url: resume_url.to_string(),
            notes: input.notes.trim().to_string(),
        }),
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------
// The candidate list: its query, sorting, the keyset cursor and the prefix range.

/// The list's query string, shared by the page and the API. Everything is text so that
/// a blank form field means "no filter" rather than a parse error.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Name prefix, or email prefix when it contains `@`; case-insensitive.
    pub q: Option<String>,
    /// A job id.
    pub job: Option<String>,
    /// A stage, e.g. `screening`.
    pub stage: Option<String>,
    /// A source, e.g. `referral`.
    pub source: Option<String>,
    /// First day applied (UTC), YYYY-MM-DD.
    pub applied_from: Option<String>,
    /// Last day applied (UTC), YYYY-MM-DD.
    pub applied_to: Option<String>,
    /// `newest` (default), `oldest` or `name`.
    pub sort: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Name,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Name => "name",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        [Sort::Newest, Sort::Oldest, Sort::Name]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// Where the previous page ended: its last row's sort key and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    Applied(NaiveDateTime, i64),
    Name(String, i64),
}

/// What the list searches by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Search {
    /// Lower-cased name prefix, matched on `name_key`.
    Name(String),
    /// Lower-cased email prefix, matched on `email`.
    Email(String),
}

impl Search {
    pub fn prefix(&self) -> &str {
        match self {
            Search::Name(p) | Search::Email(p) => p,
        }
    }
}

/// A checked list query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ListFilter {
    pub search: Option<Search>,
    pub job: Option<i64>,
    pub stage: Option<Stage>,
    pub source: Option<Source>,
    pub applied_from: Option<NaiveDate>,
    pub applied_to: Option<NaiveDate>,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ListQuery {
    /// Checks every field; a bad one gets a message under its own name.
    pub fn check(&self) -> Result<ListFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let search = given(&self.q).map(|q| {
            let q = q.to_lowercase();
            if q.contains('@') {
                Search::Email(q)
            } else {
                Search::Name(q)
            }
        });
        let job = given(&self.job).and_then(|j| {
            let parsed = j.parse::<i64>().ok();
            if parsed.is_none() {
                errors.insert("job".into(), "Choose a job from the list.".into());
            }
            parsed
        });
        let stage = given(&self.stage).and_then(|s| {
            let parsed = Stage::parse(s);
            if parsed.is_none() {
                errors.insert("stage".into(), "Choose a stage from the list.".into());
            }
            parsed
        });
        let source = given(&self.source).and_then(|s| {
            let parsed = Source::parse(s);
            if parsed.is_none() {
                errors.insert("source".into(), "Choose a source from the list.".into());
            }
            parsed
        });
        let mut date = |field: &str, v: &Option<String>| {
            given(v).and_then(|d| {
                let parsed = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
                if parsed.is_none() {
                    errors.insert(field.into(), "Write the date as YYYY-MM-DD.".into());
                }
                parsed
            })
        };
        let applied_from = date("applied_from", &self.applied_from);
        let applied_to = date("applied_to", &self.applied_to);
        let sort = match given(&self.sort) {
            None => Sort::Newest,
            Some(s) => Sort::parse(s).unwrap_or_else(|| {
                errors.insert("sort".into(), "Sort by newest, oldest or name.".into());
                Sort::Newest
            }),
        };
        let cursor = given(&self.cursor).and_then(|c| {
            let parsed = decode_cursor(sort, c);
            if parsed.is_none() {
                errors.insert(
                    "cursor".into(),
                    "This page link is out of date; start from the first page.".into(),
                );
            }
            parsed
        });
        if let (Some(f), Some(t)) = (applied_from, applied_to) {
            if f > t {
                errors.insert(
                    "applied_to".into(),
                    "The last day comes on or after the first day.".into(),
                );
            }
        }
        let limit = self
            .limit
            .unwrap_or(crate::web::pagination::DEFAULT_LIMIT)
            .clamp(1, crate::web::pagination::MAX_LIMIT);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListFilter {
            search,
            job,
            stage,
            source,
            applied_from,
            applied_to,
            sort,
            cursor,
            limit,
        })
    }

    /// The filters as a query string (no cursor, no limit), for links that keep them.
    pub fn filters_query(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("q", &self.q),
            ("job", &self.job),
            ("stage", &self.stage),
            ("source", &self.source),
            ("applied_from", &self.applied_from),
            ("applied_to", &self.applied_to),
            ("sort", &self.sort),
        ];
        for (k, v) in pairs {
            if let Some(v) = given(v) {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }
}

/// The smallest string greater than every string that starts with `prefix`, so that
/// `key >= prefix AND key < next` is the prefix match as an index range. None when no
/// such bound exists (then `key >= prefix` alone is the range).
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut code = last as u32 + 1;
        // Skip the surrogate gap; char::from_u32 refuses it.
        if (0xD800..=0xDFFF).contains(&code) {
            code = 0xE000;
        }
        if let Some(next) = char::from_u32(code) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// An opaque cursor: the sort, the last row's key and id, hex-encoded.
pub fn encode_cursor(cursor: &Cursor) -> String {
    let raw = match cursor {
        // Nanoseconds: the clock keeps them, and a coarser cursor would repeat rows.
        Cursor::Applied(at, id) => {
            format!("a|{}|{id}", at.and_utc().timestamp_nanos_opt().unwrap_or(0))
        }
        Cursor::Name(key, id) => format!("n|{key}|{id}"),
    };
    hex::encode(raw)
}

/// Reads a cursor back; None if it is malformed or was made for another sort.
pub fn decode_cursor(sort: Sort, raw: &str) -> Option<Cursor> {
    let text = String::from_utf8(hex::decode(raw).ok()?).ok()?;
    let (kind, rest) = text.split_once('|')?;
    let (key, id) = rest.rsplit_once('|')?;
    let id: i64 = id.parse().ok()?;
    match (kind, sort) {
        ("a", Sort::Newest | Sort::Oldest) => {
            let nanos: i64 = key.parse().ok()?;
            let at = chrono::DateTime::from_timestamp_nanos(nanos).naive_utc();
            Some(Cursor::Applied(at, id))
        }
        ("n", Sort::Name) => Some(Cursor::Name(key.to_string(), id)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Stage moves by hand.

/// A recruiter moves a candidate among the open stages; hired, rejected and withdrawn
/// are only set by the decision (hire, reject, withdraw).
pub fn check_stage_move(from: Stage, to: &str) -> Result<Stage, String> {
    if from.is_final() {
        return Err(format!(
            "This candidate is {} and no longer moves through the pipeline.",
            from.label().to_lowercase()
        ));
    }
    let Some(to) = Stage::parse(to.trim()) else {
        return Err("Choose a stage from the list.".into());
    };
    if !Stage::OPEN.contains(&to) {
        return Err(format!(
            "{} is set by the decision (hire, reject or withdraw), not by a move.",
            to.label()
        ));
    }
    if to == from {
        return Err(format!("The candidate is already in {}.", to.label()));
    }
    Ok(to)
}

/// Time spent in each stage: each entry lasts until the next one, the last until now.
pub fn durations(entered: &[NaiveDateTime], now: NaiveDateTime) -> Vec<chrono::Duration> {
    entered
        .iter()
        .enumerate()
        .map(|(i, at)| entered.get(i + 1).copied().unwrap_or(now) - *at)
        .collect()
}

/// "3 days", "5 hours", "12 minutes": the coarsest unit that is not zero.
pub fn human_duration(d: chrono::Duration) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if d.num_days() > 0 {
        plural(d.num_days(), "day")
    } else if d.num_hours() > 0 {
        plural(d.num_hours(), "hour")
    } else {
        plural(d.num_minutes().max(0), "minute")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, email: &str) -> CandidateInput {
        CandidateInput {
            name: name.into(),
            email: email.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_candidate_is_normalised() {
        let v = validate(&input("  Ada Lovelace ", " Ada@Example.COM ")).unwrap();
        assert_eq!(v.name, "Ada Lovelace");
        assert_eq!(v.name_key, "ada lovelace");
        assert_eq!(v.email, "ada@example.com");
        assert_eq!(v.source, Source::Other);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut bad = input("", "not-an-email");
        bad.phone = "call me".into();
        bad.source = "billboard".into();
        bad.resume_url = "ftp://x".into();
        let errors = validate(&bad).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["email", "name", "phone", "resume_url", "source"]);
    }

    #[test]
    fn phone_numbers_in_common_shapes_pass() {
        let mut ok = input("Bo", "bo@example.com");
        ok.phone = "+1 (702) 555-0100".into();
        ok.source = "referral".into();
        assert!(validate(&ok).is_ok());
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_sort() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .unwrap()
            .and_hms_micro_opt(5, 6, 7, 890_123)
            .unwrap();
        let c = Cursor::Applied(at, 42);
        let raw = encode_cursor(&c);
        assert!(
            raw.chars().all(|ch| ch.is_ascii_hexdigit()),
            "opaque: {raw}"
        );
        assert_eq!(decode_cursor(Sort::Newest, &raw), Some(c.clone()));
        assert_eq!(decode_cursor(Sort::Oldest, &raw), Some(c));
        assert_eq!(decode_cursor(Sort::Name, &raw), None, "wrong sort");
        let n = Cursor::Name("o'brien | ann".into(), 7);
        assert_eq!(
            decode_cursor(Sort::Name, &encode_cursor(&n)),
            Some(n),
            "a | inside the name survives"
        );
        assert_eq!(decode_cursor(Sort::Name, "zz"), None);
        assert_eq!(decode_cursor(Sort::Name, &hex::encode("n|ann")), None);
        assert_eq!(decode_cursor(Sort::Newest, &hex::encode("a|x|1")), None);
    }

    #[test]
    fn prefix_range_covers_exactly_the_prefix() {
        assert_eq!(prefix_upper_bound("ann").as_deref(), Some("ano"));
        assert_eq!(prefix_upper_bound("a@").as_deref(), Some("aA"));
        assert_eq!(
            prefix_upper_bound("jos\u{e9}").as_deref(),
            Some("jos\u{ea}")
        );
        assert_eq!(
            prefix_upper_bound("a\u{d7ff}").as_deref(),
            Some("a\u{e000}")
        );
        assert_eq!(prefix_upper_bound("a\u{10ffff}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound("\u{10ffff}"), None);
        let upper = prefix_upper_bound("ann").unwrap();
        for inside in ["ann", "anna", "ann zed", "ann\u{10ffff}"] {
            assert!(inside >= "ann" && inside < upper.as_str(), "{inside}");
        }
        for outside in ["ano", "anm", "an", "bob"] {
            assert!(!(outside >= "ann" && outside < upper.as_str()), "{outside}");
        }
    }

    #[test]
    fn list_query_reads_blank_fields_as_no_filter_and_names_bad_ones() {
        let q = ListQuery {
            q: Some("  Ann ".into()),
            job: Some("".into()),
            stage: Some("screening".into()),
            ..Default::default()
        };
        let f = q.check().unwrap();
        assert_eq!(f.search, Some(Search::Name("ann".into())));
        assert_eq!(
            (f.job, f.stage, f.sort),
            (None, Some(Stage::Screening), Sort::Newest)
        );
        let email = ListQuery {
            q: Some("Ann@Ex".into()),
            ..Default::default()
        };
        assert_eq!(
            email.check().unwrap().search,
            Some(Search::Email("ann@ex".into()))
        );
        let bad = ListQuery {
            job: Some("x".into()),
            stage: Some("nowhere".into()),
            applied_from: Some("2026-02-30".into()),
            sort: Some("random".into()),
            cursor: Some("nothex".into()),
            ..Default::default()
        };
        let errors = bad.check().unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["applied_from", "cursor", "job", "sort", "stage"]);
        assert_eq!(
            ListQuery {
                q: Some("a b".into()),
                stage: Some("".into()),
                sort: Some("name".into()),
                cursor: Some("ff".into()),
                ..Default::default()
            }
            .filters_query(),
            "q=a+b&sort=name"
        );
    }

    #[test]
    fn stage_moves_stay_among_open_stages() {
        assert_eq!(
            check_stage_move(Stage::Applied, "screening"),
            Ok(Stage::Screening)
        );
        assert_eq!(
            check_stage_move(Stage::Decision, "applied"),
            Ok(Stage::Applied)
        );
        assert!(check_stage_move(Stage::Applied, "hired").is_err());
        assert!(check_stage_move(Stage::Applied, "applied").is_err());
        assert!(check_stage_move(Stage::Rejected, "screening")
            .unwrap_err()
            .contains("rejected"));
        assert!(check_stage_move(Stage::Applied, "bogus").is_err());
    }

    #[test]
    fn time_in_stage_runs_to_the_next_move_or_now() {
        let t = |h| {
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        let d = durations(&[t(1), t(4), t(10)], t(12));
        assert_eq!(
            d.iter().map(|d| d.num_hours()).collect::<Vec<_>>(),
            [3, 6, 2]
        );
        assert_eq!(human_duration(chrono::Duration::hours(49)), "2 days");
        assert_eq!(human_duration(chrono::Duration::hours(1)), "1 hour");
        assert_eq!(human_duration(chrono::Duration::seconds(30)), "0 minutes");
    }
}
