//! The demo company's hiring: four jobs with their competencies, two dozen candidates in
//! every stage, technical and culture interviews with their panels, scorecards (among them
//! a culture "no" that vetoes a strong technical result), a shuttle driver's red flag, a
//! hire and rejections. Every step goes through the services, each at its own moment
//! before `ctx.now`, so the pages, the stage histories, the mails and the audit log agree.

use crate::auth::model::User;
use crate::ctx::Ctx;
use crate::db::ids::{CandidateId, InterviewId, JobId};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::hiring::candidates::rules::CandidateInput;
use crate::hiring::decision::service::{self as decision, HireInput};
use crate::hiring::interviews::rules::InterviewInput;
use crate::hiring::jobs::rules::{CompetencyInput, JobInput};
use crate::hiring::observations::rules::{ObservationInput, ObserverRole};
use crate::hiring::rules::{JobStatus, Recommendation, RejectReason, Source, Stage, Track};
use crate::hiring::scorecards::rules::{RatingInput, ScorecardInput};
use crate::hiring::{candidates, interviews, jobs, observations, scorecards};
use chrono::{Datelike, Duration};
use Recommendation::{No, StrongNo, StrongYes, Yes};

/// The demo logins hiring acts as.
pub struct Staff {
    pub recruiter: User,
    pub interviewer: User,
    pub hr: User,
    pub admin: User,
    pub new_hire: User,
}

#[derive(Clone, Copy)]
enum Manager {
    Hr,
    Admin,
    Interviewer,
}

struct JobSpec {
    title: &'static str,
    department: &'static str,
    location: &'static str,
    description: &'static str,
    manager: Manager,
    status: JobStatus,
    competencies: &'static [(&'static str, &'static str)],
    /// Engineering interviews have a second technical interviewer.
    two_technical_interviewers: bool,
}

const JOBS: [JobSpec; 4] = [
    JobSpec {
        title: "Customer Loyalty Representative",
        department: "Customer Loyalty",
        location: "Las Vegas",
        description:
            "Answer customers by phone and chat, and turn a bad day into a reason to stay.",
        manager: Manager::Hr,
        status: JobStatus::Open,
        competencies: &[
            (
                "Calm on the phone",
                "Keeps an upset caller talking, finds the real problem and ends with a plan.",
            ),
            (
                "Product knowledge",
                "Learns the catalogue quickly and explains sizes and returns without notes.",
            ),
            (
                "Clear writing",
                "Chat answers are short, friendly and correct the first time.",
            ),
        ],
        two_technical_interviewers: false,
    },
    JobSpec {
        title: "Warehouse Associate",
        department: "Fulfilment",
        location: "Reno",
        description: "Pick, pack and ship orders the same day, safely.",
        manager: Manager::Admin,
        status: JobStatus::Open,
        competencies: &[
            (
                "Safe handling",
                "Lifts, stacks and drives the pallet jack the safe way without being told.",
            ),
            (
                "Picking accuracy",
                "Checks every item against the slip; mistakes are rare and owned.",
            ),
        ],
        two_technical_interviewers: false,
    },
    JobSpec {
        title: "Software Engineer, Storefront",
        department: "Technology",
        location: "Remote (US)",
        description: "Build and run the online store customers shop in.",
        manager: Manager::Interviewer,
        status: JobStatus::Open,
        competencies: &[
            (
                "Web fundamentals",
                "Explains what happens between a click and a rendered page.",
            ),
            (
                "Debugging",
                "Narrows a failure down with evidence rather than guesses.",
            ),
            (
                "Code review",
                "Gives specific, kind review comments and takes them well.",
            ),
        ],
        two_technical_interviewers: true,
    },
    JobSpec {
        title: "Team Lead, Customer Loyalty",
        department: "Customer Loyalty",
        location: "Las Vegas",
        description: "Lead a team of eight representatives. On hold until the new floor opens.",
        manager: Manager::Hr,
        status: JobStatus::OnHold,
        competencies: &[
            (
                "Coaching",
                "Listens to calls with a representative and leaves them better at the next one.",
            ),
            (
                "Scheduling",
                "Keeps the phones covered through holidays and sick days.",
            ),
        ],
        two_technical_interviewers: false,
    },
];

