//! Decoding one file's [`Node`] tree into a [`ModelFile`], reporting every
//! problem of shape: wrong types, missing and unknown fields, values outside
//! their vocabulary. Cross-references are checked later, on the merged model.

use noharm_syntax::{
    Decoder, Diagnostic, Keyword, MapReader, Node, NodeKind, Spanned, did_you_mean,
};

use crate::codes;
use crate::keywords::{ElementKind, WELL_KNOWN_PROTOCOLS, WELL_KNOWN_TECH};
use crate::model::{
    Artifact, Assumption, Boundary, DataAsset, Element, Flow, Harm, Id, ModelFile, System,
};

/// The format versions this build reads.
pub const SUPPORTED_VERSIONS: &[u32] = &[1];

pub(crate) const TOP_FIELDS: &[&str] = &[
    "noharm",
    "include",
    "system",
    "harms",
    "data",
    "boundaries",
    "elements",
    "flows",
    "artifacts",
    "assumptions",
];
pub(crate) const SYSTEM_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "intended_use",
    "clinical_use",
    "regulated",
    "risk_tier",
    "service_line",
    "owner",
    "vendor",
    "product",
];
pub(crate) const HARM_FIELDS: &[&str] = &["id", "name", "description", "severity", "modes"];
pub(crate) const DATA_FIELDS: &[&str] = &["id", "name", "description", "classification", "records"];
pub(crate) const BOUNDARY_FIELDS: &[&str] =
    &["id", "name", "description", "kind", "parent", "vendor"];
pub(crate) const ELEMENT_FIELDS: &[&str] = &[
    "id",
    "kind",
    "name",
    "description",
    "boundary",
    "stage",
    "tech",
    "stores",
    "processes",
    "controls",
    "exposure",
    "drives",
    "reviews_output",
    "vendor",
    "updates",
    "fallback",
    "tags",
];
pub(crate) const FLOW_FIELDS: &[&str] = &[
    "id",
    "from",
    "to",
    "name",
    "description",
    "data",
    "protocol",
    "authenticated",
    "encrypted",
    "controls",
];
pub(crate) const ARTIFACT_FIELDS: &[&str] =
    &["id", "kind", "name", "element", "version", "sha256", "uri"];
pub(crate) const ASSUMPTION_FIELDS: &[&str] = &["id", "text", "excludes", "targets", "reason"];

/// Decodes one model file.
pub(crate) fn decode_model_file(decoder: &mut Decoder, root: &Node) -> ModelFile {
    if root.is_null() {
        decoder.report(
            Diagnostic::error(
                codes::UNREADABLE_FILE,
                "the file holds no model, only comments or blank lines",
            )
            .at(root.span)
            .with_help("a model file starts with `noharm: 1` followed by a `system:` section"),
        );
        return ModelFile::default();
    }
    let Some(mut map) = decoder.map(root, "the model file", TOP_FIELDS) else {
        return ModelFile::default();
    };

    let file = ModelFile {
        is_mapping: true,
        has_system_section: map.key_span("system").is_some(),
        noharm: read_version(decoder, &mut map),
        include: map.text_list(decoder, "include"),
        system: read_system(decoder, &mut map),
        harms: optional_list(decoder, &mut map, "harms", "`harms`", decode_harm),
        data: optional_list(decoder, &mut map, "data", "`data`", decode_data),
        boundaries: optional_list(
            decoder,
            &mut map,
            "boundaries",
            "`boundaries`",
            decode_boundary,
        ),
        elements: optional_list(decoder, &mut map, "elements", "`elements`", decode_element),
        flows: optional_list(decoder, &mut map, "flows", "`flows`", decode_flow),
        artifacts: optional_list(
            decoder,
            &mut map,
            "artifacts",
            "`artifacts`",
            decode_artifact,
        ),
        assumptions: optional_list(
            decoder,
            &mut map,
            "assumptions",
            "`assumptions`",
            decode_assumption,
        ),
    };
    map.finish(decoder);
    file
}

