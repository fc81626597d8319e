//! kg's integration tests, one module per concern, in one test binary (linking `RocksDB` once).
//! They use the public API or the built `kg` binary; outside tools (rdflib, networkx, Graphviz,
//! Chromium) are required when `KG_REQUIRE_PEERS=1` (CI) and skipped with a message otherwise.

mod bad_inputs;
mod build_stages;
mod common;
mod default_graph;
mod export;
mod export_peers;
mod extract;
mod fuzz;
mod generate;
mod graph_commands;
mod hostile_build;
mod hostile_cli;
mod hostile_query;
mod infer;
mod infer_peers;
mod ingest_build;
mod ingest_cli;
mod path_properties;
mod peers;
mod rank_peers;
mod remote;
mod serve;
mod serve_browser;
mod serve_clients;
mod serve_load;
mod shacl_suite;
mod store_safety;
mod validate;
mod validate_peers;
