//! Education and signposting as use cases: the education pages and the community directory
//! are for anyone (they hold no personal data); clinicians and triage clinicians with a
//! relationship signpost or refer a person to a page or a service, and it goes in the person's
//! passport. Every read of a person's signpostings is audited.

use jointly_domain::access::Permission;
use jointly_domain::conversation::Author;
use jointly_domain::directory::{Directory, SignpostAnswers, Signposting, new_signposting};
use jointly_domain::education::Education;
use jointly_domain::patient::Patient;
use jointly_domain::{PatientId, SignpostingId};

use crate::principal::Principal;
use crate::{App, AppError};

/// What the signposting page shows about a person.
#[derive(Clone, Debug)]
pub struct SignpostView {
    /// Whose.
    pub patient: Patient,
    /// Signpostings so far, oldest first.
    pub signpostings: Vec<Signposting>,
    /// Codes of the education pages about the body areas of the person's referrals.
    pub suggested_topics: Vec<String>,
}

impl App {
    /// The education pages.
    pub fn education(&self) -> &Education {
        &self.content().education
    }

    /// The community directory.
    pub fn directory(&self) -> &Directory {
        &self.content().directory
    }

    /// A person's signpostings, for staff with a relationship (the read is audited), with the
    /// education pages that suit their referrals.
    pub async fn signpostings(
        &self,
        by: &Principal,
        patient_id: PatientId,
    ) -> Result<SignpostView, AppError> {
        by.require(Permission::Signpost)?;
        let (_, patient) = self.read_record(by, patient_id, "signposting.view").await?;
        let signpostings = self.store.signpostings(patient_id).await?;
        let mut suggested_topics: Vec<String> = Vec::new();
        for view in self.store.referrals_for_patient(patient_id).await? {
            let area = view.referral.problem_area.as_str();
            for topic in self.education().for_area(area) {
                if !suggested_topics.contains(&topic.id) {
                    suggested_topics.push(topic.id.clone());
                }
            }
        }
        Ok(SignpostView {
            patient,
            signpostings,
            suggested_topics,
        })
    }

    /// A clinician with a relationship signposts or refers the person to a page or a
    /// community service; it goes in their passport in the same transaction as its audit.
    pub async fn signpost(
        &self,
        by: &Principal,
        patient_id: PatientId,
        answers: &SignpostAnswers,
    ) -> Result<Signposting, AppError> {
        by.require(Permission::Signpost)?;
        let Author::Staff(staff) = self
            .passport_author(by, patient_id, "passport.signpost")
            .await?
        else {
            return Err(AppError::Forbidden);
        };
        let now = self.clock.now();
        let signposting = new_signposting(
            patient_id,
            answers,
            self.directory(),
            self.education(),
            staff,
            SignpostingId::new(),
            now,
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_signposting(&signposting).await?;
        tx.insert_audit(&[self.passport_audit(by, patient_id, "passport.signpost", now)])
            .await?;
        tx.commit().await?;
        Ok(signposting)
    }
}