/// How far a demo candidate got. Recommendations are per panel member, in panel order.
enum Path {
    Applied,
    Screening,
    /// Rejected at screening, without a mail.
    ScreenedOut,
    Withdrew,
    /// The technical interview is booked for the coming days.
    TechnicalBooked,
    /// The technical interview failed; rejected with the mail.
    TechnicalFail(&'static [Recommendation]),
    /// Technical passed; the culture interview is booked for the coming days.
    CultureBooked,
    /// Technical passed, culture failed; rejected with the mail.
    CultureFail(&'static [Recommendation]),
    /// Both interviews held and scored, waiting for the decision.
    Decision {
        technical: &'static [Recommendation],
        culture: &'static [Recommendation],
        red_flag: bool,
    },
    Hired,
}

struct Applicant {
    name: &'static str,
    source: Source,
    job: usize,
    applied_days_ago: i64,
    path: Path,
}

const fn applicant(
    name: &'static str,
    source: Source,
    job: usize,
    applied_days_ago: i64,
    path: Path,
) -> Applicant {
    Applicant {
        name,
        source,
        job,
        applied_days_ago,
        path,
    }
}

const LOYALTY: usize = 0;
const WAREHOUSE: usize = 1;
const ENGINEERING: usize = 2;
const TEAM_LEAD: usize = 3;

const PASSED: &[Recommendation] = &[Yes];
const PASSED_TWICE: &[Recommendation] = &[StrongYes, Yes];

const APPLICANTS: [Applicant; 25] = [
    // The hired one is the demo new hire's login: hiring gives an existing account the role.
    applicant("Noah Newhire", Source::Referral, LOYALTY, 32, Path::Hired),
    applicant(
        "Maya Patel",
        Source::CareersPage,
        LOYALTY,
        24,
        Path::Decision {
            technical: &[StrongYes],
            culture: PASSED_TWICE,
            red_flag: false,
        },
    ),
    applicant(
        "Diego Ramirez",
        Source::JobBoard,
        LOYALTY,
        26,
        Path::Decision {
            technical: &[StrongYes],
            culture: &[Yes, No],
            red_flag: false,
        },
    ),
    applicant(
        "Chloe Bennett",
        Source::Agency,
        LOYALTY,
        21,
        Path::Decision {
            technical: PASSED,
            culture: PASSED_TWICE,
            red_flag: true,
        },
    ),
    applicant(
        "Arjun Mehta",
        Source::Referral,
        ENGINEERING,
        19,
        Path::Decision {
            technical: &[No, Yes],
            culture: PASSED_TWICE,
            red_flag: false,
        },
    ),
    applicant(
        "Ethan Walker",
        Source::JobBoard,
        LOYALTY,
        28,
        Path::TechnicalFail(&[StrongNo]),
    ),
    applicant(
        "Tomas Novak",
        Source::CareersPage,
        WAREHOUSE,
        23,
        Path::CultureFail(&[No, StrongNo]),
    ),
    applicant(
        "Lucia Fernandez",
        Source::JobBoard,
        ENGINEERING,
        12,
        Path::ScreenedOut,
    ),
    applicant(
        "Hannah Schmidt",
        Source::Referral,
        LOYALTY,
        15,
        Path::Withdrew,
    ),
    applicant(
        "Omar Haddad",
        Source::Referral,
        LOYALTY,
        11,
        Path::CultureBooked,
    ),
    applicant(
        "Malik Johnson",
        Source::Event,
        WAREHOUSE,
        10,
        Path::CultureBooked,
    ),
    applicant(
        "Priya Nair",
        Source::CareersPage,
        ENGINEERING,
        12,
        Path::CultureBooked,
    ),
    applicant(
        "Yuki Tanaka",
        Source::CareersPage,
        LOYALTY,
        6,
        Path::TechnicalBooked,
    ),
    applicant(
        "Kwame Asante",
        Source::JobBoard,
        WAREHOUSE,
        7,
        Path::TechnicalBooked,
    ),
    applicant(
        "Elena Petrova",
        Source::Agency,
        ENGINEERING,
        8,
        Path::TechnicalBooked,
    ),
    applicant(
        "Samuel Lee",
        Source::CareersPage,
        WAREHOUSE,
        5,
        Path::TechnicalBooked,
    ),
    applicant("Grace Okafor", Source::Event, LOYALTY, 4, Path::Screening),
    applicant(
        "Zara Ahmed",
        Source::CareersPage,
        WAREHOUSE,
        5,
        Path::Screening,
    ),
    applicant(
        "Hiro Sato",
        Source::Referral,
        ENGINEERING,
        3,
        Path::Screening,
    ),
    applicant(
        "Ingrid Larsen",
        Source::JobBoard,
        LOYALTY,
        3,
        Path::Screening,
    ),
    applicant(
        "Liam O'Connor",
        Source::CareersPage,
        LOYALTY,
        2,
        Path::Applied,
    ),
    applicant("Sofia Rossi", Source::JobBoard, LOYALTY, 1, Path::Applied),
    applicant("Jamal Wright", Source::Other, WAREHOUSE, 1, Path::Applied),
    applicant(
        "Aisha Bello",
        Source::CareersPage,
        ENGINEERING,
        2,
        Path::Applied,
    ),
    applicant("Mateo Silva", Source::Referral, TEAM_LEAD, 6, Path::Applied),
];

/// Loads the hiring demo. The demo logins must exist (see `crate::demo`).
pub fn load(conn: &mut DbConn, ctx: &Ctx, staff: &Staff) -> AppResult<()> {
    let demo = Demo { ctx, staff };
    let mut job_ids = vec![];
    for spec in &JOBS {
        job_ids.push(demo.job(conn, spec)?);
    }
    // Interviews booked for the coming days take turns over the next working days.
    let mut upcoming = 0;
    for a in &APPLICANTS {
        demo.applicant(conn, a, job_ids[a.job], &JOBS[a.job], &mut upcoming)?;
    }
    Ok(())
}

/// When an interview was booked (days ago) and when it is: the local date `day` days
/// from now (negative: held already) at `time`.
struct Slot {
    booked_days_ago: f64,
    day: i64,
    time: &'static str,
}

struct Demo<'a> {
    ctx: &'a Ctx,
    staff: &'a Staff,
}

impl Demo<'_> {
    /// `who` acting `days` days before now.
    fn at(&self, who: &User, days: f64) -> Ctx {
        let mut c = self.ctx.acting_as(who.id, &who.email);
        c.now = self.ctx.now - Duration::minutes((days * 24.0 * 60.0) as i64);
        c
    }

