//! kg's integration tests, one module per concern, in one test binary (linking `RocksDB` once).
//! They use the public API or the built `kg` binary; outside tools (rdflib, networkx, Graphviz,
//! Chromium) are required when `KG_REQUIRE_PEERS=1` (CI) and skipped with a message otherwise.

mod bad_inputs;
mod common;
mod default_graph;
mod export;
mod export_peers;
mod generate;
mod graph_commands;
mod hostile_build;
mod path_properties;
mod peers;
mod store_safety;
