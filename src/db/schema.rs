//! Table definitions shared by both backends. Written by hand (not `diesel print-schema`)
//! because one schema must describe two dialects; tests/schema_parity.rs keeps it honest.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        access_until -> Nullable<Timestamp>,
        staff -> Bool,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Text,
        user_agent -> Text,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        purpose -> Text,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        label -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        subject_type -> Text,
        subject_id -> Nullable<BigInt>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        request_id -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        to_addr -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        calendar_ics -> Nullable<Text>,
    }
}

diesel::table! {
    core_values (id) {
        id -> BigInt,
        position -> BigInt,
        name -> Text,
        description -> Text,
        sample_questions -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        title -> Text,
        department -> Text,
        location -> Text,
        description -> Text,
        hiring_manager_id -> Nullable<BigInt>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        revision -> BigInt,
    }
}

diesel::table! {
    competencies (id) {
        id -> BigInt,
        job_id -> BigInt,
        position -> BigInt,
        name -> Text,
        good_looks_like -> Text,
    }
}

diesel::table! {
    candidates (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        email -> Text,
        phone -> Text,
        source -> Text,
        job_id -> BigInt,
        resume_text -> Text,
        resume_url -> Text,
        notes -> Text,
        stage -> Text,
        stage_entered_at -> Timestamp,
        red_flag -> Bool,
        applied_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        revision -> BigInt,
    }
}

