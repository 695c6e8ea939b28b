//! Work-tree files as git sees them: the blob id `git add` would record for a file, after git's
//! conversion into its stored form (`text` and `eol` attributes, `core.autocrlf`, filter
//! drivers). A CRLF file that git stores with LF endings is unchanged for `git status`, and so
//! it is here.

use std::path::Path;

use gix::ObjectId;

/// Hashes work-tree files of one repository; the conversion is set up for the first file.
pub(crate) struct Hasher<'r> {
    repo: &'r gix::Repository,
    /// Tells the conversion how a path is stored now (git keeps CRLF in a file that was
    /// committed with it); without an index, files are hashed as they are.
    index: Option<&'r gix::index::State>,
    /// `None` until first used; `Some(None)` if it could not be set up.
    pipeline: Option<Option<gix::filter::Pipeline<'r>>>,
}

impl<'r> Hasher<'r> {
    pub fn new(repo: &'r gix::Repository, index: Option<&'r gix::index::State>) -> Self {
        Hasher { repo, index, pipeline: None }
    }

    /// The blob id of `file`, found at the repository-relative `path`; `None` if it cannot be
    /// read.
    pub fn blob_id(&mut self, path: &str, file: &Path) -> Option<ObjectId> {
        let data = std::fs::read(file).ok()?;
        let data = self.convert(path, data);
        gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, &data).ok()
    }

    /// `data` as git would store it; unchanged when no conversion applies or it fails.
    fn convert(&mut self, path: &str, data: Vec<u8>) -> Vec<u8> {
        let Some(index) = self.index else { return data };
        let repo = self.repo;
        let pipeline = self.pipeline.get_or_insert_with(|| repo.filter_pipeline(None).ok().map(|(p, _)| p));
        let Some(pipeline) = pipeline else { return data };
        let converted = match pipeline.convert_to_git(&data[..], Path::new(path), index) {
            Ok(mut out) if out.is_changed() => {
                let mut buf = Vec::with_capacity(data.len());
                std::io::Read::read_to_end(&mut out, &mut buf).ok().map(|_| buf)
            }
            _ => None,
        };
        converted.unwrap_or(data)
    }
}