    fn recruiter(&self, days: f64) -> Ctx {
        self.at(&self.staff.recruiter, days)
    }

    /// The company-local date `days` from now (negative: ago), as the form takes it.
    fn local_date(&self, days: i64) -> String {
        let local = (self.ctx.now + Duration::days(days))
            .and_utc()
            .with_timezone(&self.ctx.tz);
        local.date_naive().format("%Y-%m-%d").to_string()
    }

    fn job(&self, conn: &mut DbConn, spec: &JobSpec) -> AppResult<JobId> {
        let manager = match spec.manager {
            Manager::Hr => &self.staff.hr,
            Manager::Admin => &self.staff.admin,
            Manager::Interviewer => &self.staff.interviewer,
        };
        let input = JobInput {
            title: spec.title.into(),
            department: spec.department.into(),
            location: spec.location.into(),
            description: spec.description.into(),
            hiring_manager_id: manager.id.to_string(),
            status: spec.status.as_str().into(),
            competencies: spec
                .competencies
                .iter()
                .enumerate()
                .map(|(i, (name, good))| CompetencyInput {
                    id: None,
                    name: (*name).into(),
                    good_looks_like: (*good).into(),
                    position: (i + 1).to_string(),
                })
                .collect(),
        };
        jobs::service::create(conn, &self.recruiter(40.0), &input)
    }

    fn technical_panel(&self, spec: &JobSpec) -> Vec<&User> {
        if spec.two_technical_interviewers {
            vec![&self.staff.interviewer, &self.staff.admin]
        } else {
            vec![&self.staff.interviewer]
        }
    }

    fn culture_panel(&self) -> Vec<&User> {
        vec![&self.staff.recruiter, &self.staff.hr]
    }

