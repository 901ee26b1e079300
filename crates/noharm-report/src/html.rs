//! The HTML report: one standalone page to open in a browser, attach to a
//! review or print. It loads nothing (styles are inline, there is no script)
//! and says so in a Content-Security-Policy, so a page written from a hostile
//! model cannot run code or call out even if escaping failed somewhere.
//!
//! Every piece of text from the model or a rule pack goes through [`escape`].
//! Links are made only from ATLAS and CWE ids (checked when packs load) and
//! from `http(s)` references in rule docs.

use std::fmt::Write as _;

use noharm_engine::{Finding, FindingStatus};
use noharm_syntax::Keyword;

use crate::Report;
use crate::common::{SEVERITIES, STATUSES, VERSION, severity_heading, status_heading, status_note};

/// Parts of the page drawn elsewhere in noharm, embedded as they are.
///
/// This is the place for the data-flow diagram and the attack trees: the
/// page shows a section for each one given, between the summary and the
/// findings. The text is inserted **without escaping**, so it must be markup
/// that noharm generated (with every model string in it escaped), never text
/// taken from a model file. Scripts in it would not run anyway: the page's
/// Content-Security-Policy forbids them; inline `<style>` and `data:` images
/// are allowed.
#[derive(Clone, Copy, Debug, Default)]
pub struct HtmlExtras<'a> {
    /// The data-flow diagram, as an inline `<svg>` element.
    pub data_flow_svg: Option<&'a str>,
    /// Attack trees, as inline SVG or HTML.
    pub attack_trees: Option<&'a str>,
}

/// Renders the findings as a standalone HTML page.
pub fn render_html(report: &Report<'_>) -> String {
    render_html_with(report, HtmlExtras::default())
}

/// Renders the findings as a standalone HTML page with the diagrams in
/// `extras`.
pub fn render_html_with(report: &Report<'_>, extras: HtmlExtras<'_>) -> String {
    let system = &report.model.system;
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"generator\" content=\"noharm {VERSION}\">\n\
         <title>Threat model: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&system.name)
    );
    header(&mut out, report);
    out.push_str("<main class=\"wrap\">\n");
    summary(&mut out, report);
    diagrams(&mut out, extras);
    for status in STATUSES {
        let findings: Vec<&Finding> = report.with_status(status).collect();
        if !findings.is_empty() {
            status_section(&mut out, report, status, &findings);
        }
    }
    out.push_str("</main>\n");
    footer(&mut out, report);
    out.push_str("</body>\n</html>\n");
    out
}

/// Nothing may load or run: no scripts, no fetches, no frames, no forms.
/// Inline styles (the page's own) and `data:` images (for diagrams) only.
const CSP: &str = "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; \
                   img-src data:; base-uri 'none'; form-action 'none'";

fn header(out: &mut String, report: &Report<'_>) {
    let system = &report.model.system;
    let tier = system.effective_risk_tier().as_str();
    let _ = writeln!(
        out,
        "<header class=\"page\"><div class=\"wrap\">\n\
         <p class=\"eyebrow\">Threat model</p>\n\
         <h1>{}</h1>\n\
         <p class=\"chips\"><span class=\"chip tier tier-{tier}\">{tier} risk tier</span>\
         <span class=\"chip\">{}</span><span class=\"chip\">regulated: {}</span>\
         <span class=\"chip mono\">{}</span></p>",
        escape(&system.name),
        escape(system.clinical_use.as_str()),
        escape(system.regulated.as_str()),
        escape(&system.id.value),
    );
    let _ = writeln!(
        out,
        "<p class=\"intended\"><strong>Intended use.</strong> {}</p>",
        escape(&system.intended_use)
    );
    let mut facts = Vec::new();
    if let Some(product) = &system.product {
        facts.push(format!("Product: {}", escape(product)));
    }
    if let Some(vendor) = &system.vendor {
        facts.push(format!("Vendor: {}", escape(vendor)));
    }
    if let Some(owner) = &system.owner {
        facts.push(format!("Owner: {}", escape(owner)));
    }
    if let Some(line) = &system.service_line {
        facts.push(format!("Service line: {}", escape(line)));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", facts.join(" · "));
    }
    out.push_str("</div></header>\n");
}

