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

pub fn for_viewer(viewer: Option<&Viewer>, path: &str) -> Vec<NavItem> {
    let Some(viewer) = viewer else { return vec![] };
    let within = |href: &str| {
        path == href
            || path.starts_with(&format!("{href}/"))
            || path.starts_with(&format!("{href}?"))
    };
    let shown: Vec<_> = ENTRIES
        .iter()
        .filter(|(_, _, roles)| viewer.has_any(roles))
        .collect();
    // The most specific entry the path is within is the active one.
    let active = shown
        .iter()
        .filter(|(href, _, _)| within(href))
        .map(|(href, _, _)| href.len())
        .max();
    shown
        .into_iter()
        .map(|(href, label, _)| NavItem {
            href,
            label,
            active: within(href) && Some(href.len()) == active,
        })
        .collect()
}
