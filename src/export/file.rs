//! Where outputs go: checked before any work, written all or none.
//!
//! [`Outputs::check`] looks at every target the user named before the run starts,
//! so a bad path costs nothing: at most one may be standard output (`-`); a new
//! file's directory must exist and take a file; an existing regular file must be
//! writable and not read-only; its name must end in the format's extension.
//!
//! [`Outputs::commit`] then writes all or none:
//! 1. every regular file (or new path) is staged in a temporary file beside it,
//!    created exclusively under an unpredictable name (`tempfile`), written and
//!    synced; a failure here (ENOSPC, say) deletes the temporaries and leaves
//!    every target as it was;
//! 2. devices and FIFOs (`/dev/null`, `/dev/stdout`, a named pipe) are written
//!    through: they cannot be replaced, and must not be turned into files;
//! 3. the temporaries are renamed over their targets;
//! 4. standard output comes last.
//!
//! A symbolic link is written through to its target: the link stays, the file it
//! points to is replaced (atomically, in the target's directory). Temporary files
//! are named `.whipcount-PID-RANDOM.tmp`; one left by a killed process (`kill -9`
//! between steps 1 and 3) is removed by the next run that writes into the same
//! directory once its process is gone or it is an hour old.

use super::{Format, Render};
use crate::error::{Error, Result};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::NamedTempFile;

/// The start of every temporary file name.
const TEMP_PREFIX: &str = ".whipcount-";
/// The end of every temporary file name.
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file this old is stale even if a process with its PID runs.
const STALE_AFTER: Duration = Duration::from_secs(3600);
/// The most symbolic links followed to find a target.
const MAX_LINKS: usize = 40;

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output (`-`).
    Stdout,
    /// A path.
    Path(PathBuf),
}

/// One output that the user asked for: what it is called, its format and target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// How the user named it (the binary passes e.g. `--out`); used in messages.
    pub label: String,
    /// The format to write.
    pub format: Format,
    /// Where to write it.
    pub target: Target,
}

impl Output {
    /// `path` as a target of `format`; `-` means standard output.
    pub fn new(label: &str, format: Format, path: &Path) -> Output {
        let target = if path == Path::new("-") { Target::Stdout } else { Target::Path(path.to_path_buf()) };
        Output { label: label.to_string(), format, target }
    }

    /// Standard output in `format`.
    pub fn stdout(label: &str, format: Format) -> Output {
        Output { label: label.to_string(), format, target: Target::Stdout }
    }
}

/// How a checked output is written.
#[derive(Debug)]
enum Plan {
    Stdout,
    /// Staged beside `path` (the link's target for a link), then renamed over it.
    Replace {
        path: PathBuf,
        permissions: Option<Permissions>,
    },
    /// Opened and written in place: a device or a FIFO.
    Through {
        path: PathBuf,
    },
}

/// Outputs checked and ready to be written.
#[derive(Debug)]
pub struct Outputs {
    items: Vec<(Output, Plan)>,
}

impl Outputs {
    /// Checks every output before any work; see the module documentation.
    pub fn check(outputs: Vec<Output>) -> Result<Outputs> {
        let on_stdout: Vec<&str> =
            outputs.iter().filter(|o| o.target == Target::Stdout).map(|o| o.label.as_str()).collect();
        if on_stdout.len() > 1 {
            return Err(Error::Usage(format!(
                "{} all ask for standard output; at most one output may go there",
                on_stdout.join(" and ")
            )));
        }
        let items = outputs.into_iter().map(|o| plan(&o).map(|p| (o, p))).collect::<Result<_>>()?;
        Ok(Outputs { items })
    }

    /// The checked outputs, in the order given.
    pub fn outputs(&self) -> impl Iterator<Item = &Output> {
        self.items.iter().map(|(o, _)| o)
    }

    /// Whether any output goes to standard output.
    pub fn uses_stdout(&self) -> bool {
        self.items.iter().any(|(_, p)| matches!(p, Plan::Stdout))
    }

    /// Renders `result` in every output's format, then writes them all or none.
    pub fn write(&self, result: &dyn Render, stdout: &mut dyn Write) -> Result<()> {
        let contents = self.items.iter().map(|(o, _)| result.render(o.format)).collect::<Result<Vec<_>>>()?;
        self.commit(&contents, stdout)
    }

