//! Work-tree files as git sees them: the blob id `git add` would record for a file, after git's
//! conversion into its stored form (`text` and `eol` attributes, `core.autocrlf`,
//! `working-tree-encoding`, `ident`). A CRLF file that git stores with LF endings is unchanged
//! for `git status`, and so it is here.
//!
//! backlint runs no programs: a file whose `filter` attribute names a configured filter driver
//! (`filter.<name>.clean` or `.process`, as git-lfs sets up) would need that program to be
//! turned into its stored form, so its blob id is unknown here.

use std::path::Path;

use gix::bstr::{BString, ByteSlice};
use gix::filter::plumbing as filter;
use gix::ObjectId;

/// Hashes work-tree files of one repository; the conversion is set up for the first file.
pub(crate) struct Hasher<'r> {
    repo: &'r gix::Repository,
    /// Tells the conversion how a path is stored now (git keeps CRLF in a file that was
    /// committed with it); without an index, files are hashed as they are.
    index: Option<&'r gix::index::State>,
    /// `None` until first used; `Some(None)` if it could not be set up.
    conversion: Option<Option<Conversion>>,
}

/// git's conversion to the stored form, without filter drivers.
struct Conversion {
    pipeline: filter::Pipeline,
    attributes: gix::worktree::Stack,
    /// The configured filter drivers that would run a program.
    drivers: Vec<BString>,
}

impl Conversion {
    fn new(repo: &gix::Repository) -> Option<Conversion> {
        let (_, attributes) = repo.filter_pipeline(None).ok()?.0.into_parts();
        let mut options = gix::filter::Pipeline::options(repo).ok()?;
        let drivers = std::mem::take(&mut options.drivers)
            .into_iter()
            .filter(|d| d.clean.is_some() || d.process.is_some())
            .map(|d| d.name)
            .collect();
        let pipeline = filter::Pipeline::new(repo.command_context().ok()?, repo.object_hash(), options);
        Some(Conversion { pipeline, attributes, drivers })
    }
}

impl<'r> Hasher<'r> {
    pub fn new(repo: &'r gix::Repository, index: Option<&'r gix::index::State>) -> Self {
        Hasher { repo, index, conversion: None }
    }

    /// The blob id of `file`, found at the repository-relative `path`; `None` if it cannot be
    /// read, or if a filter driver program would be needed to know it.
    pub fn blob_id(&mut self, path: &str, file: &Path) -> Option<ObjectId> {
        let data = std::fs::read(file).ok()?;
        let data = self.convert(path, data)?;
        gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, &data).ok()
    }

    /// `data` as git would store it; unchanged when no conversion applies or it fails, `None`
    /// when a filter driver applies.
    fn convert(&mut self, path: &str, data: Vec<u8>) -> Option<Vec<u8>> {
        let Some(index) = self.index else { return Some(data) };
        let repo = self.repo;
        let conversion = self.conversion.get_or_insert_with(|| Conversion::new(repo));
        let Some(Conversion { pipeline, attributes, drivers }) = conversion else { return Some(data) };
        let Ok(entry) = attributes.at_path(Path::new(path), None, &repo.objects) else { return Some(data) };
        let mut needs_driver = false;
        let outcome = pipeline.convert_to_git(
            &data[..],
            Path::new(path),
            &mut |_, attrs| {
                entry.matching_attributes(attrs);
                needs_driver = attrs.iter_selected().any(|m| {
                    m.assignment.name.as_str() == "filter"
                        && matches!(m.assignment.state, gix::attrs::StateRef::Value(name) if drivers.iter().any(|d| d.as_bstr() == name.as_bstr()))
                });
            },
            &mut |buf| {
                let Some(entry) = index.entry_by_path(path.as_bytes().as_bstr()) else { return Ok(None) };
                let object = gix::objs::Find::try_find(&repo.objects, &entry.id, buf)?;
                Ok(object.filter(|o| o.kind == gix::objs::Kind::Blob).map(|_| ()))
            },
        );
        if needs_driver {
            return None;
        }
        let converted = match outcome {
            Ok(mut out) if out.is_changed() => {
                let mut buf = Vec::with_capacity(data.len());
                std::io::Read::read_to_end(&mut out, &mut buf).ok().map(|_| buf)
            }
            _ => None,
        };
        Some(converted.unwrap_or(data))
    }
}
