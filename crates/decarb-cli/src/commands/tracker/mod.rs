//! `decarb plants|projects|members|pledges|partnerships`: reading and editing the tracker store,
//! one module per command. Every list takes filters, `--as-of DATE` (what the tracker said that
//! day) and `--format`; what they share is `crate::store_args`.

mod members;
mod partnerships;
mod plants;
mod pledges;
mod projects;

pub use members::{MembersCli, run_members};
pub use partnerships::{PartnershipsCli, run_partnerships};
pub use plants::{PlantsCli, run_plants};
pub use pledges::{PledgesCli, run_pledges};
pub use projects::{ProjectsCli, run_projects};
