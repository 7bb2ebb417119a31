use jiff::SignedDuration;
use jointly_domain::AppointmentId;
use jointly_domain::appointment::{Appointment, AppointmentStatus, book};
use jointly_domain::event::Actor;
use jointly_domain::slot::SlotStatus;
use jointly_store::testing::{
    now, on_each_backend, seed_clinic, seed_slots, seed_waiting_referral,
};
use jointly_store::{Store, StoreError};

/// Books the slot for the referral the way the app does: take the slot, save the appointment
/// and the referral's new state, all or nothing.
async fn book_in_tx(
    store: &Store,
    slot: &jointly_domain::slot::Slot,
    referral: &mut jointly_domain::referral::Referral,
) -> Result<Appointment, StoreError> {
    let (appointment, events) = book(
        slot,
        referral,
        AppointmentId::new(),
        Actor::Patient(referral.patient_id),
        now(),
    )
    .unwrap();
    let mut tx = store.begin().await?;
    tx.take_free_slot(slot.id, now()).await?;
    tx.insert_appointments(std::slice::from_ref(&appointment), now())
        .await?;
    tx.update_referral(referral, now()).await?;
    tx.append_events(&events, now()).await?;
    tx.commit().await?;
    Ok(appointment)
}

#[tokio::test]
async fn thirty_two_patients_racing_for_one_slot_make_exactly_one_booking() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let slot = seed_slots(&store, &clinic, 1).await.remove(0);
        let mut contenders = Vec::new();
        for _ in 0..32 {
            contenders.push(seed_waiting_referral(&store, clinic.service.id).await.1);
        }
        let tasks: Vec<_> = contenders
            .into_iter()
            .map(|mut referral| {
                let store = store.clone();
                let slot = slot.clone();
                tokio::spawn(async move { book_in_tx(&store, &slot, &mut referral).await })
            })
            .collect();
        let mut booked = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => booked += 1,
                Err(StoreError::Conflict("slot_taken")) => {}
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(booked, 1);
        let stored = store.find_slot(slot.id).await.unwrap().unwrap();
        assert_eq!(stored.status, SlotStatus::Booked);
        let day = store
            .clinic_list(now(), now() + SignedDuration::from_hours(48))
            .await
            .unwrap();
        assert_eq!(day.len(), 1);
        assert_eq!(
            store
                .free_slots(clinic.service.id, now(), 10)
                .await
                .unwrap()
                .len(),
            0
        );
    })
    .await;
}

#[tokio::test]
async fn the_schema_itself_refuses_a_second_live_appointment_in_a_slot() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let slot = seed_slots(&store, &clinic, 1).await.remove(0);
        let (_, mut first) = seed_waiting_referral(&store, clinic.service.id).await;
        let (_, second) = seed_waiting_referral(&store, clinic.service.id).await;
        book_in_tx(&store, &slot, &mut first).await.unwrap();
        let sneaky = Appointment {
            id: AppointmentId::new(),
            slot_id: slot.id,
            referral_id: second.id,
            patient_id: second.patient_id,
            status: AppointmentStatus::Booked,
            booked_at: now(),
            booked_by: Actor::System,
            interpreter: None,
            extra_slot_id: None,
            confirmed_at: None,
        };
        let mut tx = store.begin().await.unwrap();
        let err = tx.insert_appointments(&[sneaky], now()).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict("slot_taken")), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn free_slots_are_offered_earliest_first_with_where_and_who() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 5).await;
        let offered = store.free_slots(clinic.service.id, now(), 3).await.unwrap();
        assert_eq!(offered.len(), 3);
        assert_eq!(offered[0].slot.id, slots[0].id);
        assert!(
            offered
                .windows(2)
                .all(|w| w[0].slot.start <= w[1].slot.start)
        );
        assert_eq!(offered[0].location_name, "Bedford Health Village");
        assert_eq!(store.count_free_slots(now()).await.unwrap(), 5);

        let (patient, mut referral) = seed_waiting_referral(&store, clinic.service.id).await;
        let appointment = book_in_tx(&store, &slots[2], &mut referral).await.unwrap();
        let mine = store.appointments_for_patient(patient.id).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].0, appointment);
        assert_eq!(mine[0].1.slot.id, slots[2].id);
        let list = store
            .clinic_list(slots[2].start, slots[2].end)
            .await
            .unwrap();
        assert_eq!(list[0].patient_name.given.as_str(), "Amelia");
        assert_eq!(list[0].reference, referral.reference);
    })
    .await;
}

#[tokio::test]
async fn free_slots_page_through_in_order_without_gaps_or_repeats() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 7).await;
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .free_slots_after(
                    clinic.service.id,
                    jointly_domain::slot::AppointmentKind::Any,
                    now(),
                    after.as_ref(),
                    3,
                )
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|v| v.slot.clone());
            seen.extend(page.into_iter().map(|v| v.slot.id));
        }
        let expected: Vec<_> = slots.iter().map(|s| s.id).collect();
        assert_eq!(seen, expected);
    })
    .await;
}

#[tokio::test]
async fn the_slot_after_can_be_held_once_for_a_double_appointment_and_given_back() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let first = seed_slots(&store, &clinic, 1).await.remove(0);
        let next = jointly_domain::slot::Slot {
            id: jointly_domain::SlotId::new(),
            start: first.end,
            end: first.end + jiff::SignedDuration::from_mins(30),
            ..first.clone()
        };
        let mut tx = store.begin().await.unwrap();
        tx.insert_slots(std::slice::from_ref(&next), now())
            .await
            .unwrap();
        assert_eq!(
            tx.hold_following_slot(&first, now()).await.unwrap(),
            Some(next.id)
        );
        assert_eq!(
            tx.hold_following_slot(&first, now()).await.unwrap(),
            None,
            "held once"
        );
        assert_eq!(
            tx.hold_following_slot(&next, now()).await.unwrap(),
            None,
            "nothing after it"
        );
        tx.commit().await.unwrap();
        let held = store.slot_view(next.id).await.unwrap().unwrap();
        assert_eq!(held.slot.status, jointly_domain::slot::SlotStatus::Blocked);
        let mut tx = store.begin().await.unwrap();
        tx.release_held_slot(next.id, now()).await.unwrap();
        tx.commit().await.unwrap();
        let free = store.slot_view(next.id).await.unwrap().unwrap();
        assert_eq!(free.slot.status, jointly_domain::slot::SlotStatus::Free);
    })
    .await;
}