    /// Writes `contents[i]` to output i: all files or none, standard output last.
    pub fn commit(&self, contents: &[Vec<u8>], stdout: &mut dyn Write) -> Result<()> {
        let staged = self.stage(contents)?;
        for ((_, plan), bytes) in self.items.iter().zip(contents) {
            if let Plan::Through { path } = plan {
                write_through(path, bytes).map_err(|e| io_error(path, e))?;
            }
        }
        for (temp, path) in staged {
            temp.persist(&path).map_err(|e| io_error(&path, e.error))?;
        }
        for ((_, plan), bytes) in self.items.iter().zip(contents) {
            if let Plan::Stdout = plan {
                stdout.write_all(bytes).and_then(|()| stdout.flush()).map_err(|e| io_error(Path::new("-"), e))?;
            }
        }
        Ok(())
    }

    /// Step 1: every replaced file in a synced temporary beside it.
    fn stage(&self, contents: &[Vec<u8>]) -> Result<Vec<(NamedTempFile, PathBuf)>> {
        let mut staged = Vec::new();
        for ((_, plan), bytes) in self.items.iter().zip(contents) {
            if let Plan::Replace { path, permissions } = plan {
                let temp = stage_one(path, permissions.as_ref(), bytes).map_err(|e| io_error(path, e))?;
                staged.push((temp, path.clone()));
            }
        }
        Ok(staged)
    }
}

fn io_error(path: &Path, source: io::Error) -> Error {
    Error::Io { path: path.to_path_buf(), source }
}

fn stage_one(path: &Path, permissions: Option<&Permissions>, bytes: &[u8]) -> io::Result<NamedTempFile> {
    let mut temp = new_temp(directory_of(path))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if let Some(p) = permissions {
        temp.as_file().set_permissions(p.clone())?;
    }
    Ok(temp)
}

/// A new, exclusively created temporary file in `dir`, with the usual permissions.
fn new_temp(dir: &Path) -> io::Result<NamedTempFile> {
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

fn write_through(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_through(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// The directory a path's file lives in (`.` for a bare name).
fn directory_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Decides how `output` will be written, or says why it cannot be.
fn plan(output: &Output) -> Result<Plan> {
    let Target::Path(given) = &output.target else { return Ok(Plan::Stdout) };
    if given.as_os_str().is_empty() || given.file_name().is_none() {
        return Err(Error::Usage(format!("{} `{}`: not a file name", output.label, given.display())));
    }
    let io = |e| io_error(given, e);
    match fs::metadata(given) {
        Ok(m) if m.is_dir() => Err(io(io::Error::new(io::ErrorKind::IsADirectory, "is a directory"))),
        Ok(m) if !m.is_file() || is_system_path(given) => special(given, &m).map_err(io),
        Ok(m) => {
            check_extension(output, given)?;
            let path = fs::canonicalize(given).map_err(io)?;
            check_replaceable(&path, &m).map_err(io)?;
            Ok(Plan::Replace { path, permissions: Some(m.permissions()) })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            check_extension(output, given)?;
            let path = follow_links(given).map_err(io)?;
            check_directory(directory_of(&path)).map_err(io)?;
            Ok(Plan::Replace { path, permissions: None })
        }
        Err(e) => Err(io(e)),
    }
}

/// `/dev/…` and `/proc/…` (`/dev/stdout`, `/proc/self/fd/1`) are written through
/// even where they lead to a regular file: replacing it would cut off the
/// process's own standard output.
fn is_system_path(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

/// The path a chain of symbolic links ends at (the path itself if it is none).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&path)?;
                path = if to.is_absolute() { to } else { directory_of(&path).join(to) };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// A device or FIFO (or a system path) is written through; a socket cannot be.
fn special(path: &Path, m: &fs::Metadata) -> io::Result<Plan> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if m.file_type().is_fifo() {
            // Opening a FIFO waits for a reader: leave that to the write.
            return Ok(Plan::Through { path: path.to_path_buf() });
        }
        if m.file_type().is_socket() {
            return Err(io::Error::other("is a socket, not a file, device or FIFO"));
        }
    }
    open_through(path)?;
    Ok(Plan::Through { path: path.to_path_buf() })
}

fn open_through(path: &Path) -> io::Result<File> {
    OpenOptions::new().append(true).open(path)
}

fn check_extension(output: &Output, path: &Path) -> Result<()> {
    let Some(wanted) = output.format.extension() else { return Ok(()) };
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if ext.as_deref() == Some(wanted) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{} `{}`: this output is {}; give a name ending in .{wanted}, or - for standard output",
        output.label,
        path.display(),
        output.format.name()
    )))
}