diesel::table! {
    stage_changes (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        job_id -> BigInt,
        from_stage -> Nullable<Text>,
        to_stage -> Text,
        reason -> Nullable<Text>,
        note -> Text,
        actor_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    interviews (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        track -> Text,
        starts_at -> Timestamp,
        duration_minutes -> BigInt,
        location -> Text,
        video_url -> Text,
        status -> Text,
        ical_uid -> Text,
        sequence -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    interview_panel (interview_id, user_id) {
        interview_id -> BigInt,
        user_id -> BigInt,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    scorecards (id) {
        id -> BigInt,
        interview_id -> BigInt,
        candidate_id -> BigInt,
        interviewer_id -> BigInt,
        track -> Text,
        recommendation -> Text,
        version -> BigInt,
        submitted_at -> Timestamp,
        amended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    scorecard_versions (id) {
        id -> BigInt,
        scorecard_id -> BigInt,
        version -> BigInt,
        recommendation -> Text,
        summary -> Text,
        reason -> Text,
        author_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scorecard_ratings (id) {
        id -> BigInt,
        scorecard_version_id -> BigInt,
        attribute_id -> BigInt,
        attribute_name -> Text,
        rating -> Nullable<BigInt>,
        evidence -> Text,
    }
}

diesel::table! {
    observation_links (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        token_hash -> Text,
        observer_role -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    observations (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        link_id -> Nullable<BigInt>,
        observer_name -> Text,
        observer_role -> Text,
        treatment -> Text,
        note -> Text,
        created_at -> Timestamp,
        acknowledged_by -> Nullable<BigInt>,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledgement -> Nullable<Text>,
    }
}

diesel::table! {
    hires (id) {
        id -> BigInt,
        candidate_id -> BigInt,
        user_id -> BigInt,
        start_date -> Date,
        department -> Text,
        title -> Text,
        hourly_rate_cents -> BigInt,
        hired_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        placed -> Bool,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    curricula (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        weeks -> BigInt,
        days_per_week -> BigInt,
        live_call_target_minutes -> BigInt,
        max_unexcused_absences -> BigInt,
        max_lates -> BigInt,
        day_minutes -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    curriculum_modules (id) {
        id -> BigInt,
        curriculum_id -> BigInt,
        week -> BigInt,
        day -> BigInt,
        position -> BigInt,
        title -> Text,
        kind -> Text,
        description -> Text,
        pass_mark -> Nullable<BigInt>,
    }
}

diesel::table! {
    holidays (id) {
        id -> BigInt,
        day -> Date,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cohorts (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        start_date -> Date,
        capacity -> BigInt,
        curriculum_id -> Nullable<BigInt>,
        curriculum_name -> Text,
        weeks -> BigInt,
        days_per_week -> BigInt,
        live_call_target_minutes -> BigInt,
        max_unexcused_absences -> BigInt,
        max_lates -> BigInt,
        day_minutes -> BigInt,
        graduated_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        offer_policy_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        first_day -> Nullable<Date>,
        last_day -> Nullable<Date>,
        training_days -> Text,
        revision -> BigInt,
    }
}

diesel::table! {
    cohort_modules (id) {
        id -> BigInt,
        cohort_id -> BigInt,
        week -> BigInt,
        day -> BigInt,
        position -> BigInt,
        title -> Text,
        kind -> Text,
        description -> Text,
        pass_mark -> Nullable<BigInt>,
    }
}

diesel::table! {
    cohort_days (id) {
        id -> BigInt,
        cohort_id -> BigInt,
        day_number -> BigInt,
        date -> Date,
    }
}

diesel::table! {
    cohort_trainers (id) {
        id -> BigInt,
        cohort_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    enrolments (id) {
        id -> BigInt,
        cohort_id -> BigInt,
        hire_id -> BigInt,
        user_id -> BigInt,
        first_day -> BigInt,
        status -> Text,
        end_reason -> Text,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        present_days -> BigInt,
        late_days -> BigInt,
        excused_days -> BigInt,
        absent_days -> BigInt,
        name -> Text,
        department -> Text,
        title -> Text,
    }
}

diesel::table! {
    attendance (id) {
        id -> BigInt,
        cohort_id -> BigInt,
        enrolment_id -> BigInt,
        day_number -> BigInt,
        status -> Text,
        note -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    module_results (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        cohort_module_id -> BigInt,
        score -> Nullable<BigInt>,
        passed -> Bool,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    call_shifts (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        cohort_id -> BigInt,
        started_at -> Timestamp,
        ended_at -> Timestamp,
        minutes -> BigInt,
        calls_taken -> BigInt,
        connections -> BigInt,
        wow_story -> Text,
        logged_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    coaching_notes (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    checklist_items (id) {
        id -> BigInt,
        position -> BigInt,
        title -> Text,
        description -> Text,
        days_before_start -> BigInt,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    checklist_tasks (id) {
        id -> BigInt,
        hire_id -> BigInt,
        user_id -> BigInt,
        position -> BigInt,
        title -> Text,
        description -> Text,
        due_date -> Date,
        done_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    employees (id) {
        id -> BigInt,
        hire_id -> BigInt,
        user_id -> BigInt,
        department -> Text,
        title -> Text,
        started_on -> Date,
        left_on -> Nullable<Date>,
        leave_reason -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    offer_policies (id) {
        id -> BigInt,
        bonus_cents -> BigInt,
        offer_day -> BigInt,
        closes_day -> BigInt,
        pays_time_worked -> Bool,
        effective_on -> Date,
        note -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    yearly_windows (id) {
        id -> BigInt,
        opens_on -> Date,
        closes_on -> Date,
        base_cents -> BigInt,
        step_cents -> BigInt,
        max_cents -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    offers (id) {
        id -> BigInt,
        kind -> Text,
        user_id -> BigInt,
        enrolment_id -> Nullable<BigInt>,
        cohort_id -> Nullable<BigInt>,
        policy_id -> Nullable<BigInt>,
        employee_id -> Nullable<BigInt>,
        yearly_window_id -> Nullable<BigInt>,
        department -> Text,
        culture_band -> Text,
        bonus_cents -> BigInt,
        hourly_rate_cents -> BigInt,
        pays_time_worked -> Bool,
        minutes_worked -> BigInt,
        time_pay_cents -> BigInt,
        opens_at -> Timestamp,
        expires_at -> Timestamp,
        status -> Text,
        answered_at -> Nullable<Timestamp>,
        void_reason -> Text,
        made_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    payouts (id) {
        id -> BigInt,
        offer_id -> BigInt,
        user_id -> BigInt,
        bonus_cents -> BigInt,
        minutes_worked -> BigInt,
        hourly_rate_cents -> BigInt,
        time_pay_cents -> BigInt,
        total_cents -> BigInt,
        arithmetic -> Text,
        due_on -> Date,
        paid_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    offer_tallies (id) {
        id -> BigInt,
        kind -> Text,
        dimension -> Text,
        key_num -> BigInt,
        key_text -> Text,
        made -> BigInt,
        pending -> BigInt,
        accepted -> BigInt,
        declined -> BigInt,
        expired -> BigInt,
        void -> BigInt,
        paid_cents -> BigInt,
    }
}

diesel::table! {
    retention_tallies (id) {
        id -> BigInt,
        cohort_id -> BigInt,
        bonus_cents -> BigInt,
        outcome -> Text,
        graduated_on -> Date,
        people -> BigInt,
        left_by_90 -> BigInt,
        left_by_180 -> BigInt,
        left_by_365 -> BigInt,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(jobs -> users (hiring_manager_id));
diesel::joinable!(competencies -> jobs (job_id));
diesel::joinable!(candidates -> jobs (job_id));
diesel::joinable!(stage_changes -> candidates (candidate_id));
diesel::joinable!(interviews -> candidates (candidate_id));
diesel::joinable!(interview_panel -> interviews (interview_id));
diesel::joinable!(interview_panel -> users (user_id));
diesel::joinable!(scorecards -> interviews (interview_id));
diesel::joinable!(scorecards -> candidates (candidate_id));
diesel::joinable!(scorecards -> users (interviewer_id));
diesel::joinable!(scorecard_versions -> scorecards (scorecard_id));
diesel::joinable!(scorecard_ratings -> scorecard_versions (scorecard_version_id));
diesel::joinable!(observation_links -> candidates (candidate_id));
diesel::joinable!(observations -> candidates (candidate_id));
diesel::joinable!(hires -> candidates (candidate_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(curriculum_modules -> curricula (curriculum_id));
diesel::joinable!(cohorts -> curricula (curriculum_id));
diesel::joinable!(cohort_modules -> cohorts (cohort_id));
diesel::joinable!(cohort_days -> cohorts (cohort_id));
diesel::joinable!(cohort_trainers -> cohorts (cohort_id));
diesel::joinable!(cohort_trainers -> users (user_id));
diesel::joinable!(enrolments -> cohorts (cohort_id));
diesel::joinable!(enrolments -> hires (hire_id));
diesel::joinable!(enrolments -> users (user_id));
diesel::joinable!(attendance -> cohorts (cohort_id));
diesel::joinable!(attendance -> enrolments (enrolment_id));
diesel::joinable!(module_results -> enrolments (enrolment_id));
diesel::joinable!(module_results -> cohort_modules (cohort_module_id));
diesel::joinable!(call_shifts -> enrolments (enrolment_id));
diesel::joinable!(call_shifts -> cohorts (cohort_id));
diesel::joinable!(coaching_notes -> enrolments (enrolment_id));
diesel::joinable!(coaching_notes -> users (author_id));
diesel::joinable!(checklist_tasks -> hires (hire_id));
diesel::joinable!(checklist_tasks -> users (user_id));
diesel::joinable!(employees -> hires (hire_id));
diesel::joinable!(employees -> users (user_id));
diesel::joinable!(offers -> users (user_id));
diesel::joinable!(offers -> enrolments (enrolment_id));
diesel::joinable!(offers -> cohorts (cohort_id));
diesel::joinable!(offers -> offer_policies (policy_id));
diesel::joinable!(offers -> employees (employee_id));
diesel::joinable!(offers -> yearly_windows (yearly_window_id));
diesel::joinable!(payouts -> offers (offer_id));
diesel::joinable!(payouts -> users (user_id));
diesel::table! {
    people_revision (id) {
        id -> BigInt,
        revision -> BigInt,
    }
}

diesel::table! {
    job_stage_counts (job_id, stage) {
        job_id -> BigInt,
        stage -> Text,
        candidates -> BigInt,
    }
}

diesel::joinable!(job_stage_counts -> jobs (job_id));
diesel::joinable!(retention_tallies -> cohorts (cohort_id));

diesel::allow_tables_to_appear_in_same_query!(
    job_stage_counts,
    people_revision,
    users,
    user_roles,
    sessions,
    api_tokens,
    audit_log,
    core_values,
    jobs,
    competencies,
    candidates,
    stage_changes,
    interviews,
    interview_panel,
    scorecards,
    scorecard_versions,
    scorecard_ratings,
    observation_links,
    observations,
    hires,
    calendar_feeds,
    curricula,
    curriculum_modules,
    holidays,
    cohorts,
    cohort_modules,
    cohort_days,
    cohort_trainers,
    enrolments,
    attendance,
    module_results,
    call_shifts,
    coaching_notes,
    checklist_items,
    checklist_tasks,
    employees,
    offer_policies,
    yearly_windows,
    offers,
    payouts,
    offer_tallies,
    retention_tallies,
);