fn summary(out: &mut String, report: &Report<'_>) {
    out.push_str("<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n");
    if report.analysis.findings.is_empty() {
        out.push_str(
            "<p class=\"empty\">The rules found no threats in this model.</p>\n</section>\n",
        );
        return;
    }
    out.push_str("<div class=\"cards\">\n");
    for status in STATUSES {
        let n = report.count(Some(status), None);
        let open_worst = if status == FindingStatus::Open {
            SEVERITIES
                .iter()
                .find(|&&severity| report.count(Some(status), Some(severity)) > 0)
                .map(|severity| format!(" worst-{}", severity.as_str()))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let label = status_heading(status).to_lowercase();
        let body = format!("<span class=\"n\">{n}</span><span class=\"label\">{label}</span>");
        if n > 0 {
            let _ = writeln!(
                out,
                "<a class=\"card {}{open_worst}\" href=\"#{}\">{body}</a>",
                status.as_str(),
                status.as_str()
            );
        } else {
            let _ = writeln!(out, "<div class=\"card {}\">{body}</div>", status.as_str());
        }
    }
    out.push_str(
        "</div>\n<div class=\"scroll\"><table class=\"counts\">\n<thead><tr><th scope=\"col\">Status</th>",
    );
    for severity in SEVERITIES {
        let _ = write!(
            out,
            "<th scope=\"col\"><span class=\"sev sev-{}\">{}</span></th>",
            severity.as_str(),
            severity_heading(severity)
        );
    }
    out.push_str("<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n");
    for status in STATUSES {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", status_heading(status));
        for severity in SEVERITIES {
            count_cell(out, report.count(Some(status), Some(severity)));
        }
        let _ = writeln!(
            out,
            "<td class=\"total\">{}</td></tr>",
            report.count(Some(status), None)
        );
    }
    out.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">All</th>");
    for severity in SEVERITIES {
        count_cell(out, report.count(None, Some(severity)));
    }
    let _ = writeln!(
        out,
        "<td class=\"total\">{}</td></tr></tfoot>\n</table></div>\n</section>",
        report.count(None, None)
    );
}

fn count_cell(out: &mut String, n: usize) {
    if n == 0 {
        out.push_str("<td class=\"zero\">0</td>");
    } else {
        let _ = write!(out, "<td>{n}</td>");
    }
}

/// The extension point: trusted markup from [`HtmlExtras`], inserted as is.
fn diagrams(out: &mut String, extras: HtmlExtras<'_>) {
    if let Some(svg) = extras.data_flow_svg {
        let _ = writeln!(
            out,
            "<section class=\"diagram\" aria-labelledby=\"data-flow\">\n\
             <h2 id=\"data-flow\">Data flow</h2>\n<figure>{svg}</figure>\n</section>"
        );
    }
    if let Some(trees) = extras.attack_trees {
        let _ = writeln!(
            out,
            "<section class=\"diagram\" aria-labelledby=\"attack-trees\">\n\
             <h2 id=\"attack-trees\">Attack trees</h2>\n<div class=\"trees\">{trees}</div>\n</section>"
        );
    }
}

fn status_section(
    out: &mut String,
    report: &Report<'_>,
    status: FindingStatus,
    findings: &[&Finding],
) {
    let _ = writeln!(
        out,
        "<section class=\"findings status-{0}\" id=\"{0}\" aria-labelledby=\"{0}-heading\">\n\
         <h2 id=\"{0}-heading\">{1} <span class=\"count\">{2}</span></h2>\n\
         <p class=\"note\">{3}</p>\n<div class=\"list\">\n\
         <div class=\"row head\" aria-hidden=\"true\"><span>Severity</span><span>Rule</span>\
         <span>Target</span><span>Title</span><span></span></div>",
        status.as_str(),
        status_heading(status),
        findings.len(),
        status_note(status)
    );
    for finding in findings {
        finding_details(out, report, finding);
    }
    out.push_str("</div>\n</section>\n");
}

