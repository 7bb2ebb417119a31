//! Stable codes for the small vocabularies of the domain: every value, its code, and parsing back.

/// Gives an enum `ALL`, `as_str` and `parse` from a list of variants and their stable codes.
macro_rules! codes {
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            /// Stable code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            /// Parses a stable code.
            pub fn parse(input: &str) -> Result<Self, $crate::error::Invalid> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == input.trim())
                    .ok_or($crate::error::Invalid("choose"))
            }
        }
    };
}

pub(crate) use codes;
