use crate::cli::SchemaArgs;
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &SchemaArgs, out: &mut Output) -> Result<Code, Failure> {
    let schema = noharm_model::model_json_schema();
    let mut text = serde_json::to_string_pretty(&schema)
        .map_err(|error| Failure(format!("cannot serialise the schema: {error}")))?;
    text.push('\n');

    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|error| Failure(format!("cannot write `{}`: {error}", path.display())))?,
        None => out.write(&text)?,
    }
    Ok(Code::Clean)
}
