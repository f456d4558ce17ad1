//! The navigation bar: one entry per place the viewer's roles can reach.

use crate::auth::role::Role;
use crate::web::context::Viewer;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// Entries in display order, each with the roles that see it (empty: everyone signed in).
const ENTRIES: &[(&str, &str, &[Role])] = &[
    ("/home", "Home", &[]),
    (
        "/hiring/candidates",
        "Candidates",
        &[Role::Recruiter, Role::Hr, Role::Admin],
    ),
    (
        "/hiring/jobs",
        "Jobs",
        &[Role::Recruiter, Role::Hr, Role::Admin],
    ),
    (
        "/hiring/interviews",
        "My interviews",
        &[Role::Interviewer, Role::Recruiter],
    ),
    (
        "/hiring/reports",
        "Hiring reports",
        &[Role::Recruiter, Role::Hr, Role::Admin],
    ),
    ("/hiring/values", "Core values", &[Role::Admin]),
    ("/training/home", "Training today", &[Role::Trainer]),
    (
        "/training/cohorts",
        "Cohorts",
        &[Role::Trainer, Role::Hr, Role::Admin],
    ),
    (
        "/training/curricula",
        "Curricula",
        &[Role::Trainer, Role::Admin],
    ),
    (
        "/training/checklist",
        "Checklists",
        &[Role::Hr, Role::Admin],
    ),
    ("/offers", "Offers", &[Role::Hr, Role::Admin]),
    ("/offers/uptake", "Offer reports", &[Role::Hr, Role::Admin]),
    ("/portal", "My onboarding", &[Role::NewHire]),
    ("/admin/users", "People", &[Role::Admin]),
    ("/audit", "Audit log", &[Role::Hr, Role::Admin]),
    ("/admin/outbox", "Outbox", &[Role::Admin]),
    ("/account", "Account", &[]),
];

/// Pages an entry also stands for, beside those under its own address: the report tabs
/// live beside the offer list under `/offers`, but belong to "Offer reports".
const ALSO: &[(&str, &str)] = &[
    ("/offers/uptake", "/offers/retention"),
    ("/offers/uptake", "/offers/employees"),
];

/// The length of the longest address of `href` (its own or one it also stands for) that
/// `path` is within: how specifically the entry matches.
fn matches(href: &str, path: &str) -> Option<usize> {
    let within = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
    };
    std::iter::once(href)
        .chain(ALSO.iter().filter(|(h, _)| *h == href).map(|(_, p)| *p))
        .filter(|p| within(p))
        .map(str::len)
        .max()
}

pub fn for_viewer(viewer: Option<&Viewer>, path: &str) -> Vec<NavItem> {
    let Some(viewer) = viewer else { return vec![] };
    let shown: Vec<_> = ENTRIES
        .iter()
        .filter(|(_, _, roles)| viewer.has_any(roles))
        .collect();
    // The most specific entry the path is within is the active one.
    let active = shown
        .iter()
        .filter_map(|(href, _, _)| matches(href, path))
        .max();
    shown
        .into_iter()
        .map(|(href, label, _)| NavItem {
            href,
            label,
            active: active.is_some() && matches(href, path) == active,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ids::UserId;

    fn active_for(path: &str) -> Vec<&'static str> {
        let hr = Viewer {
            user_id: UserId(1),
            name: "Hana".into(),
            email: "hana@acme.test".into(),
            roles: vec![Role::Hr],
            session_id: None,
            csrf_token: String::new(),
        };
        for_viewer(Some(&hr), path)
            .into_iter()
            .filter(|i| i.active)
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn the_most_specific_entry_is_active() {
        assert_eq!(active_for("/offers"), ["Offers"]);
        assert_eq!(active_for("/offers/42"), ["Offers"]);
        assert_eq!(active_for("/offers/policy"), ["Offers"]);
        assert_eq!(active_for("/offers/uptake?kind=yearly"), ["Offer reports"]);
        assert_eq!(active_for("/offers/retention"), ["Offer reports"]);
        assert_eq!(active_for("/offers/employees/7"), ["Offer reports"]);
        assert_eq!(active_for("/training/cohorts/3"), ["Cohorts"]);
        assert!(active_for("/elsewhere").is_empty());
    }
}
