//! Patients.

use jiff::Timestamp;
use jiff::civil::Date;
use jointly_domain::PatientId;
use jointly_domain::contact::{Address, ContactChannel, EmailAddress, PhoneNumber, Postcode};
use jointly_domain::nhs_number::NhsNumber;
use jointly_domain::patient::{EthnicCategory, Language, NamePart, Patient, PersonName, Sex};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! columns {
    () => {
        "id, nhs_number, given_name, family_name, date_of_birth, sex, ethnicity, postcode, \
         address_line1, address_line2, town, phone, email, preferred_language, preferred_contact"
    };
}
pub(crate) use columns as patient_columns;

pub(crate) fn patient_from_row(row: &impl DbRow) -> Result<Patient, StoreError> {
    let address = match (row.opt_text("address_line1")?, row.opt_text("town")?) {
        (Some(line1), Some(town)) => Some(Address {
            line1,
            line2: row.opt_text("address_line2")?,
            town,
        }),
        _ => None,
    };
    Ok(Patient {
        id: PatientId::from_uuid(row.uuid("id")?),
        nhs_number: row.opt_parsed("nhs_number", NhsNumber::parse)?,
        name: PersonName {
            given: row.parsed("given_name", NamePart::parse)?,
            family: row.parsed("family_name", NamePart::parse)?,
        },
        date_of_birth: row.date("date_of_birth")?,
        sex: row.parsed("sex", Sex::parse)?,
        ethnicity: row.opt_parsed("ethnicity", EthnicCategory::parse)?,
        postcode: row.parsed("postcode", Postcode::parse)?,
        address,
        phone: row.opt_parsed("phone", PhoneNumber::parse)?,
        email: row.opt_parsed("email", EmailAddress::parse)?,
        preferred_language: row.parsed("preferred_language", Language::parse)?,
        preferred_contact: row.parsed("preferred_contact", ContactChannel::parse)?,
    })
}

impl Store {
    /// The patient with `id`.
    pub async fn find_patient(&self, id: PatientId) -> Result<Option<Patient>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM patient WHERE id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(patient_from_row).transpose()
        })
    }

    /// Patients with this email address or phone number and date of birth; used to send a
    /// sign-in code without revealing whether anyone matched.
    pub async fn find_patients_by_contact(
        &self,
        email: Option<&EmailAddress>,
        phone: Option<&PhoneNumber>,
        date_of_birth: Date,
    ) -> Result<Vec<Patient>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM patient \
                 WHERE date_of_birth = $1 AND (lower(email) = lower($2) OR phone = $3) \
                 ORDER BY created_at DESC LIMIT 5"
            );
            let rows = sqlx::query(sql)
                .bind(date_of_birth.to_string())
                .bind(email.map(EmailAddress::as_str))
                .bind(phone.map(PhoneNumber::as_str))
                .fetch_all(pool)
                .await?;
            rows.iter().map(patient_from_row).collect()
        })
    }

    /// The patient with this NHS number, if we know one.
    pub async fn find_patient_by_nhs_number(
        &self,
        nhs_number: &NhsNumber,
    ) -> Result<Option<Patient>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM patient WHERE nhs_number = $1 ORDER BY created_at LIMIT 1"
            );
            let row = sqlx::query(sql).bind(nhs_number.as_digits()).fetch_optional(pool).await?;
            row.as_ref().map(patient_from_row).transpose()
        })
    }
}

impl Store {
    /// People born on `date_of_birth` with family name `family` (any case): the candidates when
    /// a new referral may be someone we know.
    pub async fn find_patients_by_birth_and_family(
        &self,
        date_of_birth: Date,
        family: &str,
    ) -> Result<Vec<Patient>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM patient WHERE date_of_birth = $1 AND lower(family_name) = lower($2) \
                 ORDER BY created_at LIMIT 20"
            );
            let rows = sqlx::query(sql).bind(date_of_birth.to_string()).bind(family).fetch_all(pool).await?;
            rows.iter().map(patient_from_row).collect()
        })
    }
}

impl Tx {
    /// Brings a known person's contact details up to date from a new referral (their latest
    /// word on how to reach them); an NHS number is only ever added, never changed.
    pub async fn update_patient_contact(
        &mut self,
        patient: &Patient,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let address = patient.address.as_ref();
        write!(self, conn => {
            sqlx::query(
                "UPDATE patient SET nhs_number = COALESCE(nhs_number, $2), postcode = $3, \
                 address_line1 = $4, address_line2 = $5, town = $6, phone = $7, email = $8, \
                 preferred_language = $9, preferred_contact = $10, updated_at = $11, \
                 version = version + 1 WHERE id = $1",
            )
            .bind(patient.id.as_uuid())
            .bind(patient.nhs_number.map(|n| n.as_digits()))
            .bind(patient.postcode.as_str())
            .bind(address.map(|a| a.line1.as_str()))
            .bind(address.and_then(|a| a.line2.as_deref()))
            .bind(address.map(|a| a.town.as_str()))
            .bind(patient.phone.as_ref().map(PhoneNumber::as_str))
            .bind(patient.email.as_ref().map(EmailAddress::as_str))
            .bind(patient.preferred_language.code())
            .bind(patient.preferred_contact.as_str())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a new patient.
    pub async fn insert_patient(
        &mut self,
        patient: &Patient,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let address = patient.address.as_ref();
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO patient (id, nhs_number, given_name, family_name, date_of_birth, sex, \
                 ethnicity, postcode, address_line1, address_line2, town, phone, email, \
                 preferred_language, preferred_contact, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)",
            )
            .bind(patient.id.as_uuid())
            .bind(patient.nhs_number.map(|n| n.as_digits()))
            .bind(patient.name.given.as_str())
            .bind(patient.name.family.as_str())
            .bind(patient.date_of_birth.to_string())
            .bind(patient.sex.as_str())
            .bind(patient.ethnicity.map(|e| e.code().to_string()))
            .bind(patient.postcode.as_str())
            .bind(address.map(|a| a.line1.as_str()))
            .bind(address.and_then(|a| a.line2.as_deref()))
            .bind(address.map(|a| a.town.as_str()))
            .bind(patient.phone.as_ref().map(PhoneNumber::as_str))
            .bind(patient.email.as_ref().map(EmailAddress::as_str))
            .bind(patient.preferred_language.code())
            .bind(patient.preferred_contact.as_str())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The patient with `id`, read inside this transaction.
    pub async fn find_patient(&mut self, id: PatientId) -> Result<Option<Patient>, StoreError> {
        write!(self, conn => {
            let sql = concat!("SELECT ", columns!(), " FROM patient WHERE id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(&mut *conn).await?;
            row.as_ref().map(patient_from_row).transpose()
        })
    }
}
