//! The vocabulary every part of hiring shares: pipeline stages, the two tracks,
//! recommendations, what an observer saw. Stored as text.

use crate::text_enum;

text_enum! {
    /// Where a candidate is in the pipeline.
    Stage {
        Applied => ("applied", "Applied"),
        Screening => ("screening", "Screening"),
        Technical => ("technical_interview", "Technical interview"),
        Culture => ("culture_interview", "Culture interview"),
        Decision => ("decision", "Decision"),
        Hired => ("hired", "Hired"),
        Rejected => ("rejected", "Rejected"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
}

impl Stage {
    /// Stages a candidate is still moving through, in pipeline order.
    pub const OPEN: [Stage; 5] = [
        Stage::Applied,
        Stage::Screening,
        Stage::Technical,
        Stage::Culture,
        Stage::Decision,
    ];

    /// Hired, rejected and withdrawn end the pipeline; nothing moves a candidate out.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Hired | Stage::Rejected | Stage::Withdrawn)
    }
}

text_enum! {
    /// The two separate interviews: can the person do the job, and do they share the values.
    Track {
        Technical => ("technical", "Technical"),
        Culture => ("culture", "Culture fit"),
    }
}

text_enum! {
    /// A scorecard's overall call. There is deliberately no neutral option.
    Recommendation {
        StrongNo => ("strong_no", "Strong no"),
        No => ("no", "No"),
        Yes => ("yes", "Yes"),
        StrongYes => ("strong_yes", "Strong yes"),
    }
}

impl Recommendation {
    pub fn is_yes(self) -> bool {
        matches!(self, Recommendation::Yes | Recommendation::StrongYes)
    }
}

text_enum! {
    /// How the candidate treated someone who met them outside the interviews.
    Treatment {
        Well => ("well", "Well"),
        Neutral => ("neutral", "Neutral"),
        Badly => ("badly", "Badly"),
    }
}

text_enum! {
    JobStatus {
        Open => ("open", "Open"),
        OnHold => ("on_hold", "On hold"),
        Closed => ("closed", "Closed"),
    }
}

text_enum! {
    /// Where a candidate came from.
    Source {
        CareersPage => ("careers_page", "Careers page"),
        Referral => ("referral", "Referral"),
        Agency => ("agency", "Agency"),
        JobBoard => ("job_board", "Job board"),
        Event => ("event", "Event"),
        Other => ("other", "Other"),
    }
}

text_enum! {
    InterviewStatus {
        Scheduled => ("scheduled", "Scheduled"),
        Cancelled => ("cancelled", "Cancelled"),
    }
}

text_enum! {
    RejectReason {
        TechnicalFail => ("technical", "Did not pass the technical interview"),
        CultureFail => ("culture", "Not a culture fit"),
        Experience => ("experience", "Experience does not match the role"),
        Conduct => ("conduct", "Conduct during the process"),
        PositionFilled => ("position_filled", "Position filled"),
        Other => ("other", "Other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip_as_text() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(Stage::parse("Hired"), None);
        assert!(Stage::Rejected.is_final() && !Stage::Decision.is_final());
    }

    #[test]
    fn only_yes_and_strong_yes_count_as_yes() {
        let yes: Vec<_> = Recommendation::ALL.iter().filter(|r| r.is_yes()).collect();
        assert_eq!(yes, [&Recommendation::Yes, &Recommendation::StrongYes]);
    }
}
