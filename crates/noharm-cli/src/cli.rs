//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes:
  0  clean: no errors, and nothing you asked to fail on
  1  findings or warnings that you asked to fail on (--deny-warnings)
  2  invalid input or usage: the model has errors, a file cannot be read, a bad argument

Start with:
  noharm check examples/sepsis-ews.yaml      validate a model
  noharm schema > noharm.schema.json         JSON Schema for editor completion

Environment:
  NO_COLOR     turn colours off (as does --color never, or output that is not a terminal)
  NOHARM_LOG   log filter for debugging, e.g. NOHARM_LOG=debug";

/// Threat modeling and risk operations for clinical AI systems, ranked by
/// patient harm first.
///
/// Describe a system (its data, trust boundaries, components, data flows and
/// the harms its output can cause a patient) in a YAML or JSON model file,
/// and noharm checks it, finds the threats, and ranks them by what they can do
/// to a patient.
#[derive(Debug, Parser)]
#[command(name = "noharm", version, about, long_about, after_help = AFTER_HELP, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// When to use colours
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,

    /// Log more about what noharm does (-v, -vv, -vvv), on standard error
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// When writing to a terminal and NO_COLOR is not set
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Find the threats in a model and explain each one
    #[command(after_help = "\
Exit codes: 0 when no open finding reaches --fail-on (or it is not given), 1 when one does,
2 when the model or a rule pack has errors.

Examples:
  noharm analyze examples/sepsis-ews.yaml
  noharm analyze model.yaml --format json --output findings.json
  noharm analyze model.yaml --format sarif --output noharm.sarif   # code scanning
  noharm analyze model.yaml --format html --output report.html
  noharm analyze model.yaml --fail-on high          # CI gate
  noharm analyze model.yaml --rules our-rules/      # add a folder of packs")]
    Analyze(AnalyzeArgs),

    /// List, show and explain rules and controls; import MITRE ATLAS
    #[command(subcommand)]
    Catalog(CatalogCommand),

    /// Draw the data-flow diagram with trust boundaries and findings overlaid
    #[command(after_help = "\
Elements are coloured by their most urgent open finding (P1 red, P2 orange, P3 yellow,
P4 grey) with a badge counting them; PHI flows are drawn thick. SVG is laid out by noharm
itself; DOT is for Graphviz and Mermaid for Markdown renderers.")]
    Diagram(DiagramArgs),

    /// Attack trees: one per patient harm, generated from the findings, or read from a file
    #[command(after_help = "\
INPUT is a model (trees are generated: OR over the findings that reach each harm, each a
sequence of steps, controls as countermeasures) or a tree file: noharm's own YAML
(`noharm-tree: 1`, see docs/attack-trees.md), ADTool 2 XML, or deciduous YAML.
Metrics are exact also when steps are shared: minimal cost, skill and time, success
probability, the minimal attack sets, and the effect of each countermeasure.")]
    Tree(TreeArgs),

    /// Validate model files and report every problem with its location
    #[command(after_help = "Each MODEL is the root file of one model; its includes are read too.")]
    Check(CheckArgs),

    /// Print the JSON Schema of the model format, for editor completion
    #[command(after_help = "\
For VS Code with the YAML extension, save the schema and add to your settings:
  \"yaml.schemas\": { \"./noharm.schema.json\": \"*.noharm.yaml\" }
or start a model file with:
  # yaml-language-server: $schema=./noharm.schema.json")]
    Schema(SchemaArgs),

    /// Print a shell completion script
    #[command(after_help = "\
Bash:  noharm completions bash > ~/.local/share/bash-completion/completions/noharm
Zsh:   noharm completions zsh > \"${fpath[1]}/_noharm\"
Fish:  noharm completions fish > ~/.config/fish/completions/noharm.fish")]
    Completions(CompletionsArgs),
}

/// Output for people or for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagnosticFormat {
    /// Messages with the offending source lines
    Human,
    /// One JSON document on standard output
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Model files (YAML or JSON) to check
    #[arg(required = true, value_name = "MODEL")]
    pub(crate) models: Vec<PathBuf>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = DiagnosticFormat::Human)]
    pub(crate) format: DiagnosticFormat,

    /// Exit with 1 when there are warnings (errors always exit with 2)
    #[arg(long)]
    pub(crate) deny_warnings: bool,

    /// Print only problems, not the summary of each valid model
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

/// Which rule packs to use.
#[derive(Debug, Args, Clone)]
pub(crate) struct PackArgs {
    /// Add a rule pack (a file, or a folder of .yaml packs); repeatable
    #[arg(long = "rules", value_name = "PATH")]
    pub(crate) rules: Vec<PathBuf>,

