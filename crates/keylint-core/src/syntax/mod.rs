//! Lossless readers: every byte of the input keeps its position.

pub mod dotenv;
pub(crate) mod simple_line;
pub mod yaml;
