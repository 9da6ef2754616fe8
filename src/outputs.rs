//! The binary's side of the outputs: which ones the flags ask for, printing, and
//! what a closed standard output or a failed write means for the exit status.

use std::io::{self, Write};
use whipcount::error::{Edit, Error, Result, Setting};
use whipcount::export::{Format, Output, Outputs, Render, Target};
use whipcount::text::escape;

/// Checks `files` together with the summary on standard output: JSON with
/// `--json`, else text (sent to standard error when a file output is `-`).
/// Returns the checked outputs; nothing has been written yet.
pub fn summary_outputs(mut files: Vec<Output>, json: bool) -> Result<Summary> {
    let stdout_taken = files.iter().any(|o| o.target == Target::Stdout);
    if json {
        files.push(Output::stdout("--json", Format::Json));
    } else if !stdout_taken {
        files.push(Output::stdout("the summary", Format::Text));
    }
    Ok(Summary { outputs: Outputs::check(files)?, text_to_stderr: !json && stdout_taken })
}

/// Checked outputs, and where the text summary goes.
pub struct Summary {
    outputs: Outputs,
    text_to_stderr: bool,
}

/// Writes every output of `result` (all files or none), then the summary.
pub fn emit(summary: &Summary, result: &dyn Render) -> Result<()> {
    summary.outputs.write(result, &mut io::stdout().lock())?;
    if summary.text_to_stderr {
        let text = result.render(Format::Text)?;
        let _ = io::stderr().lock().write_all(&text);
    }
    Ok(())
}

/// Prints `text` on standard output.
pub fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|source| Error::Io { path: "-".into(), source })
}

/// Prints one line on standard error (and nothing if that is closed too).
pub fn error_line(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Ends the program for `e`: quietly with 0 when standard output was closed
/// (`whipcount check configs/*.toml | head`), else the message and its status.
pub fn exit_with(e: Error) -> ! {
    if let Error::Io { path, source } = &e
        && path.as_os_str() == "-"
        && source.kind() == io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
    error_line(&format!("error: {}", message(&e)));
    std::process::exit(e.exit_code())
}

/// The message of `e` in command-line terms: settings and edits by their flags.
pub fn message(e: &Error) -> String {
    match e {
        Error::Setting { setting, message } => format!("{} {}", setting_flag(*setting), escape(message)),
        Error::Edit(e) => e.describe(edit_flag),
        Error::Scenario(e) => e.describe(edit_flag),
        e => e.to_string(),
    }
}

/// The flag that gives `setting`.
fn setting_flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Threads => "--threads",
        Setting::Chart => "--plot",
    }
}

/// The flag that makes an `edit`.
fn edit_flag(edit: Edit) -> &'static str {
    match edit {
        Edit::Set => "--set",
        Edit::Vary => "--vary",
        Edit::Balance => "--balance",
        Edit::Sweep => "`whipcount sweep --vary`",
    }
}
