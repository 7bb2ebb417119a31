use jointly_store::testing::{TestDatabase, backends, now, on_each_backend, sample_patient};
use jointly_store::{ConnectOptions, Store};

#[tokio::test]
async fn a_fresh_database_is_fully_migrated_and_migrating_again_changes_nothing() {
    for backend in backends() {
        let db = TestDatabase::create(backend).await;
        assert!(db.store.schema_is_current().await.unwrap());
        db.store.migrate().await.unwrap();
        assert_eq!(db.store.schema_version().await.unwrap(), 20);
        let again = Store::connect(&db.url, &ConnectOptions::default())
            .await
            .unwrap();
        assert!(again.schema_is_current().await.unwrap());
        again.close().await;
        db.remove().await;
    }
}

#[tokio::test]
async fn a_transaction_dropped_without_commit_leaves_nothing() {
    on_each_backend(|store| async move {
        let patient = sample_patient();
        let mut tx = store.begin().await.unwrap();
        tx.insert_patient(&patient, now()).await.unwrap();
        drop(tx);
        assert!(store.find_patient(patient.id).await.unwrap().is_none());
        store.ping().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn settings_are_stored_and_replaced() {
    on_each_backend(|store| async move {
        assert_eq!(store.setting("demo_region").await.unwrap(), None);
        let mut tx = store.begin().await.unwrap();
        tx.put_setting("demo_region", "v1", now()).await.unwrap();
        tx.put_setting("demo_region", "v2", now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.setting("demo_region").await.unwrap().as_deref(),
            Some("v2")
        );
    })
    .await;
}
