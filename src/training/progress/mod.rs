//! Where each trainee stands: attendance tally, modules, live-call minutes. Read in a
//! few grouped queries per cohort, so a 200-trainee roster costs the same as one.

pub mod model;
