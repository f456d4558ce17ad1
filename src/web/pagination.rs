//! Keyset pagination: a page is "the next `limit` rows after this cursor", so page 10,000
//! costs what page 1 costs. The cursor is the last row's id, opaque to callers.

use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<i64>,
    /// Rows per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

impl PageQuery {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Paged<T> {
    /// Takes rows fetched with `limit + 1`: the extra row only says another page exists.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, id_of: impl Fn(&T) -> i64) -> Paged<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|r| id_of(r).to_string())
        } else {
            None
        };
        Paged {
            items: rows,
            next_cursor,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_row_means_another_page() {
        let p = Paged::from_rows(vec![5, 4, 3], 2, |r| *r);
        assert_eq!(p.items, vec![5, 4]);
        assert_eq!(p.next_cursor.as_deref(), Some("4"));
        let last = Paged::from_rows(vec![2, 1], 2, |r| *r);
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn limit_is_clamped() {
        let q = PageQuery {
            cursor: None,
            limit: Some(10_000),
        };
        assert_eq!(q.limit(), MAX_LIMIT);
        let q = PageQuery {
            cursor: None,
            limit: Some(0),
        };
        assert_eq!(q.limit(), 1);
        assert_eq!(PageQuery::default().limit(), DEFAULT_LIMIT);
    }
}
