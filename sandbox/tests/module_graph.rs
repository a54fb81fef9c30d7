//! The sandbox's modules form layers, not a circle: every `crate::` reference between the
//! files under `src/` is an edge, and the graph must have no cycle (the crate root counts as
//! the module `lib`). A cycle here means a leaf started reaching back up (say, the body type
//! into the server, or the fault table into the router).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The `crate::` edges of every module file in `dir` (the binary's `main.rs` excluded: it is
/// another crate).
fn module_graph(dir: &Path) -> Graph {
    let mut files: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("dir entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if path.extension().is_some_and(|e| e == "rs") && name != "main" {
            let text = std::fs::read_to_string(&path).expect("read module");
            files.push((name.to_owned(), text));
        }
    }
    let modules: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    files
        .iter()
        .map(|(name, text)| (name.clone(), references(text, &modules, name)))
        .collect()
}

/// The modules `text` names through `crate::` (a name that is no module is the root, `lib`).
fn references(text: &str, modules: &BTreeSet<String>, me: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    let mut add = |ident: &str| {
        let target = if modules.contains(ident) {
            ident
        } else {
            "lib"
        };
        if target != me {
            out.insert(target.to_owned());
        }
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::X, b}`: the first name of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            let mut ident = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => ident.push(c),
                    _ if item_start && !ident.is_empty() => {
                        add(&ident);
                        ident.clear();
                        item_start = false;
                    }
                    _ => {}
                }
            }
            if !ident.is_empty() {
                add(&ident);
            }
        } else {
            let ident: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !ident.is_empty() {
                add(&ident);
            }
        }
    }
    out
}

/// A cycle in `graph`, as the path that closes it, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut done, &mut Vec::new()))
}

#[test]
fn sandbox_modules_have_no_import_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(
        graph.len() > 10,
        "expected the sandbox's modules, got {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "sandbox module import cycle: {} (move the shared piece into a leaf module)",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_checker_sees_use_groups_inline_paths_and_cycles() {
    let modules: BTreeSet<String> = ["app", "faults", "routes", "conn", "lib"]
        .map(String::from)
        .into();
    let text = "use crate::app::App;\n// use crate::conn::Nope;\nuse crate::{faults::{Step, x}, \
                Options};\nfn f() { crate::routes::api(); }\n";
    let refs = references(text, &modules, "routes");
    assert_eq!(
        refs,
        ["app", "faults", "lib"].map(String::from).into(),
        "references of {text:?}"
    );
    let mut graph = Graph::new();
    graph.insert("routes".into(), ["faults".to_owned()].into());
    graph.insert("faults".into(), ["conn".to_owned()].into());
    graph.insert("conn".into(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
    graph.insert("conn".into(), ["routes".to_owned()].into());
    assert_eq!(
        find_cycle(&graph).map(|c| c.join(" -> ")),
        Some("conn -> routes -> faults -> conn".to_owned())
    );
}
