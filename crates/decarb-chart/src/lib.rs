//! decarb's one palette. Every chart that colours a sector, a technology or a plant status takes
//! its colour from here by *what the series is*, never by its position in the chart: steel is the
//! same blue in the CLI's SVG, on the dashboard and in a brief, and `steel.eaf-scrap` is the same
//! yellow in every scenario.
//!
//! The colours are the eight of Okabe & Ito, "Color Universal Design (CUD): how to make figures and
//! presentations that are friendly to colorblind people" (2008), as printed by Wong, "Points of
//! view: Color blindness", Nature Methods 8, 441 (2011), Fig. 2: distinguishable under the common
//! forms of colour-vision deficiency. Eight colours cannot give every technology its own, so
//! technologies are coloured by [`Family`], the abatement approach a reader compares (fossil
//! unabated, natural gas, capture, hydrogen, electric, recycling, biomass), and charts of a
//! technology mix stack families ([`family_of`]) with the technologies listed in their tables.

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use decarb_model::{PlantStatus, Route, Sector};

/// A colour as red, green, blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#RRGGBB`, as SVG and CSS take it.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// The Okabe-Ito colours (Wong 2011, Fig. 2), by their published names.
pub mod okabe_ito {
    use super::Rgb;
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    pub const ORANGE: Rgb = Rgb(230, 159, 0);
    pub const SKY_BLUE: Rgb = Rgb(86, 180, 233);
    pub const BLUISH_GREEN: Rgb = Rgb(0, 158, 115);
    pub const YELLOW: Rgb = Rgb(240, 228, 66);
    pub const BLUE: Rgb = Rgb(0, 114, 178);
    pub const VERMILLION: Rgb = Rgb(213, 94, 0);
    pub const REDDISH_PURPLE: Rgb = Rgb(204, 121, 167);
    /// All eight, in the published order.
    pub const ALL: [Rgb; 8] =
        [BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE];
}

/// The colours that name no series: grid lines, muted labels (year markers, units) and the paper
/// a chart file is drawn on (white, so that a viewer with a dark background still shows it).
pub mod neutral {
    use super::Rgb;
    pub const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);
    pub const MUTED: Rgb = Rgb(0x5b, 0x66, 0x73);
    pub const PAPER: Rgb = Rgb(0xff, 0xff, 0xff);
    /// All three.
    pub const ALL: [Rgb; 3] = [GRID, MUTED, PAPER];
}

pub mod svg;

/// A number for people: thousands separated, `digits` decimals, "–" for a non-finite value and
/// no minus sign on a value that rounds to zero. Charts, the dashboard and the briefs print every
/// figure through it, so a page and a brief print the same figure the same way.
pub fn num(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.*}", digits, value.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

use okabe_ito::{BLACK, BLUE, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION, YELLOW};

/// The colour of a sector.
pub fn sector(sector: Sector) -> Rgb {
    match sector {
        Sector::Steel => BLUE,
        Sector::Cement => VERMILLION,
        Sector::Aluminium => SKY_BLUE,
        Sector::Ammonia => BLUISH_GREEN,
    }
}

/// The colour of a plant status: operating green, building orange, announced sky blue, idle
/// purple, gone black or vermillion.
pub fn status(status: PlantStatus) -> Rgb {
    match status {
        PlantStatus::Operating => BLUISH_GREEN,
        PlantStatus::OperatingPreRetirement => YELLOW,
        PlantStatus::Construction => ORANGE,
        PlantStatus::Announced => SKY_BLUE,
        PlantStatus::Mothballed => REDDISH_PURPLE,
        PlantStatus::Retired => BLACK,
        PlantStatus::Cancelled => VERMILLION,
    }
}

/// The colour of a tracker route (the map's "coloured by route"): distinct within each sector's
/// routes, shared across sectors where a map shows one sector at a time. Steel's blast furnace is
/// black like unabated fossil, scrap EAF yellow like recycling, gas DRI orange like natural gas.
pub fn route(route: Route) -> Rgb {
    match route {
        Route::BfBof => BLACK,
        Route::DriEaf | Route::CementGrinding => ORANGE,
        Route::Eaf => YELLOW,
        Route::Ohf | Route::AluminaRefinery => REDDISH_PURPLE,
        Route::IronBf => BLUE,
        Route::IronDri | Route::AluminiumSmelter => SKY_BLUE,
        Route::Bof | Route::CementIntegrated => VERMILLION,
        Route::Ammonia | Route::Unknown => BLUISH_GREEN,
    }
}

