//! One file per LSP method; `publish` is the push path shared by the notifications.

pub mod code_action;
pub mod completion;
pub mod definition;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod execute_command;
pub mod hover;
pub mod initialize;
pub mod publish;
pub mod references;
