//! decarb-cbam: what a carbon border adjustment costs, in decimal arithmetic, following
//! docs/CBAM.md. The EU CBAM (Reg. (EU) 2023/956 and its implementing acts) in its definitive
//! period from 2026: embedded emissions of simple and complex goods (IR 2025/2547), default
//! values with the mark-up (IR 2025/2621 as corrected by IR 2026/1740), the free-allocation
//! adjustment (IR 2025/2620), the deduction for carbon price paid abroad (Art. 9), certificate
//! prices (Art. 21), the 50 t de minimis rule (Art. 2a) and the rounding of §11; and the UK CBAM
//! (Finance Act 2026) as a second regime. The legal reference tables are bundled (`facts/`).
//!
//! ```
//! use decarb_cbam::{CnCode, Facts, Origin, QuoteRequest, quote};
//! use rust_decimal::Decimal;
//! let facts = Facts::bundled().unwrap();
//! let mut request = QuoteRequest::new(
//!     CnCode::parse("7208").unwrap(), Origin::parse("IND").unwrap(), Decimal::ONE, 2026);
//! request.correction_factor = Some(Decimal::ONE);
//! request.certificate_price = Some("75.36".parse().unwrap());
//! let quote = quote(facts, &request).unwrap();
//! // 4.280 × 1.1 = 4.708 declared; FAA 0.975 × 1 × 1.370; net 3.37225 t; EUR 254.13 a tonne.
//! assert_eq!(quote.see_declared.to_string(), "4.708");
//! assert_eq!(quote.certificates_exact.to_string(), "3.37225");
//! assert_eq!(quote.cost_per_tonne.round_dp(2).to_string(), "254.13");
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod cn;
pub mod declare;
pub mod emissions;
pub mod error;
pub mod exposure;
pub mod facts;
pub mod installations;
pub mod num;
pub mod obligation;
pub mod origin;
pub mod price;
pub mod rules;
pub mod schedule;

pub use cn::{CbamSector, CnCode};
pub use declare::{Declaration, DeclareOptions, declare, quarterly_holding, read_imports};
pub use error::{Error, LineError, Result};
pub use facts::Facts;
pub use obligation::{EmissionsInput, Note, NoteKind, Quote, QuoteRequest, Regime, Step, quote};
pub use origin::Origin;
pub use price::Date;
pub use rules::{BeyondPublished, MarkupRounding};
pub use schedule::schedule;
