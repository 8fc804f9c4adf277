//! `textDocument/references`: from a variable name (an assignment in an env or YAML
//! file, a read in source code, a `${NAME}` use) to every place that reads it: the
//! source code's reads and the `${NAME}` uses in Compose and workflow values;
//! `includeDeclaration` adds the places that set it. Names match exactly (and in any
//! letter case where the program ignores case).

use tower_lsp_server::ls_types::{Location, ReferenceParams};

use crate::navigation::{Cursor, Locations};
use crate::server::Backend;

pub fn references(backend: &Backend, params: ReferenceParams) -> Option<Vec<Location>> {
    let position = params.text_document_position;
    let cursor = Cursor::at(backend, &position.text_document.uri, position.position)?;
    let target = cursor.target(backend)?;
    let project = &cursor.project;
    let mut locations = Locations::new(project, cursor.encoding);
    for (name, case_insensitive) in target.names() {
        for read in project.code_index().reads_of(name) {
            locations.add(&read.path, &read.range);
        }
        for used in project.uses().get(name).into_iter().flatten() {
            locations.add(&used.path, &used.range);
        }
        if params.context.include_declaration {
            for site in project.where_set(name, case_insensitive, Some(&cursor.path)) {
                locations.add(&site.path, &site.range);
            }
        }
    }
    Some(locations.into_vec())
}
