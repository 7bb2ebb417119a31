//! Feedback as use cases. Anyone gives feedback at any time (the Friends and Family Test with a
//! free-text follow-up, a story with consent); signed in, it is about their latest care; from
//! the link in a message, about that referral at that point, once. Customer care (coordinators
//! and service managers) reads it, tags its themes, enters answers given on paper or by phone,
//! answers concerns by their deadlines, keeps "you said, we did" and makes the monthly FFT
//! return. Reading feedback about a person is audited.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use jointly_domain::access::Permission;
use jointly_domain::feedback::{
    Concern, ConcernAnswers, Feedback, FeedbackAnswers, FeedbackContext, FftCounts, Improvement,
    ImprovementAnswers, Mode, Moment, Theme, fft_return_csv, improvement, new_concern,
    new_feedback, ticked_themes,
};
use jointly_domain::{
    ConcernId, FeedbackId, ImprovementId, Invalid, ServiceId, ValidationErrors, local, london,
};
use jointly_store::{AuditAction, AuditOutcome, StoreError};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// Most feedback shown on the review page.
const REVIEW_LIMIT: u32 = 500;
/// Most concerns listed.
const CONCERN_LIMIT: u32 = 200;

/// What a feedback link's page shows.
#[derive(Clone, Debug)]
pub struct FeedbackLink {
    /// The service the referral is with, when triaged.
    pub service_name: Option<String>,
    /// The point in the journey it asks about.
    pub moment: Moment,
    /// Already answered through this link.
    pub answered: bool,
}

/// A month of feedback for customer care.
#[derive(Clone, Debug)]
pub struct FeedbackReview {
    /// The month, `YYYY-MM`.
    pub period: String,
    /// Its feedback, newest first.
    pub items: Vec<Feedback>,
    /// Service names by id.
    pub services: HashMap<ServiceId, String>,
    /// The FFT answers counted.
    pub counts: FftCounts,
    /// Themes tagged, month by month for the last twelve months (oldest first).
    pub themes: Vec<(String, BTreeMap<Theme, u64>)>,
}

/// The first instant of `period` (`YYYY-MM`, London time) and of the month after, or a named
/// problem.
fn month_bounds(period: &str) -> Result<(Timestamp, Timestamp), AppError> {
    let invalid = || {
        let mut errors = ValidationErrors::new();
        errors.add("month", Invalid("invalid"));
        AppError::Invalid(errors)
    };
    let start: Date = format!("{}-01", period.trim())
        .parse()
        .map_err(|_| invalid())?;
    let next = start
        .checked_add(jiff::Span::new().months(1))
        .map_err(|_| invalid())?;
    let instant = |d: Date| {
        d.to_zoned(london())
            .map(|z| z.timestamp())
            .map_err(|_| invalid())
    };
    Ok((instant(start)?, instant(next)?))
}

fn month_of(at: Timestamp) -> String {
    local(at).date().strftime("%Y-%m").to_string()
}

impl App {
    /// Feedback given online: by a signed-in person (about their latest referral), or by
    /// anyone, anonymously, at any time.
    pub async fn give_feedback(
        &self,
        by: &Principal,
        answers: &FeedbackAnswers,
        moment: &str,
    ) -> Result<Feedback, AppError> {
        let mut errors = ValidationErrors::new();
        let moment = errors.check("moment", Moment::parse(moment));
        let (patient_id, referral) = match by {
            Principal::Patient { id, .. } => {
                let latest = self
                    .store
                    .referrals_for_patient(*id)
                    .await?
                    .into_iter()
                    .next()
                    .map(|v| v.referral);
                (Some(*id), latest)
            }
            // Anyone else (a visitor, or staff using the public form) gives it anonymously.
            _ => (None, None),
        };
        let context = FeedbackContext {
            patient_id,
            referral_id: referral.as_ref().map(|r| r.id),
            service_id: referral.as_ref().and_then(|r| r.service_id),
            moment: moment.unwrap_or(Moment::AnyTime),
            mode: Mode::Online,
            entered_by_staff: false,
        };
        let feedback = new_feedback(answers, context, FeedbackId::new(), self.clock.now());
        let feedback = merge(errors, feedback)?;
        self.save_feedback(by, &feedback).await?;
        Ok(feedback)
    }