fn read_version(decoder: &mut Decoder, map: &mut MapReader<'_>) -> u32 {
    let Some(node) = map.get("noharm") else {
        decoder.report(
            Diagnostic::error(
                codes::MISSING_FIELD,
                "the model file does not say which format version it uses",
            )
            .at(map.node().head_span())
            .with_help("add `noharm: 1` as the first line"),
        );
        return 0;
    };
    let version = match &node.kind {
        NodeKind::Number(raw) => raw.parse::<u32>().ok(),
        _ => None,
    };
    match version {
        Some(version) if SUPPORTED_VERSIONS.contains(&version) => version,
        _ if matches!(&node.kind, NodeKind::String(text) if text.trim() == "1") => {
            decoder.report(
                Diagnostic::error(
                    codes::UNSUPPORTED_VERSION,
                    "the format version is written as text",
                )
                .at(node.span)
                .with_help("write `noharm: 1` without quotes"),
            );
            0
        }
        _ => {
            let written = node.scalar_text().unwrap_or("this value");
            decoder.report(
                Diagnostic::error(
                    codes::UNSUPPORTED_VERSION,
                    format!("format version `{written}` is not one this noharm reads"),
                )
                .at(node.span)
                .with_help("this version of noharm reads `noharm: 1`"),
            );
            0
        }
    }
}

fn optional_list<T>(
    decoder: &mut Decoder,
    map: &mut MapReader<'_>,
    key: &str,
    what: &str,
    read: impl FnMut(&mut Decoder, &Node) -> Option<T>,
) -> Vec<T> {
    match map.get(key) {
        Some(node) => decoder.list(node, what, read),
        None => Vec::new(),
    }
}

fn read_system(decoder: &mut Decoder, map: &mut MapReader<'_>) -> Option<System> {
    if let Some(node) = map.get("system") {
        return decode_system(decoder, node);
    }
    if let Some(key) = map.key_span("system") {
        decoder.report(
            Diagnostic::error(codes::MISSING_SYSTEM, "the `system` section is empty")
                .at(key)
                .with_help(
                    "indent `id`, `name`, `intended_use` and `clinical_use` under `system:`",
                ),
        );
    }
    None
}

fn decode_system(decoder: &mut Decoder, node: &Node) -> Option<System> {
    let mut map = decoder.map(node, "the system", SYSTEM_FIELDS)?;
    let id = read_id(decoder, &mut map);
    let name = required_text(decoder, &mut map, "name");
    let intended_use = required_text(decoder, &mut map, "intended_use");
    let clinical_use = map
        .required(decoder, "clinical_use")
        .and_then(|n| decoder.keyword(n));
    let regulated = optional_keyword(decoder, &mut map, "regulated");

    let system = System {
        description: optional_text(decoder, &mut map, "description"),
        regulated: regulated.unwrap_or(crate::keywords::Regulation::None),
        risk_tier: optional_keyword(decoder, &mut map, "risk_tier"),
        service_line: optional_text(decoder, &mut map, "service_line"),
        owner: optional_text(decoder, &mut map, "owner"),
        vendor: optional_text(decoder, &mut map, "vendor"),
        product: optional_text(decoder, &mut map, "product"),
        // A system missing required fields stays, with placeholders, so the
        // rest of the model is still checked; its errors keep the model from
        // being used.
        id: id.unwrap_or_else(|| Spanned::new(String::new(), node.head_span())),
        name: name.unwrap_or_default(),
        intended_use: intended_use.unwrap_or_default(),
        clinical_use: clinical_use
            .map_or(crate::keywords::ClinicalUse::Administrative, |c| c.value),
    };
    map.finish(decoder);
    Some(system)
}

