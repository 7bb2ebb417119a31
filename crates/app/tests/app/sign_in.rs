use jiff::SignedDuration;
use jointly_app::{AppError, Principal};
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_store::testing::on_each_backend;

use crate::{add_staff, answers, app, latest_code, refer, sign_in_request};

#[tokio::test]
async fn a_patient_signs_in_with_a_code_that_works_once() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let patient = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap()
            .patient_id;

        app.request_sign_in_code(&sign_in_request("AMELIA@example.com"))
            .await
            .unwrap();
        let code = latest_code(&store, patient).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert!(matches!(
            app.sign_in_with_code(&sign_in_request("amelia@example.com"), wrong)
                .await,
            Err(AppError::SignInFailed)
        ));
        let session = app
            .sign_in_with_code(&sign_in_request("amelia@example.com"), &code)
            .await
            .unwrap();
        assert_eq!(session.role, Role::Patient);
        let principal = app.principal_for(&session.token).await.unwrap();
        assert!(matches!(principal, Principal::Patient { id, .. } if id == patient));
        assert!(matches!(
            app.sign_in_with_code(&sign_in_request("amelia@example.com"), &code)
                .await,
            Err(AppError::SignInFailed)
        ));

        // Sessions end after half an hour idle.
        clock.advance(SignedDuration::from_mins(31));
        assert!(matches!(
            app.principal_for(&session.token).await.unwrap(),
            Principal::Anonymous
        ));
        app.sign_out(&principal).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn codes_resist_guessing_and_do_not_reveal_who_is_a_patient() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let patient = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap()
            .patient_id;

        // Unknown details get the same answer and nothing is sent.
        app.request_sign_in_code(&sign_in_request("nobody@example.com"))
            .await
            .unwrap();
        let mut unknown = sign_in_request("amelia@example.com");
        unknown.date_of_birth.year = "1969".into();
        app.request_sign_in_code(&unknown).await.unwrap();
        let codes = |entries: Vec<jointly_store::OutboxEntry>| {
            entries
                .iter()
                .filter(|e| e.template == MessageTemplate::SignInCode)
                .count()
        };
        assert_eq!(codes(store.outbox_for_patient(patient).await.unwrap()), 0);

        // Five wrong guesses kill the code, even for the right one after.
        app.request_sign_in_code(&sign_in_request("amelia@example.com"))
            .await
            .unwrap();
        let code = latest_code(&store, patient).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            let _ = app
                .sign_in_with_code(&sign_in_request("amelia@example.com"), wrong)
                .await;
        }
        assert!(matches!(
            app.sign_in_with_code(&sign_in_request("amelia@example.com"), &code)
                .await,
            Err(AppError::TooManyAttempts)
        ));

        // At most three codes in fifteen minutes.
        for _ in 0..4 {
            app.request_sign_in_code(&sign_in_request("amelia@example.com"))
                .await
                .unwrap();
        }
        assert_eq!(codes(store.outbox_for_patient(patient).await.unwrap()), 3);
        clock.advance(SignedDuration::from_mins(16));
        app.request_sign_in_code(&sign_in_request("amelia@example.com"))
            .await
            .unwrap();
        assert_eq!(codes(store.outbox_for_patient(patient).await.unwrap()), 4);

        // Malformed input names the field.
        let err = app
            .request_sign_in_code(&sign_in_request("01234 567890"))
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(e) if e.errors()[0].problem == "not-mobile"));
        let err = app
            .sign_in_with_code(&sign_in_request("amelia@example.com"), "12ab")
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(e) if e.errors()[0].field == "code"));
    })
    .await;
}

#[tokio::test]
async fn staff_are_locked_out_after_repeated_failures() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        add_staff(&store, "sam@jointly.example", Role::TriageClinician, vec![]).await;
        assert!(matches!(app.staff_sign_in("nobody@jointly.example", "whatever").await, Err(AppError::SignInFailed)));
        for _ in 0..5 {
            assert!(matches!(app.staff_sign_in("sam@jointly.example", "wrong").await, Err(AppError::SignInFailed)));
        }
        let locked = app.staff_sign_in("sam@jointly.example", "a long enough password").await;
        assert!(matches!(locked, Err(AppError::TooManyAttempts)));
        clock.advance(SignedDuration::from_mins(16));
        let session = app.staff_sign_in("Sam@Jointly.example", "a long enough password").await.unwrap();
        assert!(matches!(app.principal_for(&session.token).await.unwrap(), Principal::Staff { role: Role::TriageClinician, .. }));
        assert!(matches!(app.staff_sign_in("", "").await, Err(AppError::Invalid(e)) if e.errors().len() == 2));
    })
    .await;
}
