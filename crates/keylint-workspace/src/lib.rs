//! keylint-workspace: everything keylint knows about the project on disk, shared by the
//! command line and the language server.
//!
//! **Architecture invariant:** the only place that opens workspace files. Reading never
//! blocks on or swallows a special file (FIFO, device, socket) and never takes more
//! than a size limit; writing goes through a temporary file that git ignores, keeps the
//! file's owner and mode, follows symlinks to the real file, and refuses to overwrite a
//! file that changed since it was read.

pub mod files;
pub mod write;