    /// Leave out the built-in packs
    #[arg(long)]
    pub(crate) no_builtin: bool,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// A table for the terminal
    Table,
    /// The JSON contract for other tools
    Json,
}

/// Formats of the findings report. A type of its own rather than more
/// variants of `ReportFormat`, which the catalog commands share and which
/// have no Markdown, CSV, SARIF or HTML rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AnalyzeFormat {
    /// A table for the terminal
    Table,
    /// The JSON contract for other tools
    Json,
    /// Markdown for a ticket or wiki page
    Markdown,
    /// CSV (RFC 4180), one row per finding, for spreadsheets
    Csv,
    /// SARIF 2.1.0 for code scanning dashboards
    Sarif,
    /// A standalone HTML page
    Html,
}

/// Technical severities for --fail-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub(crate) enum FailOn {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// The model's root file (YAML or JSON)
    #[arg(value_name = "MODEL")]
    pub(crate) model: PathBuf,

    #[command(flatten)]
    pub(crate) packs: PackArgs,

    /// Also run preview rules
    #[arg(long)]
    pub(crate) preview: bool,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = AnalyzeFormat::Table)]
    pub(crate) format: AnalyzeFormat,

    /// Write the report to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit with 1 when an open finding is at least this severe
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<FailOn>,

    /// Scoring policy: weights, acceptability matrix, sign-offs (see docs/policy.md)
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: Option<PathBuf>,

    /// In the table, also list mitigated and excluded findings
    #[arg(long)]
    pub(crate) all: bool,

    /// In the table, leave out each finding's threat statement
    #[arg(long)]
    pub(crate) brief: bool,
}

/// Diagram formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagramFormat {
    /// SVG, laid out by noharm
    Svg,
    /// Graphviz DOT
    Dot,
    /// A Mermaid flowchart
    Mermaid,
}

#[derive(Debug, Args)]
pub(crate) struct DiagramArgs {
    /// The model's root file
    #[arg(value_name = "MODEL")]
    pub(crate) model: PathBuf,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = DiagramFormat::Svg)]
    pub(crate) format: DiagramFormat,

    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Draw the architecture only, without findings
    #[arg(long)]
    pub(crate) no_findings: bool,

    #[command(flatten)]
    pub(crate) packs: PackArgs,
}

/// Attack tree output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TreeFormat {
    /// An indented tree with the metrics
    Text,
    /// JSON for other tools
    Json,
    /// Graphviz DOT
    Dot,
    /// SVG, laid out by noharm
    Svg,
}

#[derive(Debug, Args)]
pub(crate) struct TreeArgs {
    /// A model, or an attack tree file
    #[arg(value_name = "INPUT")]
    pub(crate) input: PathBuf,

    /// Only the tree of this harm id
    #[arg(long, value_name = "HARM")]
    pub(crate) harm: Option<String>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = TreeFormat::Text)]
    pub(crate) format: TreeFormat,

    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) packs: PackArgs,

    /// Scoring policy (see docs/policy.md)
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CatalogCommand {
    /// List the loaded packs and their rules
    List(CatalogListArgs),
    /// Show a rule, control, or MITRE ATLAS technique or mitigation by id
    Show(CatalogShowArgs),
    /// Explain a rule: what it detects, why it matters for a patient, an example
    Explain(CatalogShowArgs),
    /// Refresh ATLAS technique and mitigation names from MITRE's ATLAS.yaml
    #[command(after_help = "\
The table is written to the user's data directory (or --output) and used by
later runs instead of the built-in one. ATLAS.yaml comes from MITRE's atlas-data
repository (dist/ATLAS.yaml).")]
    ImportAtlas(ImportAtlasArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CatalogListArgs {
    #[command(flatten)]
    pub(crate) packs: PackArgs,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Table)]
    pub(crate) format: ReportFormat,
}

#[derive(Debug, Args)]
pub(crate) struct CatalogShowArgs {
    /// A rule id (AIL004), rule name, control id, or ATLAS id (AML.T0020)
    #[arg(value_name = "ID")]
    pub(crate) id: String,

    #[command(flatten)]
    pub(crate) packs: PackArgs,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Table)]
    pub(crate) format: ReportFormat,
}

#[derive(Debug, Args)]
pub(crate) struct ImportAtlasArgs {
    /// MITRE's ATLAS.yaml
    #[arg(value_name = "ATLAS.yaml")]
    pub(crate) file: PathBuf,

    /// Where to write the table (default: the user's data directory)
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Write the schema to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
