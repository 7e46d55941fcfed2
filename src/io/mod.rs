//! Writing outputs safely: atomic files, and cleanup of temporaries on signals.

pub mod atomic_file;