fn decode_harm(decoder: &mut Decoder, node: &Node) -> Option<Harm> {
    let mut map = decoder.map(node, "a harm", HARM_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "harm", id.as_ref());
    let description = required_text(decoder, &mut map, "description");
    let severity = map
        .required(decoder, "severity")
        .and_then(|n| decoder.keyword(n));
    let modes_node = map.required(decoder, "modes");
    let modes = modes_node.map(|n| {
        if matches!(n.kind, NodeKind::String(_)) {
            return decoder.keyword(n).map(|m| m.value).into_iter().collect();
        }
        decoder.list(n, "`modes`", |d, item| d.keyword(item).map(|m| m.value))
    });

    if let (Some(node), Some(modes)) = (modes_node, &modes)
        && modes.is_empty()
        && matches!(&node.kind, NodeKind::Seq(items) if items.is_empty())
    {
        decoder.report(
            Diagnostic::error(
                codes::INVALID_VALUE,
                format!("{} lists no failure modes", map.what()),
            )
            .at(node.span)
            .with_help("list at least one of: wrong-output, no-output, disclosure"),
        );
    }

    let harm = Harm {
        name: optional_text(decoder, &mut map, "name"),
        // Placeholders for missing fields keep the harm's id known, so
        // references to it do not cascade into more errors.
        id: id?,
        description: description.unwrap_or_default(),
        severity: severity.map_or(crate::keywords::Severity::Negligible, |s| s.value),
        modes: modes.unwrap_or_default(),
    };
    map.finish(decoder);
    Some(harm)
}

fn decode_data(decoder: &mut Decoder, node: &Node) -> Option<DataAsset> {
    let mut map = decoder.map(node, "a data asset", DATA_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "data asset", id.as_ref());
    let classification = map
        .required(decoder, "classification")
        .and_then(|n| decoder.keyword(n));

    let asset = DataAsset {
        name: optional_text(decoder, &mut map, "name"),
        description: optional_text(decoder, &mut map, "description"),
        records: map
            .get("records")
            .and_then(|n| decoder.unsigned(n, "`records`")),
        id: id?,
        classification: classification
            .map_or(crate::keywords::Classification::Internal, |c| c.value),
    };
    map.finish(decoder);
    Some(asset)
}

fn decode_boundary(decoder: &mut Decoder, node: &Node) -> Option<Boundary> {
    let mut map = decoder.map(node, "a boundary", BOUNDARY_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "boundary", id.as_ref());
    let kind = map
        .required(decoder, "kind")
        .and_then(|n| decoder.keyword(n));
    let vendor = optional_text(decoder, &mut map, "vendor");

    if let Some(kind) = &kind
        && kind.value == crate::keywords::BoundaryKind::Vendor
        && vendor.is_none()
    {
        decoder.report(
            Diagnostic::error(
                codes::MISSING_FIELD,
                format!("{} is a vendor boundary but names no vendor", map.what()),
            )
            .at(kind.span)
            .with_help("add `vendor:` with the vendor's name"),
        );
    }

    let boundary = Boundary {
        name: optional_text(decoder, &mut map, "name"),
        description: optional_text(decoder, &mut map, "description"),
        parent: map.text(decoder, "parent"),
        vendor,
        id: id?,
        kind: kind.map_or(crate::keywords::BoundaryKind::Network, |k| k.value),
    };
    map.finish(decoder);
    Some(boundary)
}