fn finding_details(out: &mut String, report: &Report<'_>, finding: &Finding) {
    let severity = finding.severity.as_str();
    let _ = writeln!(
        out,
        "<details class=\"finding sev-{severity}\" id=\"finding-{}\">\n\
         <summary><span class=\"sevcell\"><span class=\"sev sev-{severity}\">{severity}</span></span>\
         <span class=\"mono rule\">{}</span>\
         <span class=\"target\">{}</span>\
         <span class=\"title\">{}</span><span class=\"chev\" aria-hidden=\"true\"></span></summary>\n\
         <div class=\"body\">\n<p class=\"statement\">{}</p>",
        escape(&finding.fingerprint),
        escape(&finding.rule),
        target_cell(finding),
        escape(&finding.title),
        escape(&finding.statement),
    );

    if let Some(exclusion) = &finding.excluded_by {
        let _ = write!(
            out,
            "<div class=\"callout excluded\"><strong>Excluded by assumption \
             <code>{}</code>.</strong> {}",
            escape(&exclusion.assumption),
            escape(&exclusion.text)
        );
        if let Some(reason) = &exclusion.reason {
            let _ = write!(out, " <em>Reason:</em> {}", escape(reason));
        }
        out.push_str("</div>\n");
    }

    out.push_str("<dl class=\"facts\">\n");
    if let Some(summary) = report.harm_summary(finding) {
        fact(out, "Patient harm", &escape(&summary));
    }
    let rule = report.catalog.rule(&finding.rule);
    fact(
        out,
        "Rule",
        &format!(
            "<code>{}</code> {} <span class=\"muted\">(pack <code>{}</code>)</span>",
            escape(&finding.rule),
            escape(&finding.rule_name),
            escape(&finding.pack)
        ),
    );
    let mut target = format!(
        "{} <code>{}</code>",
        escape(report.subject_kind_words(finding)),
        escape(&finding.subject.id)
    );
    if finding.subject.name != finding.subject.id {
        let _ = write!(target, " ({})", escape(&finding.subject.name));
    }
    if let Some((from, to)) = report.flow_ends(finding) {
        let _ = write!(
            target,
            " from <code>{}</code> to <code>{}</code>",
            escape(from),
            escape(to)
        );
    }
    fact(out, "Target", &target);
    fact(
        out,
        "Severity",
        &format!(
            "{} · exploitability {} · failure mode {}",
            severity,
            finding.exploitability.as_str(),
            finding.failure_mode.map_or("none", |mode| mode.as_str())
        ),
    );
    if let Some(cvss) = &finding.cvss {
        fact(
            out,
            "CVSS v4.0",
            &format!(
                "{} ({}) <code>{}</code>",
                cvss.score,
                escape(&cvss.severity),
                escape(&cvss.vector)
            ),
        );
    }
    fact(
        out,
        "STRIDE",
        &list(finding.stride.iter().map(|s| escape(s.as_str()))),
    );
    fact(
        out,
        "LINDDUN",
        &list(finding.linddun.iter().map(|l| escape(l.as_str()))),
    );
    fact(
        out,
        "MITRE ATLAS",
        &list(finding.atlas.iter().map(|id| {
            let name = report
                .atlas_name(id)
                .map(|name| format!(" {}", escape(&name)))
                .unwrap_or_default();
            format!(
                "<a href=\"https://atlas.mitre.org/techniques/{0}\" rel=\"noopener noreferrer\">{0}</a>{name}",
                escape(id)
            )
        })),
    );
    fact(
        out,
        "OWASP",
        &list(finding.owasp.iter().map(|id| escape(id))),
    );
    fact(
        out,
        "CWE",
        &list(finding.cwe.iter().map(|id| match id.strip_prefix("CWE-") {
            Some(number) if number.bytes().all(|b| b.is_ascii_digit()) => format!(
                "<a href=\"https://cwe.mitre.org/data/definitions/{number}.html\" \
                     rel=\"noopener noreferrer\">{}</a>",
                escape(id)
            ),
            _ => escape(id),
        })),
    );
    let place = report.place(finding);
    fact(
        out,
        "Model file",
        &format!(
            "<code>{}</code> line {}, column {}",
            escape(&place.file),
            place.line,
            place.column
        ),
    );
    fact(
        out,
        "Fingerprint",
        &format!("<code>{}</code>", escape(&finding.fingerprint)),
    );
    out.push_str("</dl>\n");

    if let Some(why) = rule.map(|r| r.doc.why.trim()).filter(|w| !w.is_empty()) {
        let _ = writeln!(
            out,
            "<p class=\"why\"><strong>Why it matters.</strong> {}</p>",
            escape(why)
        );
    }

    controls(out, report, finding);

    let references: Vec<&String> = rule
        .map(|r| {
            r.doc
                .references
                .iter()
                .filter(|uri| uri.starts_with("https://") || uri.starts_with("http://"))
                .collect()
        })
        .unwrap_or_default();
    if !references.is_empty() {
        out.push_str("<h4>References</h4>\n<ul class=\"refs\">\n");
        for uri in references {
            let _ = writeln!(
                out,
                "<li><a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a></li>",
                escape(uri)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n</details>\n");
}

/// The subject's name, with its id underneath when the two differ.
fn target_cell(finding: &Finding) -> String {
    let subject = &finding.subject;
    if subject.name == subject.id {
        format!("<span class=\"mono\">{}</span>", escape(&subject.id))
    } else {
        format!(
            "{}<small class=\"mono\">{}</small>",
            escape(&subject.name),
            escape(&subject.id)
        )
    }
}

fn controls(out: &mut String, report: &Report<'_>, finding: &Finding) {
    if finding.mitigations.is_empty() {
        out.push_str("<p class=\"muted\">No control in the catalog mitigates this threat.</p>\n");
        return;
    }
    out.push_str(
        "<h4>Mitigating controls <span class=\"muted\">(any one in place mitigates the threat)</span></h4>\n\
         <ul class=\"controls\">\n",
    );
    for id in &finding.mitigations {
        let in_place = finding.controls_in_place.contains(id);
        let control = report.catalog.control(id);
        let name = control.map_or_else(|| escape(id), |c| escape(&c.name));
        let description = control
            .map(|c| format!("<span class=\"desc\">{}</span>", escape(&c.description)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<li class=\"{}\"><span class=\"mark\" aria-hidden=\"true\"></span>\
             <span><strong>{name}</strong> <code>{}</code> <span class=\"state\">{}</span>{description}</span></li>",
            if in_place { "in-place" } else { "missing" },
            escape(id),
            if in_place { "in place" } else { "not in place" },
        );
    }
    out.push_str("</ul>\n");
}

fn fact(out: &mut String, term: &str, html: &str) {
    let _ = writeln!(out, "<dt>{term}</dt><dd>{html}</dd>");
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        "<span class=\"muted\">none</span>".to_string()
    } else {
        items.join(", ")
    }
}

fn footer(out: &mut String, report: &Report<'_>) {
    let packs: Vec<String> = report
        .catalog
        .packs
        .iter()
        .map(|pack| escape(&pack.name))
        .collect();
    let _ = writeln!(
        out,
        "<footer class=\"wrap\">Generated by noharm {VERSION} with {} rules from {}.</footer>",
        report.catalog.rules.len(),
        if packs.is_empty() {
            "no packs".to_string()
        } else {
            packs.join(", ")
        }
    );
}

/// Text made safe for HTML content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root {
  --bg: #f4f6f9; --panel: #ffffff; --text: #1b2330; --muted: #5d6778; --line: #dfe3ea;
  --head: #f8f9fb; --hover: #f3f6fb; --code: #eef1f5; --link: #1d4ed8; --faint: #b3bac6;
  --critical: #a11a1a; --critical-bg: #fde5e5; --high: #c2410c; --high-bg: #ffedd8;
  --medium: #9a6700; --medium-bg: #fdf2c9; --low: #4b5563; --low-bg: #e8ebef;
  --ok: #15803d; --ok-bg: #dcfce7; --note-bg: #e6eefb; --banner: #0f1c2e; --banner-text: #e8eef7; --banner-muted: #a9b9cf;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f141b; --panel: #161d27; --text: #e4e9f0; --muted: #9aa6b8; --line: #29323f;
    --head: #1a222d; --hover: #1c2531; --code: #222b37; --link: #8ab4ff; --faint: #4b5566;
    --critical: #ff8a8a; --critical-bg: #4a1717; --high: #ffab70; --high-bg: #47260f;
    --medium: #f3cd5b; --medium-bg: #3d3210; --low: #b7c0cc; --low-bg: #2a323d;
    --ok: #6ee7a0; --ok-bg: #133824; --note-bg: #1b2a40; --banner: #0a1019;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--link); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.86em; }
code { background: var(--code); padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.page { background: var(--banner); color: var(--banner-text); padding: 28px 0 22px; }
.eyebrow { margin: 0; font-size: 12px; letter-spacing: 0.09em; text-transform: uppercase; color: var(--banner-muted); }
h1 { margin: 4px 0 12px; font-size: 30px; line-height: 1.2; overflow-wrap: anywhere; }
.chips { margin: 0 0 10px; display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-block; padding: 2px 11px; border-radius: 999px; font-size: 13px;
  border: 1px solid rgba(255,255,255,0.22); color: var(--banner-text); }
.chip.tier { border-color: transparent; font-weight: 600; }
.tier-high { background: #b42318; } .tier-moderate { background: #b25e09; } .tier-low { background: #2f6f3e; }
.intended { margin: 6px 0 0; max-width: 80ch; color: #cfdae9; }
.meta { margin: 8px 0 0; font-size: 13px; color: var(--banner-muted); }
main { padding: 8px 24px 40px; }
section { margin-top: 30px; }
h2 { margin: 0 0 4px; font-size: 20px; display: flex; align-items: baseline; gap: 10px; }
h2 .count { font-size: 14px; font-weight: 600; color: var(--muted); background: var(--code);
  padding: 0 9px; border-radius: 999px; }
h4 { margin: 16px 0 6px; font-size: 14px; }
h4 .muted { font-weight: 400; }
.note, .muted { color: var(--muted); }
.note { margin: 0 0 12px; }
.empty { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 12px 0 16px; }
.card { display: block; background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 16px; color: inherit; text-decoration: none; border-top: 4px solid var(--line); }
a.card:hover { background: var(--hover); }
.card .n { display: block; font-size: 32px; font-weight: 700; line-height: 1.15; }
.card .label { color: var(--muted); font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: 0.06em; }
.card.open { border-top-color: var(--low); }
.card.open.worst-critical { border-top-color: var(--critical); } .card.open.worst-critical .n { color: var(--critical); }
.card.open.worst-high { border-top-color: var(--high); } .card.open.worst-high .n { color: var(--high); }
.card.open.worst-medium { border-top-color: var(--medium); } .card.open.worst-medium .n { color: var(--medium); }
.card.mitigated { border-top-color: var(--ok); }
table.counts { border-collapse: separate; border-spacing: 0; background: var(--panel); border: 1px solid var(--line);
  border-radius: 10px; overflow: hidden; font-variant-numeric: tabular-nums; }
.counts th, .counts td { padding: 7px 16px; border-bottom: 1px solid var(--line); text-align: right; }
.counts th[scope="row"] { text-align: left; font-weight: 600; }
.counts thead th { background: var(--head); font-weight: 600; font-size: 13px; }
.counts thead th:first-child { text-align: left; }
.counts tfoot th, .counts tfoot td { border-bottom: 0; font-weight: 700; background: var(--head); }
.counts td.zero { color: var(--faint); }
.counts td.total { font-weight: 700; }
.scroll { overflow-x: auto; }
.list { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
.row, summary { display: grid; grid-template-columns: 96px 78px minmax(140px, 1.1fr) 3fr 18px;
  gap: 14px; align-items: center; padding: 10px 16px 10px 14px; }
.row.head { background: var(--head); border-bottom: 1px solid var(--line); border-left: 4px solid transparent;
  font-size: 12px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
details { border-bottom: 1px solid var(--line); border-left: 4px solid var(--sev, var(--line)); }
details:last-child { border-bottom: 0; }
summary { cursor: pointer; list-style: none; }
summary::-webkit-details-marker { display: none; }
summary:hover { background: var(--hover); }
summary:focus-visible { outline: 2px solid var(--link); outline-offset: -2px; }
summary .rule { font-weight: 600; }
summary .target { overflow-wrap: anywhere; line-height: 1.3; }
summary .target small { display: block; color: var(--muted); font-size: 12px; }
summary .title { font-weight: 500; overflow-wrap: anywhere; }
.chev::before { content: "\203A"; display: inline-block; font-size: 20px; line-height: 1; color: var(--muted); transition: transform 0.15s; }
details[open] > summary .chev::before { transform: rotate(90deg); }
details[open] > summary { background: var(--hover); }
.sev { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px; border-radius: 5px;
  font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--sev); background: var(--sev-bg); }
.sev-critical { --sev: var(--critical); --sev-bg: var(--critical-bg); }
.sev-high { --sev: var(--high); --sev-bg: var(--high-bg); }
.sev-medium { --sev: var(--medium); --sev-bg: var(--medium-bg); }
.sev-low { --sev: var(--low); --sev-bg: var(--low-bg); }
.status-mitigated summary .title, .status-excluded summary .title { color: var(--muted); }
.body { padding: 6px 20px 20px 16px; border-top: 1px solid var(--line); }
.statement { margin: 12px 0 14px; padding: 2px 0 2px 14px; border-left: 3px solid var(--sev); font-size: 16px; max-width: 85ch; }
.callout { margin: 0 0 14px; padding: 10px 14px; border-radius: 8px; background: var(--note-bg); max-width: 85ch; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 5px 18px; margin: 0 0 8px; font-size: 14px; }
dl.facts dt { color: var(--muted); font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.why { max-width: 85ch; font-size: 14px; }
ul.controls { list-style: none; margin: 0; padding: 0; font-size: 14px; }
ul.controls li { display: grid; grid-template-columns: 22px 1fr; gap: 6px; padding: 5px 0; border-top: 1px dashed var(--line); }
ul.controls li:first-child { border-top: 0; }
.mark::before { content: "\25CB"; color: var(--muted); font-weight: 700; }
li.in-place .mark::before { content: "\2713"; color: var(--ok); }
.state { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; padding: 0 6px;
  border-radius: 4px; margin-left: 4px; color: var(--muted); background: var(--code); }
li.in-place .state { color: var(--ok); background: var(--ok-bg); }
.desc { display: block; color: var(--muted); }
ul.refs { margin: 0; padding-left: 18px; font-size: 14px; overflow-wrap: anywhere; }
.diagram figure { margin: 12px 0 0; padding: 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow: auto; }
.diagram svg { max-width: 100%; height: auto; }
footer { color: var(--muted); font-size: 13px; padding: 0 24px 32px; }
@media (max-width: 760px) {
  .row.head { display: none; }
  main { padding: 8px 14px 32px; }
  .wrap { padding: 0 14px; }
  .cards { grid-template-columns: repeat(3, 1fr); gap: 8px; }
  .card { padding: 10px 12px; }
  .card .n { font-size: 26px; }
  .counts th, .counts td { padding: 6px 8px; }
  .sev { min-width: 0; }
  summary { grid-template-columns: auto 1fr 18px; grid-template-areas: "sev rule chev" "title title title" "target target target"; gap: 4px 10px; }
  summary .sevcell { grid-area: sev; } summary .rule { grid-area: rule; } summary .chev { grid-area: chev; }
  summary .title { grid-area: title; }
  summary .target { grid-area: target; font-size: 13px; color: var(--muted); }
  summary .target small { display: inline; margin-left: 6px; }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: 6px; }
}
@media print {
  body { background: #fff; color: #000; }
  header.page { background: none; color: #000; padding-top: 0; }
  .chip, .intended, .meta, .eyebrow { color: #000; }
  details::details-content { content-visibility: visible; display: block; }
  details > .body { display: block; }
  details, .card { break-inside: avoid; }
  .chev { display: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_covers_content_and_attributes() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
    }
}
