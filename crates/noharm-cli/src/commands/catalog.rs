use std::fmt::Write as _;

use noharm_engine::{AtlasTable, Catalog, Rule};
use noharm_syntax::Keyword;

use crate::cli::{CatalogCommand, CatalogListArgs, CatalogShowArgs, ImportAtlasArgs, ReportFormat};
use crate::commands::files::read_source;
use crate::commands::packs;
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(command: &CatalogCommand, out: &mut Output) -> Result<Code, Failure> {
    match command {
        CatalogCommand::List(args) => list(args, out),
        CatalogCommand::Show(args) => show(args, false, out),
        CatalogCommand::Explain(args) => show(args, true, out),
        CatalogCommand::ImportAtlas(args) => import_atlas(args, out),
    }
}

fn json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|error| Failure(format!("cannot serialise: {error}")))
}

fn list(args: &CatalogListArgs, out: &mut Output) -> Result<Code, Failure> {
    let Some(catalog) = packs::load(&args.packs, out)? else {
        return Ok(Code::Usage);
    };
    if args.format == ReportFormat::Json {
        let document = serde_json::json!({
            "packs": catalog.packs,
            "rules": catalog.rules,
            "controls": catalog.controls,
            "atlas_version": catalog.atlas.version,
        });
        out.write(&json(&document)?)?;
        return Ok(Code::Clean);
    }

    let mut text = String::new();
    for pack in &catalog.packs {
        let _ = writeln!(
            text,
            "{} ({}): {} rules, {} controls  [{}]",
            pack.name, pack.id, pack.n_rules, pack.n_controls, pack.source
        );
        for rule in catalog.rules.iter().filter(|rule| rule.pack == pack.id) {
            let _ = writeln!(
                text,
                "  {:<7} {:<8} {:<10} {}",
                rule.id.value,
                rule.severity.as_str(),
                rule.status.as_str(),
                rule.name
            );
        }
    }
    let _ = writeln!(
        text,
        "\n{} rules, {} controls, ATLAS {}",
        catalog.rules.len(),
        catalog.controls.len(),
        catalog.atlas.version
    );
    out.write(&text)?;
    Ok(Code::Clean)
}

fn show(args: &CatalogShowArgs, explain: bool, out: &mut Output) -> Result<Code, Failure> {
    let Some(catalog) = packs::load(&args.packs, out)? else {
        return Ok(Code::Usage);
    };
    let id = args.id.as_str();
    let rule = catalog
        .rule(id)
        .or_else(|| catalog.rules.iter().find(|rule| rule.name == id));

    if let Some(rule) = rule {
        let text = if args.format == ReportFormat::Json {
            json(rule)?
        } else {
            describe_rule(rule, &catalog, explain)
        };
        out.write(&text)?;
        return Ok(Code::Clean);
    }
    if explain {
        return Err(Failure(format!("no rule has the id or name `{id}`")));
    }
    if let Some(control) = catalog.control(id) {
        let text = if args.format == ReportFormat::Json {
            json(control)?
        } else {
            describe_control(control, &catalog)
        };
        out.write(&text)?;
        return Ok(Code::Clean);
    }
    if let Some(text) = describe_atlas(id, &catalog, args.format)? {
        out.write(&text)?;
        return Ok(Code::Clean);
    }
    Err(Failure(format!(
        "no rule, control or ATLAS entry has the id `{id}`"
    )))
}

