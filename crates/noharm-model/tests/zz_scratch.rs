#![allow(missing_docs)]
use noharm_model::{Loader, MemoryFileSystem};
use std::path::Path;
use std::time::Instant;

fn run(name: &str, text: String) {
    let mut fs = MemoryFileSystem::new();
    fs.insert(name, text.clone());
    let t = Instant::now();
    let loaded = Loader::new(&fs).load(Path::new(name));
    let codes: std::collections::BTreeMap<&str, usize> = loaded.diagnostics.iter().fold(Default::default(), |mut m, d| { *m.entry(d.code).or_default() += 1; m });
    println!("{name}: {} bytes, {:?}, codes {:?}", text.len(), t.elapsed(), codes);
}

#[test]
fn scratch() {
    let n: usize = std::env::var("N").unwrap().parse().unwrap();
    let depth: usize = std::env::var("D").unwrap().parse().unwrap();
    let mode = std::env::var("MODE").unwrap();
    if mode == "anchors" {
        let mut t = String::from("noharm: 1\nx-a: ");
        for i in 0..depth { t.push_str(&format!("&a{i} [")); }
        t.push_str(&vec!["a"; n].join(","));
        for _ in 0..depth { t.push(']'); }
        t.push('\n');
        run("anchors.yaml", t);
    } else {
        let mut t = String::from("noharm: 1\nsystem:\n  id: s\n  name: S\n  intended_use: u\n  clinical_use: administrative\nelements:\n");
        for i in 0..n { t.push_str(&format!("  - id: element-{i}\n    kind: process\n")); }
        t.push_str("flows:\n");
        for i in 0..n { t.push_str(&format!("  - id: flow-{i}\n    from: element-{i}\n    to: elemnt-{}\n", (i + 1) % n)); }
        run("refs.yaml", t);
    }
}
