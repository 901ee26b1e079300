//! Loading the catalog the way every command does: built-in packs unless
//! `--no-builtin`, the `--rules` packs, and the user's imported ATLAS table.

use std::path::PathBuf;

use noharm_engine::{AtlasTable, Catalog, CatalogOptions, load_catalog};

use crate::cli::PackArgs;
use crate::output::{Failure, Output};

/// Where `import-atlas` writes and later runs read the ATLAS table:
/// `$NOHARM_DATA_DIR`, else `$XDG_DATA_HOME/noharm`, else
/// `~/.local/share/noharm`.
pub(crate) fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NOHARM_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return Some(PathBuf::from(dir).join("noharm"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share/noharm"))
}

pub(crate) fn atlas_table_path() -> Option<PathBuf> {
    data_dir().map(|dir| dir.join("atlas.tsv"))
}

/// The imported ATLAS table, if the user has one.
fn imported_atlas() -> Option<AtlasTable> {
    let text = std::fs::read_to_string(atlas_table_path()?).ok()?;
    let table = AtlasTable::from_tsv(&text);
    (!table.techniques.is_empty()).then_some(table)
}

/// Loads the catalog, or prints the pack diagnostics and returns `None`.
pub(crate) fn load(args: &PackArgs, out: &mut Output) -> Result<Option<Catalog>, Failure> {
    let options = CatalogOptions {
        builtin: !args.no_builtin,
        extra: args.rules.clone(),
        atlas: imported_atlas(),
    };
    let loaded = load_catalog(&options);
    if loaded.catalog.is_none() || !loaded.diagnostics.is_empty() {
        out.diagnostics_to_stderr(&loaded.diagnostics, &loaded.sources);
    }
    Ok(loaded.catalog)
}