    /// What a feedback link is about; a link this service did not sign is not found.
    pub async fn feedback_link(&self, token: &str) -> Result<FeedbackLink, AppError> {
        let (referral, moment) = self.verified_feedback_link(token)?;
        let referral = self
            .store
            .find_referral(referral)
            .await?
            .ok_or(AppError::NotFound)?;
        let service_name = match referral.service_id {
            Some(id) => self.store.find_service(id).await?.map(|s| s.name),
            None => None,
        };
        let answered = self.store.link_feedback_given(referral.id, moment).await?;
        Ok(FeedbackLink {
            service_name,
            moment,
            answered,
        })
    }

    fn verified_feedback_link(
        &self,
        token: &str,
    ) -> Result<(jointly_domain::ReferralId, Moment), AppError> {
        self.renderer
            .link_key()
            .and_then(|key| key.verify_feedback(token))
            .ok_or(AppError::NotFound)
    }

    /// Feedback from the link in a message: about that referral at that point, once (a second
    /// answer is `feedback_given`).
    pub async fn give_feedback_by_link(
        &self,
        token: &str,
        answers: &FeedbackAnswers,
    ) -> Result<Feedback, AppError> {
        let (referral_id, moment) = self.verified_feedback_link(token)?;
        let referral = self
            .store
            .find_referral(referral_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let by = Principal::AppointmentLink {
            patient: referral.patient_id,
        };
        let context = FeedbackContext {
            patient_id: Some(referral.patient_id),
            referral_id: Some(referral.id),
            service_id: referral.service_id,
            moment,
            mode: Mode::MessageLink,
            entered_by_staff: false,
        };
        let feedback = new_feedback(answers, context, FeedbackId::new(), self.clock.now())?;
        self.save_feedback(&by, &feedback)
            .await
            .map_err(|e| match e {
                AppError::Conflict(_) => AppError::Conflict("feedback_given"),
                other => other,
            })?;
        Ok(feedback)
    }

    /// Customer care enters feedback given on paper or by phone, about a service (or none)
    /// at a point in the journey.
    pub async fn enter_feedback(
        &self,
        by: &Principal,
        answers: &FeedbackAnswers,
        service: &str,
        moment: &str,
    ) -> Result<Feedback, AppError> {
        by.require(Permission::ReviewFeedback)?;
        let mut errors = ValidationErrors::new();
        let moment = errors.check("moment", Moment::parse(moment));
        let service_id = match service.trim() {
            "" => None,
            chosen => {
                let found = self
                    .store
                    .list_services()
                    .await?
                    .into_iter()
                    .find(|s| s.id.to_string() == chosen)
                    .map(|s| s.id);
                if found.is_none() {
                    errors.add("about_service", Invalid("choose"));
                }
                found
            }
        };
        let context = FeedbackContext {
            patient_id: None,
            referral_id: None,
            service_id,
            moment: moment.unwrap_or(Moment::AnyTime),
            mode: Mode::Paper,
            entered_by_staff: true,
        };
        let feedback = new_feedback(answers, context, FeedbackId::new(), self.clock.now());
        let feedback = merge(errors, feedback)?;
        self.save_feedback(by, &feedback).await?;
        Ok(feedback)
    }

    async fn save_feedback(&self, by: &Principal, feedback: &Feedback) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        tx.insert_feedback(feedback).await?;
        if let Some(patient) = feedback.patient_id {
            tx.insert_audit(&[by.audit(
                feedback.at,
                AuditAction::Create,
                "feedback.give",
                AuditOutcome::Allowed,
                Audited {
                    entity: "feedback",
                    id: feedback.id.as_uuid(),
                    patient,
                },
            )])
            .await?;
        }
        tx.commit().await.map_err(|e| match e {
            StoreError::Conflict(_) => AppError::Conflict("feedback_given"),
            other => other.into(),
        })
    }

