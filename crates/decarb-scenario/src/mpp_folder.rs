//! A run on an MPP model's input folder (steel, aluminium, ammonia): the world built from the
//! folder and the scenario it runs (a scenario file written for that world, or one of the
//! model's bundled examples), with the folder's resource limits added. One place for `decarb run
//! --mpp-*` and `decarb validate mpp-*`.

use crate::source::{ScenarioSource, SourceError, file_or_listed};
use decarb_engine::{Scenario, World};
use std::path::Path;

/// The MPP model whose input folder a run reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MppModel {
    Steel,
    Aluminium,
    Ammonia,
}

/// Why an MPP folder's world or scenario could not be had: the folder's files (an error that
/// points into them), or the mapping, the scenario's source or the scenario itself.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] decarb_data::Error),
    #[error("{0}")]
    Invalid(String),
}

impl MppModel {
    /// The bundled example run when neither a scenario file nor an example is named.
    pub fn default_example(self) -> &'static str {
        match self {
            MppModel::Steel => "mpp-carbon-cost",
            MppModel::Aluminium => "mpp-aluminium-lc",
            MppModel::Ammonia => "mpp-ammonia-lc-cc200",
        }
    }

    /// How errors name the model's examples.
    fn label(self) -> &'static str {
        match self {
            MppModel::Steel => "MPP",
            MppModel::Aluminium => "MPP aluminium",
            MppModel::Ammonia => "MPP ammonia",
        }
    }

    fn examples(self) -> &'static [(&'static str, &'static str)] {
        match self {
            MppModel::Steel => &crate::mpp::EXAMPLES,
            MppModel::Aluminium => &crate::mpp_aluminium::EXAMPLES,
            MppModel::Ammonia => &crate::mpp_ammonia::EXAMPLES,
        }
    }

    /// The scenario a run on this model's world uses: the file when given, else the bundled
    /// example `example` (the default example when none is named).
    pub fn scenario_source(
        self,
        file: Option<&Path>,
        example: Option<&str>,
    ) -> Result<ScenarioSource, SourceError> {
        file_or_listed(file, example.unwrap_or(self.default_example()), self.label(), self.examples())
    }

    /// Reads the input folder `dir` and loads the scenario ([`MppModel::scenario_source`]) on its
    /// world.
    pub fn load(
        self,
        dir: &Path,
        file: Option<&Path>,
        example: Option<&str>,
    ) -> Result<(World, Scenario), LoadError> {
        let invalid = |e: &dyn std::fmt::Display| LoadError::Invalid(e.to_string());
        match self {
            MppModel::Steel => {
                let inputs = decarb_data::mpp_steel::read_inputs(dir)?;
                let world = crate::mpp::world(&inputs).map_err(|e| invalid(&e))?;
                let source = self.scenario_source(file, example).map_err(|e| invalid(&e))?;
                let scenario = crate::mpp::scenario(&source.text, &source.origin, &inputs, &world)
                    .map_err(|e| invalid(&e))?;
                Ok((world, scenario))
            }
            MppModel::Aluminium => {
                let inputs = decarb_data::mpp_aluminium::read_inputs(dir)?;
                let world = crate::mpp_aluminium::world(&inputs).map_err(|e| invalid(&e))?;
                let source = self.scenario_source(file, example).map_err(|e| invalid(&e))?;
                let scenario = crate::mpp_aluminium::scenario(&source.text, &source.origin, &world)
                    .map_err(|e| invalid(&e))?;
                Ok((world, scenario))
            }
            MppModel::Ammonia => {
                let inputs = decarb_data::mpp_ammonia::read_inputs(dir)?;
                let world = crate::mpp_ammonia::world(&inputs).map_err(|e| invalid(&e))?;
                let source = self.scenario_source(file, example).map_err(|e| invalid(&e))?;
                let scenario = crate::mpp_ammonia::scenario(&source.text, &source.origin, &inputs, &world)
                    .map_err(|e| invalid(&e))?;
                Ok((world, scenario))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MppModel;

    #[test]
    fn each_model_has_its_default_example_and_names_itself_in_errors() {
        for model in [MppModel::Steel, MppModel::Aluminium, MppModel::Ammonia] {
            let source = model.scenario_source(None, None).unwrap();
            assert_eq!(source.origin, format!("example {}", model.default_example()));
        }
        let err = MppModel::Aluminium.scenario_source(None, Some("mpp-aluminum-lc")).unwrap_err();
        assert!(err.to_string().contains("unknown MPP aluminium example"), "{err}");
    }
}
