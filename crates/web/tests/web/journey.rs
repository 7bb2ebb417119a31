//! The skeleton journey through the pages: refer, triage, sign in with a code, book, and see
//! it on the clinic list and in the outbox.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::harness::{TestApp, knee_answers, refer_online, reference_on};

fn between<'a>(body: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    body.split(start)
        .skip(1)
        .filter_map(|rest| rest.split(end).next())
        .collect()
}

#[tokio::test]
async fn refer_triage_sign_in_book_and_see_it_in_clinic() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;

        // a. Self-referral.
        let mut person = app.client();
        let mut answers = knee_answers();
        answers.retain(|(k, _)| !matches!(*k, "area" | "description"));
        answers.extend([
            ("area", "shoulder"),
            ("hands_clumsy", "no"),
            ("description", "Cannot lift my arm above my head"),
        ]);
        let sent = refer_online(
            &mut person,
            &[
                ("given_name", "Grace"),
                ("family_name", "Campbell"),
                ("date_of_birth_day", "12"),
                ("date_of_birth_month", "4"),
                ("date_of_birth_year", "1968"),
                ("sex", "female"),
                ("postcode", "LU1 3JU"),
                ("email", "grace@example.com"),
                ("preferred_contact", "email"),
            ],
            &answers,
        )
        .await;
        assert_eq!(
            (sent.status, sent.location()),
            (StatusCode::SEE_OTHER, Some("/refer/submitted"))
        );
        let confirmation = person.get("/refer/submitted").await;
        assert!(confirmation.body.contains("What happens next"));
        assert!(
            confirmation
                .body
                .contains("Looking after yourself while you wait: Shoulder")
        );
        let reference = reference_on(&confirmation.body);

        // b. Triage.
        let mut triage = app.staff(Role::TriageClinician).await;
        let queue = triage.get("/staff/triage").await;
        assert!(queue.body.contains(&reference) && queue.body.contains("Grace Campbell"));
        let id = between(&queue.body, "href=\"/staff/referrals/", "\"")[0].to_owned();
        let referral_page = triage.get(&format!("/staff/referrals/{id}")).await;
        assert!(
            referral_page
                .body
                .contains("Cannot lift my arm above my head")
        );
        let token = referral_page.csrf();
        let accepted = triage
            .post_form(
                &format!("/staff/referrals/{id}/accept"),
                &token,
                &[
                    ("service", &app.clinic.service.id.to_string()),
                    ("priority", "soon"),
                    ("version", "0"),
                    ("note", "Shoulder: physio"),
                ],
            )
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        assert!(
            !triage.get("/staff/triage").await.body.contains(&reference),
            "off the queue"
        );

        // c. Sign in with a code, read from the outbox page as the coordinator sees it.
        let token = person.get("/sign-in").await.csrf();
        let asked = person
            .post_form(
                "/sign-in",
                &token,
                &[
                    ("contact", "grace@example.com"),
                    ("date_of_birth_day", "12"),
                    ("date_of_birth_month", "4"),
                    ("date_of_birth_year", "1968"),
                ],
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(asked.body.contains("Enter your code"));
        let mut coordinator = app.staff(Role::Coordinator).await;
        let outbox = coordinator.get("/staff/outbox").await;
        let code = between(&outbox.body, "sign-in code is ", ".")[0].to_owned();
        let token = asked.csrf();
        let wrong = person
            .post_form(
                "/sign-in/code",
                &token,
                &[
                    ("contact", "grace@example.com"),
                    ("date_of_birth_day", "12"),
                    ("date_of_birth_month", "4"),
                    ("date_of_birth_year", "1968"),
                    ("code", "12345x"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let signed_in = person
            .post_form(
                "/sign-in/code",
                &token,
                &[
                    ("contact", "grace@example.com"),
                    ("date_of_birth_day", "12"),
                    ("date_of_birth_month", "4"),
                    ("date_of_birth_year", "1968"),
                    ("code", &code),
                ],
            )
            .await;
        assert_eq!(
            (signed_in.status, signed_in.location()),
            (StatusCode::SEE_OTHER, Some("/portal"))
        );
        let portal = person.get("/portal").await;
        assert!(portal.body.contains(&reference) && portal.body.contains("Ready to book"));

        // d. Book.
        let slot = between(&portal.body, "name=\"slot_id\" value=\"", "\"")[0].to_owned();
        let booked = person
            .post_form(
                &format!("/portal/referrals/{id}/book"),
                &portal.csrf(),
                &[("slot_id", &slot)],
            )
            .await;
        assert_eq!(booked.status, StatusCode::SEE_OTHER);
        let appointment = person.get(booked.location().unwrap()).await;
        assert!(appointment.body.contains("Appointment booked"));
        let again = person
            .post_form(
                &format!("/portal/referrals/{id}/book"),
                &portal.csrf(),
                &[("slot_id", &slot)],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        // e. Confirmation queued; the clinic list shows it.
        let outbox = coordinator.get("/staff/outbox").await;
        assert!(
            outbox.body.contains("Appointment booked")
                && outbox.body.contains("Your appointment is booked.")
        );
        let mut physio = app.staff(Role::Clinician).await;
        let slot_start = store
            .find_slot(slot.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .start;
        let day = jointly_domain::local_date(slot_start);
        let clinic = physio.get(&format!("/staff/clinics?date={day}")).await;
        assert!(
            clinic.body.contains("Grace Campbell") && clinic.body.contains(&reference),
            "{}",
            clinic.body
        );

        // Every read of the record left an audit entry.
        let patient = store
            .find_referral(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let trail = store.audit_for_patient(patient).await.unwrap();
        for route in [
            "referral.self",
            "triage.queue",
            "referral.view",
            "referral.accept",
            "portal.overview",
            "appointment.book",
            "clinic.list",
            "outbox.view",
        ] {
            assert!(
                trail.iter().any(|a| a.route == route),
                "no audit entry for {route}"
            );
        }

        // Sign out ends the session.
        let out = person.post_form("/sign-out", &portal.csrf(), &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(person.get("/portal").await.location(), Some("/sign-in"));
    })
    .await;
}