fn decode_element(decoder: &mut Decoder, node: &Node) -> Option<Element> {
    let mut map = decoder.map(node, "an element", ELEMENT_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "element", id.as_ref());
    let kind = map
        .required(decoder, "kind")
        .and_then(|n| decoder.keyword::<ElementKind>(n));
    let tech = map.text_list(decoder, "tech");
    warn_unknown_words(
        decoder,
        &tech,
        WELL_KNOWN_TECH,
        "tech tag",
        codes::UNKNOWN_TECH,
    );
    let stores = map.text_list(decoder, "stores");
    let reviews_output = map
        .get("reviews_output")
        .and_then(|n| decoder.bool(n, "`reviews_output`"));

    if let Some(kind) = &kind {
        warn_misplaced_fields(decoder, &map, kind.value, &stores, reviews_output);
    }

    let element = Element {
        name: optional_text(decoder, &mut map, "name"),
        description: optional_text(decoder, &mut map, "description"),
        boundary: map.text(decoder, "boundary"),
        stage: optional_keyword(decoder, &mut map, "stage"),
        tech,
        stores,
        processes: map.text_list(decoder, "processes"),
        controls: map.text_list(decoder, "controls"),
        exposure: optional_keyword(decoder, &mut map, "exposure"),
        drives: map.text_list(decoder, "drives"),
        reviews_output: reviews_output.unwrap_or(false),
        vendor: optional_text(decoder, &mut map, "vendor"),
        updates: optional_keyword(decoder, &mut map, "updates"),
        fallback: optional_text(decoder, &mut map, "fallback"),
        tags: map
            .text_list(decoder, "tags")
            .into_iter()
            .map(|tag| tag.value)
            .collect(),
        id: id?,
        kind: kind.map_or(ElementKind::Process, |k| k.value),
    };
    map.finish(decoder);
    Some(element)
}

fn warn_misplaced_fields(
    decoder: &mut Decoder,
    map: &MapReader<'_>,
    kind: ElementKind,
    stores: &[Id],
    reviews_output: Option<bool>,
) {
    if kind != ElementKind::Store
        && !stores.is_empty()
        && let Some(span) = map.key_span("stores")
    {
        decoder.report(
            Diagnostic::warning(
                codes::MISPLACED_FIELD,
                format!(
                    "{} is a {kind}, and only stores keep data at rest",
                    map.what()
                ),
            )
            .at(span)
            .with_help("list the data it handles under `processes`, or make it `kind: store`"),
        );
    }
    let reviewer = matches!(kind, ElementKind::Actor | ElementKind::Process);
    if reviews_output == Some(true)
        && !reviewer
        && let Some(span) = map.key_span("reviews_output")
    {
        decoder.report(
            Diagnostic::warning(
                codes::MISPLACED_FIELD,
                format!("{} is a {kind}, which cannot review output", map.what()),
            )
            .at(span)
            .with_help("put `reviews_output: true` on the actor or process where a person reviews"),
        );
    }
}

fn decode_flow(decoder: &mut Decoder, node: &Node) -> Option<Flow> {
    let mut map = decoder.map(node, "a data flow", FLOW_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "data flow", id.as_ref());
    let from = map
        .required(decoder, "from")
        .and_then(|n| decoder.text(n, "`from`"));
    let to = map
        .required(decoder, "to")
        .and_then(|n| decoder.text(n, "`to`"));
    let protocol = map
        .get("protocol")
        .and_then(|n| decoder.text(n, "`protocol`"));
    if let Some(protocol) = &protocol {
        warn_unknown_words(
            decoder,
            std::slice::from_ref(protocol),
            WELL_KNOWN_PROTOCOLS,
            "protocol",
            codes::UNKNOWN_PROTOCOL,
        );
    }

    let flow = Flow {
        name: optional_text(decoder, &mut map, "name"),
        description: optional_text(decoder, &mut map, "description"),
        data: map.text_list(decoder, "data"),
        protocol: protocol.map(|p| p.value),
        authenticated: map
            .get("authenticated")
            .and_then(|n| decoder.bool(n, "`authenticated`")),
        encrypted: map
            .get("encrypted")
            .and_then(|n| decoder.bool(n, "`encrypted`")),
        controls: map.text_list(decoder, "controls"),
        id: id?,
        from: from?,
        to: to?,
    };
    map.finish(decoder);
    Some(flow)
}

