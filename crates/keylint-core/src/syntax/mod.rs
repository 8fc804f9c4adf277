//! Lossless readers: every byte of the input keeps its position.

pub mod dotenv;
pub mod yaml;