fn describe_rule(rule: &Rule, catalog: &Catalog, explain: bool) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} {}  ({} pack, {})",
        rule.id.value,
        rule.name,
        rule.pack,
        rule.status.as_str()
    );
    let _ = writeln!(text, "{}\n", rule.title);
    let applies: Vec<&str> = rule.applies_to.iter().map(|a| a.as_str()).collect();
    let _ = writeln!(text, "applies to      {}", applies.join(", "));
    if let Some(when) = &rule.when {
        let _ = writeln!(text, "when            {when}");
    }
    let _ = writeln!(
        text,
        "severity        {} (exploitability {}, failure mode {})",
        rule.severity.as_str(),
        rule.exploitability.as_str(),
        rule.failure_mode.map_or("none", |mode| mode.as_str())
    );
    let words = |items: Vec<&str>| {
        if items.is_empty() {
            "-".to_string()
        } else {
            items.join(", ")
        }
    };
    let _ = writeln!(
        text,
        "STRIDE          {}",
        words(rule.stride.iter().map(|s| s.as_str()).collect())
    );
    let _ = writeln!(
        text,
        "LINDDUN         {}",
        words(rule.linddun.iter().map(|s| s.as_str()).collect())
    );
    for technique in &rule.atlas {
        let name = catalog
            .atlas
            .technique(technique)
            .map_or("", |t| t.name.as_str());
        let _ = writeln!(text, "ATLAS           {technique} {name}");
    }
    let _ = writeln!(
        text,
        "OWASP           {}",
        words(rule.owasp.iter().map(String::as_str).collect())
    );
    let _ = writeln!(
        text,
        "CWE             {}",
        words(rule.cwe.iter().map(String::as_str).collect())
    );
    for control in &rule.mitigations {
        let name = catalog.control(control).map_or("", |c| c.name.as_str());
        let _ = writeln!(text, "mitigated by    {control} ({name})");
    }

    if explain {
        let doc = &rule.doc;
        let _ = writeln!(text, "\nWhat it detects\n  {}", doc.detects.trim());
        let _ = writeln!(text, "\nWhy it matters for a patient\n  {}", doc.why.trim());
        if let Some(example) = &doc.example {
            let _ = writeln!(text, "\nExample (fires)\n{}", indent(example));
        }
        if let Some(quiet) = &doc.quiet {
            let _ = writeln!(text, "\nCounter-example (does not fire)\n{}", indent(quiet));
        }
        if !doc.references.is_empty() {
            let _ = writeln!(text, "\nReferences");
            for reference in &doc.references {
                let _ = writeln!(text, "  {reference}");
            }
        }
    }
    text
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_control(control: &noharm_engine::Control, catalog: &Catalog) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}  {}\n\n{}\n",
        control.id.value,
        control.name,
        control.description.trim()
    );
    for mitigation in &control.atlas_mitigations {
        let name = catalog
            .atlas
            .mitigation(mitigation)
            .map_or("", |m| m.name.as_str());
        let _ = writeln!(text, "ATLAS mitigation  {mitigation} {name}");
    }
    for subcategory in &control.nist_ai_rmf {
        let _ = writeln!(text, "NIST AI RMF       {subcategory}");
    }
    let rules: Vec<&str> = catalog
        .rules
        .iter()
        .filter(|rule| rule.mitigations.contains(&control.id.value))
        .map(|rule| rule.id.as_str())
        .collect();
    let _ = writeln!(text, "mitigates         {}", rules.join(", "));
    text
}

fn describe_atlas(
    id: &str,
    catalog: &Catalog,
    format: ReportFormat,
) -> Result<Option<String>, Failure> {
    if let Some(technique) = catalog.atlas.technique(id) {
        if format == ReportFormat::Json {
            return json(technique).map(Some);
        }
        let rules: Vec<&str> = catalog
            .rules
            .iter()
            .filter(|rule| rule.atlas.iter().any(|t| t == id))
            .map(|rule| rule.id.as_str())
            .collect();
        return Ok(Some(format!(
            "{} {}\ntactics     {}\nrules       {}\n",
            technique.id,
            technique.name,
            technique.tactics.join(", "),
            rules.join(", ")
        )));
    }
    if let Some(mitigation) = catalog.atlas.mitigation(id) {
        if format == ReportFormat::Json {
            return json(mitigation).map(Some);
        }
        return Ok(Some(format!(
            "{} {}\ntechniques  {}\n",
            mitigation.id,
            mitigation.name,
            mitigation.techniques.join(", ")
        )));
    }
    Ok(None)
}

fn import_atlas(args: &ImportAtlasArgs, out: &mut Output) -> Result<Code, Failure> {
    let (sources, file) = read_source(&args.file)?;

    let table = match AtlasTable::from_atlas_yaml(&sources, file) {
        Ok(table) => table,
        Err(diagnostic) => {
            out.diagnostics_to_stderr(std::slice::from_ref(&*diagnostic), &sources);
            return Ok(Code::Usage);
        }
    };

    let target = match &args.output {
        Some(path) => path.clone(),
        None => packs::atlas_table_path().ok_or_else(|| {
            Failure("cannot tell where the user's data directory is; pass --output".to_string())
        })?,
    };
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|error| Failure(format!("cannot create `{}`: {error}", parent.display())))?;
    }
    std::fs::write(&target, table.to_tsv())
        .map_err(|error| Failure(format!("cannot write `{}`: {error}", target.display())))?;

    let builtin = AtlasTable::builtin();
    let renamed = table
        .techniques
        .iter()
        .filter(|t| {
            builtin
                .technique(&t.id)
                .is_some_and(|old| old.name != t.name)
        })
        .count();
    let added = table
        .techniques
        .iter()
        .filter(|t| builtin.technique(&t.id).is_none())
        .count();
    out.line(&format!(
        "imported ATLAS {}: {} techniques ({} new, {} renamed since the built-in {}), {} mitigations, {} tactics\nwritten to {}",
        table.version,
        table.techniques.len(),
        added,
        renamed,
        builtin.version,
        table.mitigations.len(),
        table.tactics.len(),
        target.display()
    ))?;
    Ok(Code::Clean)
}