/// A technology's family for colour and for the stacked mix charts: the abatement approach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Coal-based or grid-powered routes without capture (BF-BOF, coal kilns, coal gasification,
    /// carbon-anode smelters on the grid).
    FossilUnabated,
    /// Natural-gas routes without capture (gas DRI, gas kilns, SMR, gas boilers).
    NaturalGas,
    /// Any route with CO2 capture for storage or use.
    Capture,
    /// Hydrogen as reductant or fuel (H2-DRI, H2 kilns and calciners, H2 injection).
    Hydrogen,
    /// Electricity as the energy carrier (electrolysis, electric kilns and boilers, inert anodes,
    /// smelters on hydropower).
    Electric,
    /// Secondary production from scrap.
    Recycling,
    /// Biomass and alternative fuels (charcoal, bio-PCI, biomethane, AF kilns).
    Biomass,
    /// Everything else (cement grinding stations).
    Other,
}

impl Family {
    /// Families in the order charts stack them: the incumbent at the bottom.
    pub const ALL: [Family; 8] = [
        Family::FossilUnabated,
        Family::NaturalGas,
        Family::Biomass,
        Family::Recycling,
        Family::Capture,
        Family::Hydrogen,
        Family::Electric,
        Family::Other,
    ];

    /// The label a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Family::FossilUnabated => "Fossil, unabated",
            Family::NaturalGas => "Natural gas",
            Family::Capture => "Carbon capture",
            Family::Hydrogen => "Hydrogen",
            Family::Electric => "Electric",
            Family::Recycling => "Recycling (scrap)",
            Family::Biomass => "Biomass and alternative fuels",
            Family::Other => "Other",
        }
    }

    /// The family's colour.
    pub fn colour(self) -> Rgb {
        match self {
            Family::FossilUnabated => BLACK,
            Family::NaturalGas => ORANGE,
            Family::Capture => BLUE,
            Family::Hydrogen => SKY_BLUE,
            Family::Electric => BLUISH_GREEN,
            Family::Recycling => YELLOW,
            Family::Biomass => REDDISH_PURPLE,
            Family::Other => VERMILLION,
        }
    }
}

/// The family of a technology id (`steel.h2-dri-eaf`, `cement.kiln-gas-oxyfuel-ccs`, or an MPP
/// route name such as `DRI-Melt-BOF+CCUS`), read from the words of its id, most specific first:
/// recycling, then capture (a captured gas route is a capture route), hydrogen, electric,
/// biomass, gas (and DRI, gas-based unless it says otherwise); otherwise fossil unabated. Ids are decarb's
/// own (`decarb tech list`), so the words are stable; a test covers every bundled technology.
pub fn family_of(technology: &str) -> Family {
    let lower = technology.trim().to_ascii_lowercase();
    let id = match lower.split_once('.') {
        Some((sector, rest)) if Sector::ALL.iter().any(|s| s.as_str() == sector) => rest,
        _ => lower.as_str(),
    };
    // Words of the id ("bf-bof-ccus", also MPP's "DRI-Melt-BOF+CCUS" and "BAT BF-BOF_H2 PCI").
    let has = |word: &str| id.split(|c: char| !c.is_ascii_alphanumeric()).any(|part| part == word);
    if id == "recycling" || id == "eaf-scrap" || id == "eaf" {
        Family::Recycling
    } else if id == "grinding-station" {
        Family::Other
    } else if has("ccs") || has("ccus") || has("ccu") || has("beccus") || has("leilac") {
        Family::Capture
    } else if has("h2") || id.contains("hydrogen") || id == "methane-pyrolysis" {
        Family::Hydrogen
    } else if id.contains("electr") || has("inert") || has("mvr") || has("hydro") {
        Family::Electric
    } else if id.contains("bio") || has("af43") || has("af90") || has("charcoal") {
        Family::Biomass
    } else if has("gas") || has("smr") || has("atr") || has("ghr") || has("dri") {
        // Shaft-furnace DRI without hydrogen, capture or biomethane runs on natural gas.
        Family::NaturalGas
    } else {
        Family::FossilUnabated
    }
}

