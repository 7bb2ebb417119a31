use jointly_app::{AppError, Principal, TriageForm};
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_domain::referral::ReferralStatus;
use jointly_store::testing::{now, on_each_backend, seed_clinic, seed_slots};

use crate::{
    add_staff, answers, app, latest_code, refer, routine, sign_in_patient, sign_in_request, staff,
};

#[tokio::test]
async fn refer_triage_sign_in_book_and_see_it_on_the_clinic_list() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 3).await;
        add_staff(&store, "triage@jointly.example", Role::TriageClinician, vec![]).await;
        add_staff(&store, "physio@jointly.example", Role::Clinician, vec![clinic.service.id]).await;
        add_staff(&store, "elsewhere@jointly.example", Role::Clinician, vec![]).await;

        // a. Self-referral.
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let referral = store.find_referral(receipt.referral_id).await.unwrap().unwrap();
        let patient = referral.patient_id;
        let queued: Vec<_> = store.outbox_for_patient(patient).await.unwrap().iter().map(|e| e.template).collect();
        assert_eq!(queued, vec![MessageTemplate::ReferralReceived]);

        // b. Triage.
        let triage = staff(&app, "triage@jointly.example").await;
        let queue = app.triage_queue(&triage, None, None).await.unwrap();
        assert_eq!(queue.len(), 1);
        let physio = staff(&app, "physio@jointly.example").await;
        assert!(matches!(app.triage_queue(&physio, None, None).await, Err(AppError::Forbidden)));
        assert!(matches!(app.referral_for_staff(&physio, referral.id).await, Err(AppError::NotFound)), "not routed to them yet");
        let form = TriageForm {
            service: clinic.service.id.to_string(),
            priority: "soon".into(),
            note: "Mechanical knee pain".into(),
            version: "0".into(),
        };
        let bad = TriageForm { service: "nonsense".into(), priority: "whenever".into(), ..form.clone() };
        assert!(matches!(app.accept_referral(&triage, referral.id, &bad).await, Err(AppError::Invalid(e)) if e.errors().len() == 2));
        app.accept_referral(&triage, referral.id, &form).await.unwrap();
        assert!(matches!(app.accept_referral(&triage, referral.id, &form).await, Err(AppError::Conflict(_))));
        assert_eq!(store.find_referral(referral.id).await.unwrap().unwrap().status, ReferralStatus::Waiting);
        assert!(app.referral_for_staff(&physio, referral.id).await.is_ok(), "now routed to their service");
        let elsewhere = staff(&app, "elsewhere@jointly.example").await;
        assert!(matches!(app.referral_for_staff(&elsewhere, referral.id).await, Err(AppError::NotFound)));
        let trail = store.audit_for_patient(patient).await.unwrap();
        assert!(trail.iter().any(|a| a.outcome == "denied" && a.route == "referral.view"));

        // c. The patient signs in and sees offers.
        app.request_sign_in_code(&sign_in_request("amelia@example.com")).await.unwrap();
        let code = latest_code(&store, patient).await;
        let session = app.sign_in_with_code(&sign_in_request("amelia@example.com"), &code).await.unwrap();
        let me = app.principal_for(&session.token).await.unwrap();
        let overview = app.portal_overview(&me).await.unwrap();
        assert_eq!(overview.referrals.len(), 1);
        assert_eq!(overview.referrals[0].slots.len(), 3);
        assert_eq!(overview.referrals[0].referral.service_name.as_deref(), Some("Community Physiotherapy"));

        // d. Booking.
        let confirmation = app.book_slot(&me, referral.id, slots[1].id).await.unwrap();
        assert_eq!(confirmation.slot.slot.id, slots[1].id);
        assert!(matches!(app.book_slot(&me, referral.id, slots[2].id).await, Err(AppError::Conflict("invalid_transition"))));
        let overview = app.portal_overview(&me).await.unwrap();
        assert_eq!(overview.appointments.len(), 1);
        assert!(overview.referrals[0].slots.is_empty());

        // e. Confirmation queued; staff see the clinic list.
        let queued: Vec<_> = store.outbox_for_patient(patient).await.unwrap().iter().map(|e| e.template).collect();
        assert!(queued.contains(&MessageTemplate::AppointmentBooked));
        let day = jointly_domain::local_date(slots[1].start);
        let list = app.clinic_day(&physio, day, None).await.unwrap();
        assert_eq!(list.entries.len(), 1);
        assert!(app.clinic_day(&elsewhere, day, None).await.unwrap().entries.is_empty());
        assert!(matches!(app.clinic_day(&triage, day, None).await, Err(AppError::Forbidden)));
        let _ = now();
    })
    .await;
}

#[tokio::test]
async fn bad_referrals_change_nothing_and_patients_only_reach_their_own() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 1).await;
        let mut bad = answers("not-an-email");
        bad.person.postcode = "nowhere".into();
        let err = refer(&app, &bad).await.unwrap_err();
        let AppError::Invalid(errors) = err else {
            panic!("expected invalid")
        };
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, vec!["email", "postcode"]);
        assert_eq!(store.triage_queue_length().await.unwrap(), 0);
        assert!(store.recent_outbox(10).await.unwrap().is_empty());

        // Two patients; the second tries to book against the first's referral.
        let first = refer(&app, &answers("one@example.com")).await.unwrap();
        let mut second = answers("two@example.com");
        second.person.given_name = "Bilal".into();
        second.person.family_name = "Ahmed".into();
        refer(&app, &second).await.unwrap();
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let triage = staff(&app, "triage@jointly.example").await;
        app.accept_referral(&triage, first.referral_id, &routine(clinic.service.id))
            .await
            .unwrap();
        let intruder = sign_in_patient(&app, &store, "two@example.com").await;
        assert!(matches!(
            app.book_slot(&intruder, first.referral_id, slots[0].id)
                .await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.offered_slots(&intruder, first.referral_id).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.triage_queue(&intruder, None, None).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            app.portal_overview(&Principal::Anonymous).await,
            Err(AppError::NotSignedIn)
        ));
        assert!(matches!(
            app.portal_overview(&triage).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn each_time_and_place_is_offered_once() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let clinic = seed_clinic(&store).await;
        // Three clinicians' worth of identical slots: 20 times, each three times over.
        let slots = seed_slots(&store, &clinic, 20).await;
        for _ in 0..2 {
            let copies: Vec<_> = slots
                .iter()
                .map(|s| jointly_domain::slot::Slot {
                    id: jointly_domain::SlotId::new(),
                    ..s.clone()
                })
                .collect();
            let mut tx = store.begin().await.unwrap();
            tx.insert_slots(&copies, now()).await.unwrap();
            tx.commit().await.unwrap();
        }
        let receipt = refer(&app, &answers("dup@example.com")).await.unwrap();
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let triage = staff(&app, "triage@jointly.example").await;
        app.accept_referral(&triage, receipt.referral_id, &routine(clinic.service.id))
            .await
            .unwrap();
        let me = sign_in_patient(&app, &store, "dup@example.com").await;
        let offered = app.offered_slots(&me, receipt.referral_id).await.unwrap();
        let starts: Vec<_> = offered.iter().map(|v| v.slot.start).collect();
        let expected: Vec<_> = slots.iter().take(12).map(|s| s.start).collect();
        assert_eq!(
            starts, expected,
            "twelve distinct times, soonest first, each once"
        );
    })
    .await;
}
