//! MITRE ATLAS techniques, tactics and mitigations: the ids and names rules
//! refer to. A table built from ATLAS ships with noharm; `import-atlas`
//! rebuilds it from MITRE's official `ATLAS.yaml`.

use std::collections::{BTreeMap, HashMap};

use noharm_syntax::{Diagnostic, FileId, Limits, Node, NodeKind, SourceMap, parse_yaml};
use serde::Serialize;

const BUILTIN_TABLE: &str = include_str!("../data/atlas.tsv");

/// One technique or sub-technique.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Technique {
    /// `AML.T0020` or `AML.T0051.001`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Tactic ids; a sub-technique inherits its parent's.
    pub tactics: Vec<String>,
}

/// One mitigation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mitigation {
    /// `AML.M0000`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Technique ids it addresses.
    pub techniques: Vec<String>,
}

/// The ATLAS ids and names noharm knows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AtlasTable {
    /// The ATLAS release the table comes from.
    pub version: String,
    /// Tactic ids and names.
    pub tactics: Vec<(String, String)>,
    /// Techniques and sub-techniques.
    pub techniques: Vec<Technique>,
    /// Mitigations.
    pub mitigations: Vec<Mitigation>,
}

impl AtlasTable {
    /// The table that ships with noharm.
    pub fn builtin() -> AtlasTable {
        AtlasTable::from_tsv(BUILTIN_TABLE)
    }

    /// The technique with id `id`.
    pub fn technique(&self, id: &str) -> Option<&Technique> {
        self.techniques.iter().find(|technique| technique.id == id)
    }

    /// The mitigation with id `id`.
    pub fn mitigation(&self, id: &str) -> Option<&Mitigation> {
        self.mitigations
            .iter()
            .find(|mitigation| mitigation.id == id)
    }

    /// Reads the table format written by [`AtlasTable::to_tsv`]. Lines that do
    /// not fit are skipped: the built-in table is generated, and a user's
    /// imported one was written by the same code.
    pub fn from_tsv(text: &str) -> AtlasTable {
        let mut table = AtlasTable::default();
        for line in text.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["version", version] => table.version = (*version).to_string(),
                ["tactic", id, name] => {
                    table.tactics.push(((*id).to_string(), (*name).to_string()))
                }
                ["technique", id, name, tactics] => table.techniques.push(Technique {
                    id: (*id).to_string(),
                    name: (*name).to_string(),
                    tactics: split_list(tactics),
                }),
                ["mitigation", id, name, techniques] => table.mitigations.push(Mitigation {
                    id: (*id).to_string(),
                    name: (*name).to_string(),
                    techniques: split_list(techniques),
                }),
                _ => {}
            }
        }
        table
    }

    /// Writes the table as tab-separated lines.
    pub fn to_tsv(&self) -> String {
        let mut out = format!(
            "# MITRE ATLAS ids and names (Apache-2.0, The MITRE Corporation), written by `noharm catalog import-atlas`\nversion\t{}\n",
            self.version
        );
        for (id, name) in &self.tactics {
            out.push_str(&format!("tactic\t{id}\t{}\n", clean(name)));
        }
        for technique in &self.techniques {
            out.push_str(&format!(
                "technique\t{}\t{}\t{}\n",
                technique.id,
                clean(&technique.name),
                technique.tactics.join(",")
            ));
        }
        for mitigation in &self.mitigations {
            out.push_str(&format!(
                "mitigation\t{}\t{}\t{}\n",
                mitigation.id,
                clean(&mitigation.name),
                mitigation.techniques.join(",")
            ));
        }
        out
    }

    /// Builds the table from MITRE's `ATLAS.yaml`.
    ///
    /// Tolerates the file's quirks: techniques listed under each matrix (the
    /// current layout) or at the top level (older releases), the same
    /// technique in several matrices, sub-techniques without tactics,
    /// mitigations whose technique entries are bare ids or mappings with a
    /// `use` text, and stray whitespace in ids.
    pub fn from_atlas_yaml(
        sources: &SourceMap,
        file: FileId,
    ) -> Result<AtlasTable, Box<Diagnostic>> {
        // The official file is about half a megabyte and holds case studies
        // with long procedures; allow more values than a model may have.
        let limits = Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 10_000_000,
        };
        let root = parse_yaml(sources.file(file), file, &limits)?;
        let not_atlas = || {
            Box::new(
                Diagnostic::error(
                    "atlas",
                    "this does not look like MITRE's ATLAS.yaml: it has no techniques",
                )
                .at(root.head_span())
                .with_help(
                    "pass the `ATLAS.yaml` file from the atlas-data repository's `dist` folder",
                ),
            )
        };

        let mut sections: Vec<&Node> = vec![&root];
        if let Some(matrices) = get(&root, "matrices").and_then(seq) {
            sections.extend(matrices);
        }

        let mut tactics = BTreeMap::new();
        let mut techniques: BTreeMap<String, Technique> = BTreeMap::new();
        let mut parents: HashMap<String, String> = HashMap::new();
        let mut mitigations: BTreeMap<String, Mitigation> = BTreeMap::new();

        for section in sections {
            for tactic in get(section, "tactics").and_then(seq).unwrap_or_default() {
                if let (Some(id), Some(name)) = (text(tactic, "id"), text(tactic, "name")) {
                    tactics.insert(id, name);
                }
            }
            for node in get(section, "techniques").and_then(seq).unwrap_or_default() {
                let (Some(id), Some(name)) = (text(node, "id"), text(node, "name")) else {
                    continue;
                };
                if let Some(parent) = text(node, "subtechnique-of") {
                    parents.insert(id.clone(), parent);
                }
                let tactics = string_list(get(node, "tactics"));
                techniques
                    .entry(id.clone())
                    .or_insert(Technique { id, name, tactics });
            }
            for node in get(section, "mitigations")
                .and_then(seq)
                .unwrap_or_default()
            {
                let (Some(id), Some(name)) = (text(node, "id"), text(node, "name")) else {
                    continue;
                };
                let techniques = get(node, "techniques")
                    .and_then(seq)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|entry| scalar(entry).or_else(|| text(entry, "id")))
                    .collect();
                mitigations.entry(id.clone()).or_insert(Mitigation {
                    id,
                    name,
                    techniques,
                });
            }
        }
        if techniques.is_empty() {
            return Err(not_atlas());
        }

        for (child, parent) in &parents {
            let inherited = techniques
                .get(parent)
                .map(|p| p.tactics.clone())
                .unwrap_or_default();
            if let Some(technique) = techniques.get_mut(child)
                && technique.tactics.is_empty()
            {
                technique.tactics = inherited;
            }
        }

        Ok(AtlasTable {
            version: text(&root, "version").unwrap_or_else(|| "unknown".to_string()),
            tactics: tactics.into_iter().collect(),
            techniques: techniques.into_values().collect(),
            mitigations: mitigations.into_values().collect(),
        })
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ToString::to_string)
        .collect()
}

