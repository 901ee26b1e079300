//! Embeds every pack under `packs/` as a built-in pack, so adding a pack is
//! adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let packs_dir = Path::new(&manifest_dir).join("packs");
    println!("cargo:rerun-if-changed={}", packs_dir.display());

    let mut names: Vec<String> = std::fs::read_dir(&packs_dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".yaml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();

    let mut code = String::from(
        "/// The built-in packs: file name and text.\npub(crate) const BUILTIN_PACKS: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        let path = packs_dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");

    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    let _ = std::fs::write(Path::new(&out_dir).join("builtin_packs.rs"), code);
}
