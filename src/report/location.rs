//! Paths as GitHub and SARIF consumers want them: relative to the repository's work tree (the
//! project root may be a subdirectory of it), and percent-encoded inside URIs.

use super::Report;

/// A project-root relative `path` made relative to the repository's work tree. Outside any
/// repository the project root stands in for it.
pub(crate) fn repo_path(report: &Report, path: &str) -> String {
    match report.root_in_repo.as_deref() {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}/{path}"),
        _ => path.to_owned(),
    }
}

/// A relative path as a URI reference: every byte except unreserved characters and `/` is
/// percent-encoded, so that spaces, `%`, `#`, `?` and `:` cannot change its meaning.
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri_path;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("backlog/PB-1 a,b:c%d#é.md"), "backlog/PB-1%20a%2Cb%3Ac%25d%23%C3%A9.md");
    }
}
