//! Every GraphQL document the client ships must be valid against the API's schema: field and
//! argument names, variable types (e.g. `$id: uuid!`), and the declared query/mutation kind
//! (only queries are retried, so a mutation marked as a query would be retried).

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use apollo_compiler::executable::OperationType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use hasura_cloud::{DOCUMENTS, OperationKind};

fn schema() -> Valid<Schema> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/cloud-schema.graphql");
    let sdl = std::fs::read_to_string(&path).unwrap();
    Schema::parse_and_validate(sdl, &path).unwrap_or_else(|e| panic!("schema invalid:\n{e}"))
}

fn validate(
    schema: &Valid<Schema>,
    name: &str,
    source: &str,
) -> Result<Valid<ExecutableDocument>, String> {
    ExecutableDocument::parse_and_validate(schema, source, name).map_err(|e| e.errors.to_string())
}

#[test]
fn every_shipped_document_is_valid_against_the_schema() {
    let schema = schema();
    let mut failures = Vec::new();
    for document in DOCUMENTS {
        let doc = match validate(&schema, document.file, document.source) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{}:\n{e}", document.file));
                continue;
            }
        };
        let operations: Vec<_> = doc.operations.iter().collect();
        if operations.len() != 1 || doc.operations.anonymous.is_some() {
            failures.push(format!(
                "{}: expected exactly one named operation",
                document.file
            ));
            continue;
        }
        let operation = operations[0];
        if operation.name.as_ref().map(|n| n.as_str()) != Some(document.name) {
            failures.push(format!(
                "{}: operation is named {:?}, registered as {}",
                document.file, operation.name, document.name
            ));
        }
        let expected = match document.kind {
            OperationKind::Query => OperationType::Query,
            OperationKind::Mutation => OperationType::Mutation,
        };
        if operation.operation_type != expected {
            failures.push(format!(
                "{}: is a {}, registered as {:?}",
                document.file, operation.operation_type, document.kind
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn names_and_files_are_unique() {
    let names: BTreeSet<_> = DOCUMENTS.iter().map(|d| d.name).collect();
    let files: BTreeSet<_> = DOCUMENTS.iter().map(|d| d.file).collect();
    assert_eq!(names.len(), DOCUMENTS.len());
    assert_eq!(files.len(), DOCUMENTS.len());
}

#[test]
fn every_file_in_graphql_dir_is_registered() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("graphql");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".graphql"))
        .collect();
    let registered: BTreeSet<String> = DOCUMENTS.iter().map(|d| d.file.to_owned()).collect();
    assert_eq!(on_disk, registered);
}

#[test]
fn documents_take_input_only_through_variables() {
    // Literal strings in a document would be the start of user input spliced into query text.
    for document in DOCUMENTS {
        let code: String = document
            .source
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            !code.contains('"'),
            "{} contains a string literal",
            document.file
        );
    }
}

/// The validator itself must catch the mistakes this test exists for.
#[test]
fn validator_rejects_wrong_documents() {
    let schema = schema();
    let wrong = [
        // unknown field
        "query A($id: uuid!) { tenant_by_pk(id: $id) { id no_such_field } }",
        // unknown argument
        "query B($id: uuid!) { tenant_by_pk(tenantId: $id) { id } }",
        // wrong variable type
        "query C($id: String!) { tenant_by_pk(id: $id) { id } }",
        // nullable variable for a non-null argument
        "query D($id: uuid) { tenant_by_pk(id: $id) { id } }",
        // wrong input object field
        "mutation E($t: uuid!, $h: String!, $k: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{name: $k, value: $k}]) { hash } }",
        // unknown root field
        "query F { tenants { id } }",
        // unused variable
        "query G($id: uuid!) { projects { id } }",
        // createTenant's envs are UpdateEnvsObject, not UpdateEnvObject
        "mutation H($c: String!, $r: String!, $e: [UpdateEnvObject!]) { createTenant(cloud: $c, region: $r, envs: $e) { id } }",
    ];
    let right = "mutation E($t: uuid!, $h: String!, $k: String!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: [{key: $k, value: $k}]) { hash } }";
    assert!(validate(&schema, "right.graphql", right).is_ok());
    for source in wrong {
        assert!(
            validate(&schema, "wrong.graphql", source).is_err(),
            "accepted: {source}"
        );
    }
}
