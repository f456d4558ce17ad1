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

        // Pages write ids many times a row (links, form field names): as digits, which
        // need no escaping, written the way askama writes an integer instead of through
        // `Display` and an escaping writer.
        impl askama::filters::HtmlSafe for $name {}

        impl askama::FastWritable for $name {
            fn write_into<W: std::fmt::Write + ?Sized>(
                &self,
                dest: &mut W,
                values: &dyn askama::Values,
            ) -> askama::Result<()> {
                askama::FastWritable::write_into(&self.0, dest, values)
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
