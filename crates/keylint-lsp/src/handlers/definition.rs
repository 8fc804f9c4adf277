//! `textDocument/definition`: from a variable read in source code to the places that set
//! it (env files, Compose `environment:`, workflow and Kubernetes `env:`), the one whose
//! value the program gets first (`Workspace::where_set` has the order); from a `${NAME}`
//! in a Compose file to the `.env` line that supplies it, in a workflow to its `env:`.

use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse};

use crate::navigation::{Cursor, Locations, Target};
use crate::server::Backend;

pub fn definition(
    backend: &Backend,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let position = params.text_document_position_params;
    let cursor = Cursor::at(backend, &position.text_document.uri, position.position)?;
    let target = cursor.target(backend)?;
    let project = &cursor.project;
    let mut locations = Locations::new(project, cursor.encoding);
    match &target {
        Target::Read { .. } => {
            for (name, case_insensitive) in target.names() {
                for site in project.where_set(name, case_insensitive, Some(&cursor.path)) {
                    locations.add(&site.path, &site.range);
                }
            }
        }
        Target::Use { name, kind, .. } => {
            for site in project.sources_of_use(&cursor.path, *kind, name) {
                locations.add(&site.path, &site.range);
            }
        }
        // An assignment is where the name is defined.
        Target::Assignment { .. } => return None,
    }
    Some(GotoDefinitionResponse::Array(locations.into_vec()))
}
