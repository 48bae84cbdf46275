//! Typed mocks of the Monasca API ([`opsclient::monasca`]). A client made by
//! [`opsclient::monasca::Client::from_cloud`] after a mocked
//! [`keystone::login`](crate::keystone::login) sends its requests to this server.

crate::generated_mocks!("monasca.rs");
