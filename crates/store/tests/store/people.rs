use jiff::{SignedDuration, Timestamp};
use jointly_domain::access::Role;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress};
use jointly_domain::nhs_number::NhsNumber;
use jointly_domain::patient::EthnicCategory;
use jointly_domain::{MessageId, StaffUserId};
use jointly_store::testing::{now, on_each_backend, sample_patient, seed_clinic};
use jointly_store::{SessionRecord, SessionSubject, SignInCode, StaffUser, StoreError};

#[tokio::test]
async fn patients_round_trip_with_every_detail() {
    on_each_backend(|store| async move {
        let mut patient = sample_patient();
        patient.nhs_number = Some(NhsNumber::parse("9434765919").unwrap());
        patient.ethnicity = Some(EthnicCategory::parse("H").unwrap());
        patient.email = Some(EmailAddress::parse("Amelia.Khan@Example.com").unwrap());
        patient.address = Some(Address {
            line1: "1 High Street".into(),
            line2: Some("Flat 2".into()),
            town: "Luton".into(),
        });
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(
            store.find_patient(patient.id).await.unwrap(),
            Some(patient.clone())
        );
        let nhs = patient.nhs_number.unwrap();
        assert_eq!(
            store.find_patient_by_nhs_number(&nhs).await.unwrap(),
            Some(patient.clone())
        );
        let by_email = EmailAddress::parse("amelia.khan@example.com").unwrap();
        let found = store
            .find_patients_by_contact(Some(&by_email), None, patient.date_of_birth)
            .await
            .unwrap();
        assert_eq!(found, vec![patient.clone()]);
        let wrong_dob = patient.date_of_birth.tomorrow().unwrap();
        assert!(
            store
                .find_patients_by_contact(Some(&by_email), None, wrong_dob)
                .await
                .unwrap()
                .is_empty()
        );
        let found = store
            .find_patients_by_contact(None, patient.phone.as_ref(), patient.date_of_birth)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
    })
    .await;
}

fn staff(email: &str, role: Role) -> StaffUser {
    StaffUser {
        id: StaffUserId::new(),
        email: email.into(),
        display_name: "Sam Triage".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        failed_sign_ins: 0,
        locked_until: None,
        active: true,
        on_duty: false,
        services: vec![],
    }
}

#[tokio::test]
async fn staff_accounts_are_unique_by_email_and_know_their_services() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let mut user = staff("sam@jointly.example", Role::TriageClinician);
        user.services = vec![clinic.service.id];
        let mut tx = store.begin().await.unwrap();
        tx.insert_staff(&user, now()).await.unwrap();
        tx.commit().await.unwrap();

        let found = store
            .find_staff_by_email("SAM@jointly.example ")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.id, found.role, found.services.clone()),
            (user.id, Role::TriageClinician, vec![clinic.service.id])
        );

        let mut tx = store.begin().await.unwrap();
        let err = tx
            .insert_staff(&staff("sam@jointly.example", Role::Clinician), now())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict("email_taken")),
            "{err:?}"
        );
        drop(tx);

        let lock = now() + SignedDuration::from_mins(15);
        store
            .record_failed_sign_in(user.id, Some(lock), now())
            .await
            .unwrap();
        let found = store.find_staff(user.id).await.unwrap().unwrap();
        assert_eq!((found.failed_sign_ins, found.locked_until), (1, Some(lock)));
        store
            .record_successful_sign_in(user.id, now())
            .await
            .unwrap();
        let found = store.find_staff(user.id).await.unwrap().unwrap();
        assert_eq!((found.failed_sign_ins, found.locked_until), (0, None));
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_and_codes_work_once() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        let session = SessionRecord {
            token_hash: "ab".repeat(32),
            subject: SessionSubject::Patient(patient.id),
            role: Role::Patient,
            csrf_token: "csrf".into(),
            last_seen_at: now(),
            expires_at: now() + SignedDuration::from_mins(30),
        };
        tx.insert_session(&session, now()).await.unwrap();
        let code = SignInCode {
            id: MessageId::new(),
            patient_id: patient.id,
            code_hash: "hash".into(),
            channel: ContactChannel::Sms,
            attempts: 0,
            expires_at: now() + SignedDuration::from_mins(10),
            used_at: None,
            created_at: now(),
        };
        tx.insert_sign_in_code(&code).await.unwrap();
        tx.commit().await.unwrap();

        let found = store
            .find_session(&session.token_hash, now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.subject, SessionSubject::Patient(patient.id));
        let later = now() + SignedDuration::from_mins(31);
        assert!(
            store
                .find_session(&session.token_hash, later)
                .await
                .unwrap()
                .is_none()
        );
        store
            .touch_session(
                &session.token_hash,
                now(),
                later + SignedDuration::from_mins(1),
            )
            .await
            .unwrap();
        assert!(
            store
                .find_session(&session.token_hash, later)
                .await
                .unwrap()
                .is_some()
        );

        assert_eq!(
            store
                .count_sign_in_codes_since(patient.id, now())
                .await
                .unwrap(),
            1
        );
        store
            .record_sign_in_code_attempt(code.id, now())
            .await
            .unwrap();
        let latest = store
            .latest_sign_in_code(patient.id, now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((latest.id, latest.attempts), (code.id, 1));
        let mut tx = store.begin().await.unwrap();
        tx.use_sign_in_code(code.id, now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.use_sign_in_code(code.id, now()).await,
            Err(StoreError::Conflict("code_used"))
        ));
        drop(tx);
        assert!(
            store
                .latest_sign_in_code(patient.id, now())
                .await
                .unwrap()
                .is_none()
        );

        let removed = store
            .purge_expired_credentials(Timestamp::MAX)
            .await
            .unwrap();
        assert_eq!(removed, 2);
        store.delete_session(&session.token_hash).await.unwrap();
    })
    .await;
}