    fn interview(
        &self,
        conn: &mut DbConn,
        candidate: CandidateId,
        track: Track,
        panel: &[&User],
        slot: Slot,
    ) -> AppResult<InterviewId> {
        let input = InterviewInput {
            track: track.as_str().into(),
            starts_at: None,
            date: self.local_date(slot.day),
            time: slot.time.into(),
            duration_minutes: if track == Track::Technical { 60 } else { 45 },
            location: match track {
                Track::Technical => "Meeting room Sierra, 2nd floor".into(),
                Track::Culture => "The café corner, ground floor".into(),
            },
            video_url: String::new(),
            interviewer_ids: panel.iter().map(|u| u.id).collect(),
        };
        interviews::service::schedule(
            conn,
            &self.recruiter(slot.booked_days_ago),
            candidate,
            &input,
        )
    }

    /// Each panel member submits their scorecard `days` days ago.
    fn scorecards(
        &self,
        conn: &mut DbConn,
        interview: InterviewId,
        panel: &[&User],
        recommendations: &[Recommendation],
        days: f64,
    ) -> AppResult<()> {
        let facts = scorecards::model::interview(conn, interview)?;
        let attributes = scorecards::service::attributes_for(conn, &facts)?;
        for (who, rec) in panel.iter().zip(recommendations) {
            let (first, rest, evidence, summary) = match rec {
                StrongYes => (
                    "5",
                    "4",
                    "Gave two concrete examples without prompting.",
                    "Clear hire: strong on every point we covered.",
                ),
                Yes => (
                    "4",
                    "4",
                    "",
                    "Solid throughout; I would be glad to work with them.",
                ),
                No => (
                    "2",
                    "3",
                    "Answers stayed general even when asked for an example.",
                    "Not yet: the examples were thin and I am not convinced.",
                ),
                StrongNo => (
                    "1",
                    "2",
                    "Dismissed the customer's side of the story twice.",
                    "No: what we heard runs against how we treat people.",
                ),
            };
            let ratings = attributes
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let rating = if i == 0 { first } else { rest };
                    let needs = matches!(rating, "1" | "2" | "5");
                    RatingInput {
                        attribute_id: a.id,
                        rating: rating.into(),
                        evidence: if needs {
                            evidence.into()
                        } else {
                            String::new()
                        },
                    }
                })
                .collect();
            let input = ScorecardInput {
                recommendation: rec.as_str().into(),
                summary: summary.into(),
                ratings,
                reason: String::new(),
            };
            scorecards::service::submit(conn, &self.at(who, days), who.id, interview, &input)?;
        }
        Ok(())
    }

    fn applicant(
        &self,
        conn: &mut DbConn,
        a: &Applicant,
        job: JobId,
        spec: &JobSpec,
        upcoming: &mut i64,
    ) -> AppResult<()> {
        let (name, email) = match a.path {
            Path::Hired => (
                self.staff.new_hire.name.clone(),
                self.staff.new_hire.email.clone(),
            ),
            _ => (
                a.name.to_string(),
                format!(
                    "{}@example.test",
                    a.name.to_lowercase().replace('\'', "").replace(' ', ".")
                ),
            ),
        };
        let input = CandidateInput {
            name,
            email,
            phone: format!("+1 702 555 {:04}", 100 + a.applied_days_ago * 37),
            source: a.source.as_str().into(),
            resume_text: format!(
                "{} years of relevant experience; applied for {} in {}.",
                2 + a.applied_days_ago % 7,
                spec.title,
                spec.location
            ),
            resume_url: String::new(),
            notes: String::new(),
        };
        let d = a.applied_days_ago as f64;
        let id = candidates::service::create(conn, &self.recruiter(d), Some(job), &input)?;
        if matches!(a.path, Path::Applied) {
            return Ok(());
        }
        let screened = d - 0.5;
        candidates::service::move_stage(
            conn,
            &self.recruiter(screened),
            id,
            Stage::Screening.as_str(),
            "Phone screen booked.",
        )?;
        let technical = self.technical_panel(spec);
        let culture = self.culture_panel();
        match a.path {
            Path::Applied | Path::Screening => return Ok(()),
            Path::ScreenedOut => {
                return decision::reject(
                    conn,
                    &self.recruiter(d - 1.0),
                    id,
                    Some(RejectReason::Experience),
                    "Looking for a senior role; this one is not.",
                    false,
                )
            }
            Path::Withdrew => {
                return decision::withdraw(
                    conn,
                    &self.recruiter(d - 2.0),
                    id,
                    "Accepted another offer closer to home.",
                )
            }
            Path::TechnicalBooked => {
                *upcoming += 1;
                let time = ["09:30", "11:00", "14:00", "15:30"][(*upcoming % 4) as usize];
                let slot = Slot {
                    booked_days_ago: 0.2,
                    day: 1 + *upcoming / 2,
                    time,
                };
                self.interview(conn, id, Track::Technical, &technical, slot)?;
                return Ok(());
            }
            _ => {}
        }
        // The technical interview, held and scored.
        let slot = Slot {
            booked_days_ago: d - 1.0,
            day: 3 - a.applied_days_ago,
            time: "10:00",
        };
        let held = self.interview(conn, id, Track::Technical, &technical, slot)?;
        let tech_recs = match a.path {
            Path::TechnicalFail(r) => r,
            Path::Decision { technical, .. } => technical,
            _ => PASSED_TWICE,
        };
        self.scorecards(conn, held, &technical, tech_recs, d - 4.5)?;
        if let Path::TechnicalFail(_) = a.path {
            return decision::reject(
                conn,
                &self.recruiter(d - 5.0),
                id,
                Some(RejectReason::TechnicalFail),
                "Could not keep the role-play call on track.",
                true,
            );
        }
        let culture_stage = self.recruiter(d - 5.0);
        candidates::service::move_stage(
            conn,
            &culture_stage,
            id,
            Stage::Culture.as_str(),
            "Technical interview passed.",
        )?;
        if let Path::CultureBooked = a.path {
            *upcoming += 1;
            let time = ["10:00", "13:30", "16:00"][(*upcoming % 3) as usize];
            let slot = Slot {
                booked_days_ago: d - 5.1,
                day: 1 + *upcoming / 2,
                time,
            };
            self.interview(conn, id, Track::Culture, &culture, slot)?;
            return Ok(());
        }
        let slot = Slot {
            booked_days_ago: d - 5.1,
            day: 7 - a.applied_days_ago,
            time: "14:00",
        };
        let held = self.interview(conn, id, Track::Culture, &culture, slot)?;
        if let Path::Decision { red_flag: true, .. } = a.path {
            let (raw, _) = observations::service::create_link(
                conn,
                &self.recruiter(d - 5.2),
                id,
                ObserverRole::ShuttleDriver.as_str(),
            )?;
            let observed = ObservationInput {
                observer_name: "Sam Driver".into(),
                treatment: "badly".into(),
                note:
                    "Snapped at me for being two minutes late and ignored my hello on the way back."
                        .into(),
            };
            observations::service::observe(
                conn,
                &self.at(&self.staff.recruiter, d - 7.5),
                &raw,
                &observed,
            )?;
        }
        let culture_recs = match a.path {
            Path::CultureFail(r) => r,
            Path::Decision { culture, .. } => culture,
            _ => PASSED_TWICE,
        };
        self.scorecards(conn, held, &culture, culture_recs, d - 8.5)?;
        match a.path {
            Path::CultureFail(_) => decision::reject(
                conn,
                &self.recruiter(d - 9.0),
                id,
                Some(RejectReason::CultureFail),
                "Both culture interviewers said no.",
                true,
            ),
            Path::Hired => {
                let hiring = self.recruiter(d - 9.5);
                let start = start_of_new_hire(self.ctx);
                decision::hire(
                    conn,
                    &hiring,
                    id,
                    &HireInput {
                        start_date: start.format("%Y-%m-%d").to_string(),
                        department: spec.department.into(),
                        title: spec.title.into(),
                        hourly_rate: "19.50".into(),
                    },
                )
                .map(|_| ())
            }
            _ => candidates::service::move_stage(
                conn,
                &self.recruiter(d - 9.0),
                id,
                Stage::Decision.as_str(),
                "Both interviews held; ready for the decision.",
            ),
        }
    }
}

/// The demo hire gives some notice: they start on the first Monday at least three days
/// away (the training demo has a class starting then).
pub fn start_of_new_hire(ctx: &Ctx) -> chrono::NaiveDate {
    next_monday(ctx.now.date() + Duration::days(3))
}

fn next_monday(from: chrono::NaiveDate) -> chrono::NaiveDate {
    let ahead = (7 - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(ahead as i64)
}
