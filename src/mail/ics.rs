//! Calendar text (RFC 5545 / iTIP RFC 5546) built with the `icalendar` crate: invitations
//! mailed as attachments (METHOD:REQUEST, METHOD:CANCEL) and subscription feeds
//! (METHOD:PUBLISH). Nothing here knows about interviews; hiring and training both build
//! their events as `CalEvent`s and call `calendar`.

use chrono::{NaiveDateTime, TimeZone, Utc};
use icalendar::{Attendee, Calendar, Component, Event, EventLike, EventStatus, Property};

/// The iTIP method of a calendar object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// An invitation, new or updated (a higher SEQUENCE replaces the earlier one).
    Request,
    /// The event is off for the attendees listed.
    Cancel,
    /// A feed: events to show, no reply expected.
    Publish,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Publish => "PUBLISH",
        }
    }
}

/// Someone on the invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One event. Times are UTC; they are written with a `Z`, so every client shows them in
/// its own zone.
#[derive(Debug, Clone)]
pub struct CalEvent {
    /// Stable for the life of the event: updates and cancellations name the same UID.
    pub uid: String,
    /// Raised on every change the attendees should see.
    pub sequence: i64,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// When this version was made (DTSTAMP).
    pub stamp: NaiveDateTime,
    pub organizer: Option<Person>,
    pub attendees: Vec<Person>,
    pub cancelled: bool,
}

fn utc(t: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

fn event(e: &CalEvent, method: Method) -> Event {
    let mut ev = Event::new();
    ev.uid(&e.uid)
        .sequence(e.sequence.clamp(0, u32::MAX as i64) as u32)
        .timestamp(utc(e.stamp))
        .starts(utc(e.starts))
        .ends(utc(e.ends))
        .summary(&e.summary);
    if !e.description.is_empty() {
        ev.description(&e.description);
    }
    if !e.location.is_empty() {
        ev.location(&e.location);
    }
    if !e.url.is_empty() {
        ev.url(&e.url);
    }
    if let Some(o) = &e.organizer {
        ev.append_property(
            Property::new("ORGANIZER", format!("mailto:{}", o.email))
                .add_parameter("CN", &o.name)
                .done(),
        );
    }
    for a in &e.attendees {
        let mut attendee = Attendee::new(format!("mailto:{}", a.email));
        attendee.cn = Some(a.name.clone());
        attendee.rsvp = Some(method == Method::Request);
        ev.attendee(attendee);
    }
    ev.status(if e.cancelled || method == Method::Cancel {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    ev.done()
}

/// A whole VCALENDAR with these events, as text with CRLF line ends.
pub fn calendar(method: Method, name: Option<&str>, events: &[CalEvent]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//onramp//onramp//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", method.as_str()));
    if let Some(n) = name {
        cal.name(n);
    }
    for e in events {
        cal.push(event(e, method));
    }
    cal.to_string()
}

/// The METHOD of a calendar text (the mail worker puts it in the attachment's content type).
pub fn method_of(ics: &str) -> Option<&'static str> {
    ics.lines().find_map(|l| match l.trim_end() {
        "METHOD:REQUEST" => Some("REQUEST"),
        "METHOD:CANCEL" => Some("CANCEL"),
        "METHOD:PUBLISH" => Some("PUBLISH"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn sample() -> CalEvent {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        CalEvent {
            uid: "interview-7-abc@example.com".into(),
            sequence: 2,
            summary: "Technical interview: Ada, Lovelace; \"the\" engine".into(),
            description: "Video: https://meet.example/x\nBring a laptop.".into(),
            location: "Room 4, Building B".into(),
            url: "https://meet.example/x".into(),
            starts: day.and_hms_opt(14, 30, 0).unwrap(),
            ends: day.and_hms_opt(15, 30, 0).unwrap(),
            stamp: day.and_hms_opt(9, 0, 0).unwrap(),
            organizer: Some(Person {
                name: "Rita Recruiter".into(),
                email: "rita@example.com".into(),
            }),
            attendees: vec![
                Person {
                    name: "Ada Lovelace".into(),
                    email: "ada@example.com".into(),
                },
                Person {
                    name: "Ivan Interviewer".into(),
                    email: "ivan@example.com".into(),
                },
            ],
            cancelled: false,
        }
    }

    #[test]
    fn a_request_parses_back_with_its_uid_sequence_and_utc_times() {
        let text = calendar(Method::Request, None, &[sample()]);
        assert!(text.contains("\r\n"), "lines end in CRLF");
        assert_eq!(method_of(&text), Some("REQUEST"));
        let parsed: Calendar = text.parse().expect("parses");
        assert_eq!(parsed.property_value("METHOD"), Some("REQUEST"));
        let ev = parsed.events().next().expect("one event");
        assert_eq!(ev.get_uid(), Some("interview-7-abc@example.com"));
        assert_eq!(ev.get_sequence(), Some(2));
        assert_eq!(ev.get_summary(), Some(sample().summary.as_str()));
        assert_eq!(ev.get_location(), Some("Room 4, Building B"));
        assert_eq!(ev.get_url(), Some("https://meet.example/x"));
        assert!(text.contains("DTSTART:20261203T143000Z"));
        assert!(text.contains("DTEND:20261203T153000Z"));
        assert!(text.contains("ORGANIZER;CN=Rita Recruiter:mailto:rita@example.com"));
        let attendees = ev.get_attendees();
        assert_eq!(attendees.len(), 2);
        assert_eq!(attendees[0].cal_address, "mailto:ada@example.com");
        assert_eq!(ev.get_status(), Some(EventStatus::Confirmed));
    }

    #[test]
    fn a_cancel_marks_the_event_cancelled() {
        let text = calendar(Method::Cancel, None, &[sample()]);
        let parsed: Calendar = text.parse().expect("parses");
        assert_eq!(parsed.property_value("METHOD"), Some("CANCEL"));
        let ev = parsed.events().next().unwrap();
        assert_eq!(ev.get_status(), Some(EventStatus::Cancelled));
        assert_eq!(method_of(&text), Some("CANCEL"));
    }

    #[test]
    fn a_feed_holds_every_event_and_its_name() {
        let mut second = sample();
        second.uid = "interview-8-def@example.com".into();
        let text = calendar(Method::Publish, Some("Interviews"), &[sample(), second]);
        let parsed: Calendar = text.parse().expect("parses");
        assert_eq!(parsed.property_value("METHOD"), Some("PUBLISH"));
        assert_eq!(parsed.get_name(), Some("Interviews"));
        assert_eq!(parsed.events().count(), 2);
    }

    #[test]
    fn an_empty_feed_is_still_a_calendar() {
        let text = calendar(Method::Publish, None, &[]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.trim_end().ends_with("END:VCALENDAR"));
    }
}
