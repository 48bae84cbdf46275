//! Choosing a service's endpoint from the Keystone catalog.

use std::fmt;
use std::str::FromStr;

use super::keystone::types::CatalogService;
use crate::error::ConfigError;

/// Which endpoint of a service to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interface {
    /// The public endpoint (the default).
    #[default]
    Public,
    /// The internal endpoint.
    Internal,
    /// The admin endpoint.
    Admin,
}

impl FromStr for Interface {
    type Err = ConfigError;

    /// Accepts `public`, `internal`, `admin` and the legacy `publicURL`, `internalURL`,
    /// `adminURL`, in any case.
    fn from_str(text: &str) -> Result<Self, ConfigError> {
        let lower = text.to_ascii_lowercase();
        match lower.strip_suffix("url").unwrap_or(&lower) {
            "public" => Ok(Interface::Public),
            "internal" => Ok(Interface::Internal),
            "admin" => Ok(Interface::Admin),
            _ => Err(ConfigError::Invalid(format!(
                "interface {text:?} is not public, internal or admin"
            ))),
        }
    }
}

impl fmt::Display for Interface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Interface::Public => "public",
            Interface::Internal => "internal",
            Interface::Admin => "admin",
        })
    }
}

/// The URL of the endpoint of a service of one of `types` (a service type and its aliases,
/// in order of preference), on `interface`, in `region` when given. A trailing `/` is removed.
pub(crate) fn endpoint(
    catalog: &[CatalogService],
    types: &[&str],
    interface: Interface,
    region: Option<&str>,
) -> Result<String, ConfigError> {
    let interface_name = interface.to_string();
    for service_type in types {
        let urls: Vec<(&str, Option<&str>)> = catalog
            .iter()
            .filter(|service| service.type_ == *service_type)
            .flat_map(|service| service.endpoints.iter())
            .filter(|endpoint| endpoint.interface == interface_name)
            .map(|endpoint| {
                let region = endpoint.region_id.as_deref().or(endpoint.region.as_deref());
                (endpoint.url.as_str(), region)
            })
            .filter(|(_, r)| region.is_none() || *r == region)
            .collect();
        let mut distinct: Vec<&str> = urls.iter().map(|(url, _)| *url).collect();
        distinct.dedup();
        match distinct.as_slice() {
            [] => continue,
            [url] => return Ok(url.trim_end_matches('/').to_string()),
            _ => {
                let regions: Vec<&str> = urls.iter().filter_map(|(_, r)| *r).collect();
                return Err(ConfigError::Invalid(format!(
                    "the catalog has several {interface} endpoints for {service_type} (regions {regions:?}); choose a region"
                )));
            }
        }
    }
    let available: Vec<&str> = catalog.iter().map(|s| s.type_.as_str()).collect();
    Err(ConfigError::Invalid(format!(
        "the catalog has no {interface} endpoint for {}{} (it lists {available:?})",
        types.join(" or "),
        region
            .map(|r| format!(" in region {r}"))
            .unwrap_or_default(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Vec<CatalogService> {
        serde_json::from_value(serde_json::json!([
            {"type": "identity", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://127.0.0.1:5000/v3/"}]},
            {"type": "infra-optim", "endpoints": [
                {"interface": "public", "region_id": "RegionOne", "url": "http://watcher-one:9322"},
                {"interface": "internal", "region_id": "RegionOne", "url": "http://watcher-internal:9322"},
                {"interface": "public", "region_id": "RegionTwo", "url": "http://watcher-two:9322/"}
            ]},
            {"type": "monitoring", "endpoints": [{"interface": "admin", "region": "RegionOne", "url": "http://monasca:8070/v2.0"}]}
        ]))
        .unwrap()
    }

    #[test]
    fn selection_by_type_alias_interface_and_region() {
        let watcher = ["resource-optimization", "infra-optim"];
        assert_eq!(
            endpoint(&catalog(), &watcher, Interface::Public, Some("RegionTwo")).unwrap(),
            "http://watcher-two:9322"
        );
        assert_eq!(
            endpoint(&catalog(), &watcher, Interface::Internal, None).unwrap(),
            "http://watcher-internal:9322"
        );
        let ambiguous = endpoint(&catalog(), &watcher, Interface::Public, None).unwrap_err();
        assert!(
            ambiguous.to_string().contains("choose a region"),
            "{ambiguous}"
        );
        assert_eq!(
            endpoint(&catalog(), &["identity"], Interface::Public, None).unwrap(),
            "http://127.0.0.1:5000/v3"
        );
        let missing = endpoint(&catalog(), &["monitoring"], Interface::Public, None).unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("no public endpoint for monitoring"),
            "{missing}"
        );
        assert_eq!("publicURL".parse::<Interface>().unwrap(), Interface::Public);
        assert_eq!(
            "internalURL".parse::<Interface>().unwrap(),
            Interface::Internal
        );
        assert!("private".parse::<Interface>().is_err());
    }
}