fn decode_artifact(decoder: &mut Decoder, node: &Node) -> Option<Artifact> {
    let mut map = decoder.map(node, "an artifact", ARTIFACT_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "artifact", id.as_ref());
    let kind = map
        .required(decoder, "kind")
        .and_then(|n| decoder.keyword(n));
    let sha256 = map.get("sha256").and_then(|n| decoder.text(n, "`sha256`"));
    if let Some(digest) = &sha256
        && !(digest.len() == 64 && digest.bytes().all(|byte| byte.is_ascii_hexdigit()))
    {
        decoder.report(
            Diagnostic::error(
                codes::INVALID_VALUE,
                format!("`{}` is not a SHA-256 digest", digest.value),
            )
            .at(digest.span)
            .with_help("a SHA-256 digest is 64 hexadecimal digits, as `sha256sum` prints it"),
        );
    }

    let artifact = Artifact {
        name: optional_text(decoder, &mut map, "name"),
        element: map.text(decoder, "element"),
        version: optional_text(decoder, &mut map, "version"),
        sha256: sha256.map(|digest| digest.value.to_ascii_lowercase()),
        uri: optional_text(decoder, &mut map, "uri"),
        id: id?,
        kind: kind.map_or(crate::keywords::ArtifactKind::Config, |k| k.value),
    };
    map.finish(decoder);
    Some(artifact)
}

fn decode_assumption(decoder: &mut Decoder, node: &Node) -> Option<Assumption> {
    let mut map = decoder.map(node, "an assumption", ASSUMPTION_FIELDS)?;
    let id = read_id(decoder, &mut map);
    name_after_id(&mut map, "assumption", id.as_ref());
    let text = required_text(decoder, &mut map, "text");

    let assumption = Assumption {
        excludes: map.text_list(decoder, "excludes"),
        targets: map.text_list(decoder, "targets"),
        reason: optional_text(decoder, &mut map, "reason"),
        id: id?,
        text: text.unwrap_or_default(),
    };
    map.finish(decoder);
    Some(assumption)
}

/// Reads and checks `id`.
fn read_id(decoder: &mut Decoder, map: &mut MapReader<'_>) -> Option<Id> {
    let id = map
        .required(decoder, "id")
        .and_then(|n| decoder.text(n, "`id`"))?;
    if !is_valid_id(&id) {
        decoder.report(
            Diagnostic::error(codes::INVALID_ID, format!("`{}` is not a valid id", id.value))
                .at(id.span)
                .with_help(
                    "an id starts with a letter or digit and goes on with letters, digits, `.`, `_` or `-`, \
                     at most 128 characters",
                ),
        );
        // Kept, so references to it do not cascade into more errors; the
        // error above keeps the model from being used.
    }
    Some(id)
}

/// Whether `id` follows the id rules: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most
/// 128 characters.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    let starts_well = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphanumeric());
    starts_well
        && id.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn name_after_id(map: &mut MapReader<'_>, kind: &str, id: Option<&Id>) {
    if let Some(id) = id {
        map.describe_as(format!("{kind} `{}`", id.value));
    }
}

fn required_text(decoder: &mut Decoder, map: &mut MapReader<'_>, key: &str) -> Option<String> {
    map.required_text(decoder, key).map(|text| text.value)
}

fn optional_text(decoder: &mut Decoder, map: &mut MapReader<'_>, key: &str) -> Option<String> {
    map.text(decoder, key).map(|text| text.value)
}

fn optional_keyword<K: Keyword>(
    decoder: &mut Decoder,
    map: &mut MapReader<'_>,
    key: &str,
) -> Option<K> {
    let node = map.get(key)?;
    decoder.keyword::<K>(node).map(|value| value.value)
}

fn warn_unknown_words(
    decoder: &mut Decoder,
    words: &[Spanned<String>],
    known: &[&str],
    what: &str,
    code: &'static str,
) {
    for word in words {
        if known.contains(&word.as_str()) {
            continue;
        }
        if let Some(suggestion) = did_you_mean(word, known.iter().copied()) {
            decoder.report(
                Diagnostic::warning(code, format!("`{}` is not a well-known {what}", word.value))
                    .at(word.span)
                    .with_help(format!(
                        "did you mean `{suggestion}`? rules recognise the well-known values only"
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_rules() {
        assert!(is_valid_id("risk-model"));
        assert!(is_valid_id("EHR.v2_feed"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-lead"));
        assert!(!is_valid_id("with space"));
        assert!(!is_valid_id(&"a".repeat(129)));
    }
}
