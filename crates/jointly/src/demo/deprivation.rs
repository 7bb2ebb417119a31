//! A synthetic deprivation lookup for the demo region, written in the official layouts (the
//! ONS postcode lookup's `pcds` and `lsoa21cd`; the English Indices of Deprivation's LSOA
//! code and IMD decile) and imported through the same reader as real files. Each postcode
//! sector is one made-up neighbourhood; central Luton and Bletchley are the most deprived, as
//! in the real indices, but every code and decile here is invented.

use jointly_domain::contact::Postcode;
use jointly_domain::patient::Patient;
use jointly_store::Store;

use super::people::OUTWARD;

/// The version recorded for the synthetic lookup, so nobody mistakes it for the real one.
pub const VERSION: &str = "synthetic demo (IoD2025 layout)";

/// Each demo district's typical decile, in [`OUTWARD`] order.
const DISTRICT_DECILE: [u8; 16] = [4, 7, 3, 8, 5, 7, 9, 9, 1, 3, 5, 2, 4, 2, 3, 6];

/// The made-up LSOA of a postcode: one per district and sector.
fn lsoa(postcode: &Postcode) -> Option<(String, u8)> {
    let district = OUTWARD
        .iter()
        .position(|(outward, _)| *outward == postcode.outward())?;
    let sector = postcode
        .as_str()
        .rsplit(' ')
        .next()
        .and_then(|inward| inward.chars().next())
        .and_then(|c| c.to_digit(10))?;
    let centre = i16::from(DISTRICT_DECILE[district]);
    // Neighbourhoods in a district differ a little: sectors 1–3 a decile more deprived,
    // 7–9 a decile less.
    let shift = match sector {
        1..=3 => -1,
        7..=9 => 1,
        _ => 0,
    };
    let decile = u8::try_from((centre + shift).clamp(1, 10)).ok()?;
    Some((
        format!("E01{:06}", 900_000 + district * 10 + sector as usize),
        decile,
    ))
}

/// The decile the demo gives a person's postcode (none outside the demo region).
pub fn decile_of(postcode: &Postcode) -> Option<u8> {
    lsoa(postcode).map(|(_, decile)| decile)
}

/// The two files, as CSV text in the official layouts, for everyone's postcodes.
pub fn files(patients: &[Patient]) -> (String, String) {
    let mut postcodes = String::from("pcds,dointr,doterm,usertype,lsoa21cd\n");
    let mut lsoas = std::collections::BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for patient in patients {
        let Some((code, decile)) = lsoa(&patient.postcode) else {
            continue;
        };
        if seen.insert(patient.postcode.as_str().to_owned()) {
            postcodes.push_str(&format!("{},202401,,0,{code}\n", patient.postcode.as_str()));
        }
        lsoas.insert(code, decile);
    }
    let mut imd = String::from(
        "LSOA code (2021),LSOA name (2021),\
         Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n",
    );
    for (code, decile) in lsoas {
        imd.push_str(&format!("{code},Demo neighbourhood {code},{decile}\n"));
    }
    (postcodes, imd)
}

/// Imports the synthetic lookup through the official files' reader.
pub async fn import(store: &Store, patients: &[Patient]) -> anyhow::Result<()> {
    let (postcodes, imd) = files(patients);
    let (postcodes, _) = jointly_app::read_postcode_lookup(postcodes.as_bytes())?;
    let (deciles, version) = jointly_app::read_imd_file(imd.as_bytes(), Some(VERSION))?;
    let mut tx = store.begin().await?;
    tx.put_postcode_lsoas(&postcodes).await?;
    tx.put_lsoa_deciles(&version, &deciles).await?;
    tx.commit().await?;
    Ok(())
}