/// The colour of a series by what it names: a sector (`steel`), a plant status (`operating`), a
/// tracker route (`bf-bof`), a family label, a technology id, or one of the reference lines ("straight line to net zero" and
/// other targets are black). Anything else takes a colour from a stable hash of its name, so it
/// never depends on its place in the chart.
pub fn colour_for(name: &str) -> Rgb {
    let key = name.trim().to_ascii_lowercase();
    if let Some(s) = Sector::ALL.iter().find(|s| s.as_str() == key) {
        return sector(*s);
    }
    if let Some(s) = PlantStatus::ALL.iter().find(|s| s.as_str() == key) {
        return status(*s);
    }
    if let Some(r) = Route::ALL.iter().find(|r| r.as_str() == key) {
        return route(*r);
    }
    if let Some(f) = Family::ALL.iter().find(|f| f.label().to_ascii_lowercase() == key) {
        return f.colour();
    }
    if key.contains("net zero") || key.contains("target") || key.contains("pledge") {
        return BLACK;
    }
    if key.contains('.') && Sector::ALL.iter().any(|s| key.starts_with(&format!("{}.", s.as_str()))) {
        return family_of(&key).colour();
    }
    // FNV-1a over the name: stable across runs, platforms and chart layouts.
    let hash =
        key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let index = usize::try_from(hash % 7).unwrap_or(0);
    // Black is kept for fossil and reference lines.
    okabe_ito::ALL[1 + index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(num(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(num(-12.5, 1), "-12.5");
        assert_eq!(num(999.0, 0), "999");
    }

    #[test]
    fn the_colours_are_okabe_itos_as_published() {
        let hex: Vec<String> = okabe_ito::ALL.iter().map(|c| c.hex()).collect();
        assert_eq!(
            hex,
            ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
        );
    }

    #[test]
    fn sectors_statuses_and_families_each_have_their_own_colour() {
        let sectors: std::collections::BTreeSet<String> =
            Sector::ALL.iter().map(|s| sector(*s).hex()).collect();
        assert_eq!(sectors.len(), Sector::ALL.len());
        let statuses: std::collections::BTreeSet<String> =
            PlantStatus::ALL.iter().map(|s| status(*s).hex()).collect();
        assert_eq!(statuses.len(), PlantStatus::ALL.len());
        let families: std::collections::BTreeSet<String> =
            Family::ALL.iter().map(|f| f.colour().hex()).collect();
        assert_eq!(families.len(), Family::ALL.len());
    }

    #[test]
    fn technologies_fall_in_the_family_an_expert_would_put_them_in() {
        let cases = [
            ("steel.bf-bof-avg", Family::FossilUnabated),
            ("steel.bf-bof-bat", Family::FossilUnabated),
            ("steel.bf-bof-ccus", Family::Capture),
            ("steel.bf-bof-bio-pci", Family::Biomass),
            ("steel.bf-bof-h2-pci", Family::Hydrogen),
            ("steel.dri-eaf-gas", Family::NaturalGas),
            ("steel.dri-eaf-ccus", Family::Capture),
            ("steel.h2-dri-eaf", Family::Hydrogen),
            ("steel.dri-melt-bof-h2", Family::Hydrogen),
            ("steel.eaf-scrap", Family::Recycling),
            ("steel.electrowinning-eaf", Family::Electric),
            ("steel.smelting-reduction", Family::FossilUnabated),
            ("steel.dri-melt-bof", Family::NaturalGas),
            ("DRI-Melt-BOF+CCUS", Family::Capture),
            ("BAT BF-BOF_H2 PCI", Family::Hydrogen),
            ("DRI-EAF_50% bio-CH4", Family::Biomass),
            ("EAF", Family::Recycling),
            ("steel.charcoal-mini-furnace", Family::Biomass),
            ("cement.kiln-coal", Family::FossilUnabated),
            ("cement.kiln-gas", Family::NaturalGas),
            ("cement.kiln-af90", Family::Biomass),
            ("cement.kiln-gas-oxyfuel-ccs", Family::Capture),
            ("cement.kiln-coal-leilac-ccs", Family::Capture),
            ("cement.electric-kiln-ds", Family::Electric),
            ("cement.h2-kiln-ds", Family::Hydrogen),
            ("cement.grinding-station", Family::Other),
            ("aluminium.smelter-carbon-anode-coal", Family::FossilUnabated),
            ("aluminium.smelter-carbon-anode-grid", Family::FossilUnabated),
            ("aluminium.smelter-carbon-anode-hydro", Family::Electric),
            ("aluminium.smelter-inert-anode-grid", Family::Electric),
            ("aluminium.recycling", Family::Recycling),
            ("aluminium.refinery-gas-boiler-gas-calciner", Family::NaturalGas),
            ("aluminium.refinery-h2-boiler-h2-calciner", Family::Hydrogen),
            ("aluminium.refinery-electric-boiler-electric-calciner", Family::Electric),
            ("ammonia.smr", Family::NaturalGas),
            ("ammonia.atr-ccs", Family::Capture),
            ("ammonia.coal-gasification", Family::FossilUnabated),
            ("ammonia.electrolytic-vre-cavern", Family::Electric),
            ("ammonia.biomass-gasification", Family::Biomass),
        ];
        for (id, family) in cases {
            assert_eq!(family_of(id), family, "{id}");
        }
    }

    #[test]
    fn a_series_keeps_its_colour_whatever_it_is_called_next_to() {
        assert_eq!(colour_for("steel"), sector(Sector::Steel));
        assert_eq!(colour_for("Steel"), sector(Sector::Steel));
        assert_eq!(colour_for("operating"), status(PlantStatus::Operating));
        assert_eq!(colour_for("steel.eaf-scrap"), Family::Recycling.colour());
        assert_eq!(colour_for("Hydrogen"), Family::Hydrogen.colour());
        assert_eq!(colour_for("straight line to net zero"), okabe_ito::BLACK);
        assert_eq!(colour_for("some region"), colour_for("some region"));
        assert_ne!(colour_for("some region"), okabe_ito::BLACK);
    }
}
