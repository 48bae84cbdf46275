//! The saltant client against local servers that answer as saltant does.

#![cfg(feature = "saltant")]

mod client;
mod managers;
mod operations;
mod surface;