/// An existing file may be replaced only if it is writable (read-only stays).
fn check_replaceable(path: &Path, m: &fs::Metadata) -> io::Result<()> {
    if m.permissions().readonly() {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only; it was left as it is"));
    }
    OpenOptions::new().write(true).open(path)?;
    check_directory(directory_of(path))
}

/// The directory exists and takes a new file (tried, and removed at once);
/// stale temporaries of ours are cleaned up on the way.
fn check_directory(dir: &Path) -> io::Result<()> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, format!("{} is not a directory", dir.display())));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("no directory {}", dir.display())));
        }
        Err(e) => return Err(e),
    }
    remove_stale(dir);
    new_temp(dir).map(drop)
}

/// Removes temporary files of ours in `dir` whose process is gone or that are old.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else { continue };
        let Ok(m) = entry.metadata() else { continue };
        let age = m.modified().ok().and_then(|t| SystemTime::now().duration_since(t).ok()).unwrap_or_default();
        if m.is_file() && pid != std::process::id() && (!alive(pid) || age > STALE_AFTER) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The PID in a temporary file name of ours: `.whipcount-PID-RANDOM.tmp`.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (random.len() == 12).then_some(())?;
    pid.parse().ok()
}

/// Whether a process with this PID runs (always "yes" where that cannot be told).
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

/// Writes `bytes` to the file `path` (never standard output) whole or not at all,
/// with the checks of [`Outputs`] but none on the extension.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let output = Output { label: "output".into(), format: Format::Text, target: Target::Path(path.into()) };
    Outputs::check(vec![output])?.commit(&[bytes.to_vec()], &mut io::sink())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.csv"]);
    }

    #[test]
    fn atomic_write_into_a_missing_directory_fails_without_a_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.csv");
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(err.to_string().contains("no directory"), "{err}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn temporary_names_are_ours_unpredictable_and_short() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (new_temp(dir.path()).unwrap(), new_temp(dir.path()).unwrap());
        let name = |t: &NamedTempFile| t.path().file_name().unwrap().to_string_lossy().into_owned();
        assert_ne!(name(&a), name(&b));
        assert_eq!(temp_pid(&name(&a)), Some(std::process::id()));
        assert!(name(&a).len() < 40);
    }

    /// A link planted under the old, predictable temporary name is not followed.
    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = dir.path().join(format!(".out.csv.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, planted).unwrap();
        write_atomic(&dir.path().join("out.csv"), b"new").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn a_failure_while_staging_replaces_nothing() {
        let (dir, gone) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let kept = dir.path().join("kept.csv");
        fs::write(&kept, "precious").unwrap();
        let outputs = Outputs::check(vec![
            Output::new("--out", Format::Csv, &kept),
            Output::new("--plot", Format::Svg, &gone.path().join("p.svg")),
        ])
        .unwrap();
        fs::remove_dir(gone.path()).unwrap();
        assert!(outputs.commit(&[b"new".to_vec(), b"<svg/>".to_vec()], &mut io::sink()).is_err());
        assert_eq!(fs::read_to_string(&kept).unwrap(), "precious");
        assert_eq!(names(dir.path()), ["kept.csv"]);
    }

    #[test]
    fn the_extension_must_match_the_format() {
        let err = Outputs::check(vec![Output::new("--out", Format::Csv, Path::new("x.svg"))]).unwrap_err();
        assert!(err.to_string().contains("--out `x.svg`") && err.exit_code() == 2, "{err}");
        assert!(Outputs::check(vec![Output::new("--out", Format::Csv, Path::new("X.CSV"))]).is_ok());
    }

    #[test]
    fn stale_names_are_recognised_exactly() {
        assert_eq!(temp_pid(".whipcount-12-abcdefghijkl.tmp"), Some(12));
        assert_eq!(temp_pid(".whipcount-12-short.tmp"), None);
        assert_eq!(temp_pid(".other-12-abcdefghijkl.tmp"), None);
        assert_eq!(temp_pid(".whipcount-x-abcdefghijkl.tmp"), None);
    }
}
