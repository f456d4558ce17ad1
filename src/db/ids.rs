//! Row ids as newtypes, so a user id can never be passed where another id is meant.

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel_derive_newtype::DieselNewType,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = i64)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    UserId,
    SessionId,
    TokenId,
    AuditId,
    OutboxId,
    CoreValueId,
    JobId,
    CompetencyId,
    CandidateId,
    InterviewId,
    ScorecardId,
    ObservationLinkId,
    ObservationId,
    HireId,
    CalendarFeedId,
    CurriculumId,
    CurriculumModuleId,
    HolidayId,
    CohortId,
    CohortModuleId,
    EnrolmentId,
    AttendanceId,
    ModuleResultId,
    CallShiftId,
    CoachingNoteId,
    ChecklistItemId,
    ChecklistTaskId,
    EmployeeId,
    OfferPolicyId,
    YearlyWindowId,
    OfferId,
    PayoutId,
);