    /// A month's feedback (`YYYY-MM`; this month when blank) with its FFT counts, and the
    /// themes tagged over the last twelve months. Feedback about a person is audited as read.
    pub async fn feedback_review(
        &self,
        by: &Principal,
        period: &str,
    ) -> Result<FeedbackReview, AppError> {
        by.require(Permission::ReviewFeedback)?;
        let now = self.clock.now();
        let period = if period.trim().is_empty() {
            month_of(now)
        } else {
            period.trim().to_owned()
        };
        let (from, to) = month_bounds(&period)?;
        let items = self.store.feedback_between(from, to, REVIEW_LIMIT).await?;
        let mut counts = FftCounts::default();
        for item in &items {
            counts.add(item.answer, item.mode);
        }
        let year_ago = to
            .saturating_sub(jiff::SignedDuration::from_hours(24 * 366))
            .unwrap_or(from);
        let mut themes: BTreeMap<String, BTreeMap<Theme, u64>> = BTreeMap::new();
        for item in self.store.feedback_between(year_ago, to, 100_000).await? {
            let month = themes.entry(month_of(item.at)).or_default();
            for theme in &item.themes {
                *month.entry(*theme).or_default() += 1;
            }
        }
        let services = self
            .store
            .list_services()
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let audit: Vec<_> = items
            .iter()
            .filter_map(|f| {
                f.patient_id.map(|patient| {
                    by.audit(
                        now,
                        AuditAction::Read,
                        "feedback.review",
                        AuditOutcome::Allowed,
                        Audited {
                            entity: "feedback",
                            id: f.id.as_uuid(),
                            patient,
                        },
                    )
                })
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok(FeedbackReview {
            period,
            items,
            services,
            counts,
            themes: themes.into_iter().collect(),
        })
    }

    /// Tags feedback with the themes ticked (replacing earlier ones).
    pub async fn tag_feedback(
        &self,
        by: &Principal,
        id: FeedbackId,
        ticked: &[String],
    ) -> Result<Vec<Theme>, AppError> {
        by.require(Permission::ReviewFeedback)?;
        let themes = ticked_themes(ticked.iter().map(String::as_str))?;
        self.store
            .find_feedback(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        tx.set_feedback_themes(id, &themes).await?;
        tx.commit().await?;
        Ok(themes)
    }

    /// The FFT return for `period` (`YYYY-MM`) as CSV, one row per service.
    pub async fn fft_return(&self, by: &Principal, period: &str) -> Result<String, AppError> {
        by.require(Permission::ReviewFeedback)?;
        let (from, to) = month_bounds(period)?;
        let mut by_service: BTreeMap<Option<ServiceId>, FftCounts> = BTreeMap::new();
        for (service, answer, mode, n) in self.store.fft_counts(from, to).await? {
            by_service
                .entry(service)
                .or_default()
                .add_many(answer, mode, n);
        }
        let services: HashMap<ServiceId, (String, String)> = self
            .store
            .list_services()
            .await?
            .into_iter()
            .map(|s| (s.id, (s.code, s.name)))
            .collect();
        let rows: Vec<_> = by_service
            .into_iter()
            .map(|(service, counts)| {
                let (code, name) = service
                    .and_then(|id| services.get(&id).cloned())
                    .unwrap_or_else(|| ("ALL".to_owned(), "Not about one service".to_owned()));
                (code, name, counts)
            })
            .collect();
        Ok(fft_return_csv(
            &self.settings().organisation_code,
            period.trim(),
            &rows,
        ))
    }

    /// Raises a concern with customer care: by a signed-in person, or by anyone who says who
    /// they are and how to reach them. Its deadlines count working days.
    pub async fn raise_concern(
        &self,
        by: &Principal,
        answers: &ConcernAnswers,
    ) -> Result<Concern, AppError> {
        let patient_id = match by {
            Principal::Patient { id, .. } => Some(*id),
            _ => None,
        };
        let concern = new_concern(
            answers,
            patient_id,
            &self.content().bank_holidays,
            ConcernId::new(),
            self.clock.now(),
        )?;
        let mut tx = self.store.begin().await?;
        tx.insert_concern(&concern).await?;
        tx.commit().await?;
        Ok(concern)
    }

    /// Every concern for customer care: open ones first, soonest deadline first.
    pub async fn concerns(&self, by: &Principal) -> Result<Vec<Concern>, AppError> {
        by.require(Permission::ReviewFeedback)?;
        Ok(self.store.concerns(CONCERN_LIMIT).await?)
    }

    /// Customer care acknowledges or answers a concern, from the version they read.
    pub async fn act_on_concern(
        &self,
        by: &Principal,
        id: ConcernId,
        status: &str,
        response: &str,
        version: &str,
    ) -> Result<Concern, AppError> {
        by.require(Permission::ReviewFeedback)?;
        let staff = by.staff_id().ok_or(AppError::Forbidden)?;
        let mut concern = self
            .store
            .find_concern(id)
            .await?
            .ok_or(AppError::NotFound)?;
        concern
            .act(status, response, version, staff)
            .map_err(|e| match e {
                jointly_domain::DomainError::Invalid(found)
                    if found.errors().iter().any(|p| p.problem == "stale") =>
                {
                    AppError::Conflict("concern_changed")
                }
                other => other.into(),
            })?;
        let mut tx = self.store.begin().await?;
        tx.update_concern(&concern).await?;
        tx.commit().await.map_err(|e| match e {
            StoreError::Conflict(_) => AppError::Conflict("concern_changed"),
            other => other.into(),
        })?;
        Ok(concern)
    }

    /// The services feedback can be about, for customer care entering it.
    pub async fn feedback_services(
        &self,
        by: &Principal,
    ) -> Result<Vec<jointly_domain::service::Service>, AppError> {
        by.require(Permission::ReviewFeedback)?;
        Ok(self.store.list_services().await?)
    }

    /// Every improvement, for customer care.
    pub async fn improvements(&self, by: &Principal) -> Result<Vec<Improvement>, AppError> {
        by.require(Permission::ReviewFeedback)?;
        Ok(self.store.improvements(false).await?)
    }

    /// The published improvements and stories, for anyone ("you said, we did").
    pub async fn you_said_we_did(&self) -> Result<(Vec<Improvement>, Vec<Feedback>), AppError> {
        Ok((
            self.store.improvements(true).await?,
            self.store.published_stories(20).await?,
        ))
    }

    /// Records an improvement, or changes one (`id`).
    pub async fn save_improvement(
        &self,
        by: &Principal,
        id: Option<ImprovementId>,
        answers: &ImprovementAnswers,
    ) -> Result<Improvement, AppError> {
        by.require(Permission::ReviewFeedback)?;
        if let Some(id) = id {
            self.store
                .find_improvement(id)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        let made = improvement(answers, id.unwrap_or_default(), self.clock.now())?;
        let mut tx = self.store.begin().await?;
        tx.save_improvement(&made).await?;
        tx.commit().await?;
        Ok(made)
    }
}

/// Problems found before the domain check, added to any it found.
fn merge(
    mut errors: ValidationErrors,
    checked: Result<Feedback, jointly_domain::DomainError>,
) -> Result<Feedback, AppError> {
    match checked {
        Ok(feedback) if errors.is_empty() => Ok(feedback),
        Ok(_) => Err(AppError::Invalid(errors)),
        Err(jointly_domain::DomainError::Invalid(found)) => {
            errors.extend(found);
            Err(AppError::Invalid(errors))
        }
        Err(other) => Err(other.into()),
    }
}
