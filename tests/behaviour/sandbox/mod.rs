//! The Sensu sandbox itself, on the wire: it answers as a Sensu backend does.

mod fixtures;
mod requests;
mod wire;