fn clean(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ").trim().to_string()
}

fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    let NodeKind::Map(entries) = &node.kind else {
        return None;
    };
    entries
        .iter()
        .find(|entry| entry.key.scalar_text().map(str::trim) == Some(key))
        .map(|entry| &entry.value)
}

fn seq(node: &Node) -> Option<&[Node]> {
    match &node.kind {
        NodeKind::Seq(items) => Some(items),
        _ => None,
    }
}

fn scalar(node: &Node) -> Option<String> {
    node.scalar_text()
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

fn text(node: &Node, key: &str) -> Option<String> {
    get(node, key).and_then(scalar)
}

fn string_list(node: Option<&Node>) -> Vec<String> {
    node.and_then(seq)
        .unwrap_or_default()
        .iter()
        .filter_map(scalar)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_has_the_common_techniques() {
        let table = AtlasTable::builtin();
        assert!(table.techniques.len() > 100);
        assert_eq!(
            table.technique("AML.T0020").unwrap().name,
            "Poison Training Data"
        );
        assert!(!table.technique("AML.T0051.001").unwrap().tactics.is_empty());
        assert!(table.mitigation("AML.M0000").is_some());
    }

    #[test]
    fn tsv_round_trips() {
        let table = AtlasTable::builtin();
        assert_eq!(AtlasTable::from_tsv(&table.to_tsv()), table);
    }

    #[test]
    fn reads_both_layouts_and_tolerates_quirks() {
        let text = "\
version: 9.9.9
techniques:
- id: 'AML.T0001 '
  name: Old Layout Technique
  tactics: [AML.TA0001]
matrices:
- id: ATLAS
  tactics:
  - id: AML.TA0001
    name: Staging
  techniques:
  - id: AML.T0002
    name: Parent
    tactics: [AML.TA0001]
  - id: AML.T0002.000
    name: Child
    subtechnique-of: AML.T0002
  mitigations:
  - id: AML.M0001
    name: Do Something
    techniques:
    - id: AML.T0002
      use: because
    - AML.T0001
- id: OTHER
  techniques:
  - id: AML.T0002
    name: Duplicate Ignored
";
        let mut sources = SourceMap::new();
        let file = sources.add("ATLAS.yaml", "ATLAS.yaml", text);
        let table = AtlasTable::from_atlas_yaml(&sources, file).unwrap();
        assert_eq!(table.version, "9.9.9");
        assert_eq!(
            table.technique("AML.T0001").unwrap().name,
            "Old Layout Technique"
        );
        assert_eq!(table.technique("AML.T0002").unwrap().name, "Parent");
        assert_eq!(
            table.technique("AML.T0002.000").unwrap().tactics,
            ["AML.TA0001"]
        );
        assert_eq!(
            table.mitigation("AML.M0001").unwrap().techniques,
            ["AML.T0002", "AML.T0001"]
        );
    }

    #[test]
    fn refuses_a_file_without_techniques() {
        let mut sources = SourceMap::new();
        let file = sources.add("x.yaml", "x.yaml", "name: not atlas\n");
        assert_eq!(
            AtlasTable::from_atlas_yaml(&sources, file)
                .unwrap_err()
                .code,
            "atlas"
        );
    }
}
