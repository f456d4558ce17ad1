//! The roles a user can hold; a user may hold several. Stored as text.

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Recruiter,
    Interviewer,
    Trainer,
    Hr,
    NewHire,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Recruiter,
        Role::Interviewer,
        Role::Trainer,
        Role::Hr,
        Role::NewHire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
            Role::Interviewer => "interviewer",
            Role::Trainer => "trainer",
            Role::Hr => "hr",
            Role::NewHire => "new_hire",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Recruiter => "Recruiter",
            Role::Interviewer => "Interviewer",
            Role::Trainer => "Trainer",
            Role::Hr => "HR",
            Role::NewHire => "New hire",
        }
    }
}

/// Which roles may use a route. An empty list means any signed-in user.
pub trait Access {
    const ROLES: &'static [Role];
}

macro_rules! access {
    ($($(#[$doc:meta])* $name:ident => [$($role:ident),*];)*) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Access for $name {
            const ROLES: &'static [Role] = &[$(Role::$role),*];
        }
    )*};
}

access! {
    /// Any signed-in user.
    AnyUser => [];
    /// Account administration, the outbox.
    AdminOnly => [Admin];
    /// The audit log.
    AuditReaders => [Hr, Admin];
    /// Changing candidates, jobs and interviews; deciding.
    Recruiting => [Recruiter, Admin];
    /// Candidate lists, pipeline boards, hiring reports.
    HiringOversight => [Recruiter, Hr, Admin];
    /// Anyone who takes part in hiring. Interviewers reach only the candidates whose
    /// interviews they sit on; the handler checks that.
    HiringStaff => [Recruiter, Hr, Admin, Interviewer];
    /// Running training: cohorts, templates, attendance, results, graduation.
    Training => [Trainer, Admin];
    /// Reading training: rosters, progress, coaching notes (HR audits them).
    TrainingOversight => [Trainer, Hr, Admin];
    /// Offer policy, the offer audit, payouts: HR's.
    OfferOversight => [Hr, Admin];
    /// Onboarding paperwork: who is behind on the pre-start checklist, and its template.
    Onboarding => [Hr, Admin];
    /// The new-hire portal. Handlers show only the viewer's own records.
    NewHires => [NewHire];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_as_text() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }
}
