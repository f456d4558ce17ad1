//! The demo company: one login per role, and something in every part that works, so a
//! first look shows the product rather than empty pages. Loads only into an empty database.

use crate::auth::model::{self, User};
use crate::auth::role::Role;
use crate::auth::service::{self, NewUserInput};
use crate::ctx::Ctx;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::hiring::demo::Staff;
use rand::distributions::{Alphanumeric, DistString};

const PEOPLE: [(Role, &str, &str); 6] = [
    (Role::Admin, "admin@demo.onramp.test", "Avery Admin"),
    (
        Role::Recruiter,
        "recruiter@demo.onramp.test",
        "Riley Recruiter",
    ),
    (
        Role::Interviewer,
        "interviewer@demo.onramp.test",
        "Ira Interviewer",
    ),
    (Role::Trainer, "trainer@demo.onramp.test", "Taylor Trainer"),
    (Role::Hr, "hr@demo.onramp.test", "Harper HR"),
    (Role::NewHire, "newhire@demo.onramp.test", "Noah Newhire"),
];

/// Returns (role, email, password) for each login, or None when the database has people.
pub fn load(
    conn: &mut DbConn,
    ctx: &Ctx,
    money: &crate::money::Currency,
) -> AppResult<Option<Vec<(String, String, String)>>> {
    if model::any_people(conn)? {
        return Ok(None);
    }
    let mut logins = vec![];
    let mut people = vec![];
    for (role, email, name) in PEOPLE {
        let password = Alphanumeric.sample_string(&mut rand::thread_rng(), 16);
        let input = NewUserInput {
            email: email.into(),
            name: name.into(),
            roles: vec![role],
        };
        people.push(service::add_user(conn, ctx, &input, Some(&password))?.0);
        logins.push((role.label().to_string(), email.to_string(), password));
    }
    // Someone invited who has not chosen a password yet: the invite flow and the outbox.
    let invited = NewUserInput {
        email: "jordan@demo.onramp.test".into(),
        name: "Jordan Invited".into(),
        roles: vec![Role::Interviewer],
    };
    service::invite(conn, ctx, &invited)?;
    let [admin, recruiter, interviewer, trainer, hr, new_hire] =
        <[User; 6]>::try_from(people).expect("one person per demo login");
    let staff = Staff {
        recruiter,
        interviewer,
        hr,
        admin,
        new_hire,
    };
    crate::hiring::demo::load(conn, ctx, &staff)?;
    crate::training::demo::load(conn, ctx, money, &trainer, &staff.new_hire)?;
    Ok(Some(logins))
}
