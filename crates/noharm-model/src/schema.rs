//! The JSON Schema of the model file format, generated from the types so it
//! cannot drift from them.

use crate::model::ModelFile;

/// The JSON Schema (draft 2020-12) of a model file, for editors.
pub fn model_json_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(ModelFile).to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "$id".to_string(),
            serde_json::Value::String("https://noharm.dev/schema/model-v1.json".to_string()),
        );
    }
    schema
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::decode;

    fn properties(schema: &serde_json::Value, pointer: &str) -> BTreeSet<String> {
        schema
            .pointer(pointer)
            .and_then(serde_json::Value::as_object)
            .map(|props| props.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn fields(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(ToString::to_string).collect()
    }

    /// The schema is generated from the types and the decoder is written by
    /// hand; this keeps the two from drifting apart.
    #[test]
    fn schema_properties_match_the_decoder_fields() {
        let schema = model_json_schema();
        let cases = [
            ("/properties", decode::TOP_FIELDS),
            ("/$defs/System/properties", decode::SYSTEM_FIELDS),
            ("/$defs/Harm/properties", decode::HARM_FIELDS),
            ("/$defs/DataAsset/properties", decode::DATA_FIELDS),
            ("/$defs/Boundary/properties", decode::BOUNDARY_FIELDS),
            ("/$defs/Element/properties", decode::ELEMENT_FIELDS),
            ("/$defs/Flow/properties", decode::FLOW_FIELDS),
            ("/$defs/Artifact/properties", decode::ARTIFACT_FIELDS),
            ("/$defs/Assumption/properties", decode::ASSUMPTION_FIELDS),
        ];
        for (pointer, decoder_fields) in cases {
            assert_eq!(
                properties(&schema, pointer),
                fields(decoder_fields),
                "{pointer}"
            );
        }
    }

    #[test]
    fn schema_is_stable() {
        insta::assert_json_snapshot!(model_json_schema());
    }
}
