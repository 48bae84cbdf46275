//! Typed rows of measurement and statistics series. The server sends each row as a JSON array
//! whose positions the series' `columns` name; these accessors pair them up.

use std::collections::BTreeMap;

use super::types::{MeasurementSeries, StatisticsSeries};
use crate::error::Error;
use crate::Result;

/// One measurement of a [`MeasurementSeries`].
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// ISO 8601 time of the measurement.
    pub timestamp: String,
    /// The measured value.
    pub value: f64,
    /// What was sent with the value (empty when nothing was). Usually text, but the server
    /// stores any JSON value a client posted, so each one is kept as it came.
    pub value_meta: serde_json::Map<String, serde_json::Value>,
}

/// One period of a [`StatisticsSeries`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticsRow {
    /// ISO 8601 start of the period.
    pub timestamp: String,
    /// Each requested statistic (`avg`, `min`, `max`, `sum`, `count`) and its value.
    pub values: BTreeMap<String, f64>,
}

fn malformed(what: &str, row: &[serde_json::Value]) -> Error {
    let text = serde_json::to_string(row).unwrap_or_default();
    Error::malformed(None, format!("{what} row {text}"), text.as_bytes())
}

fn column(columns: &[String], name: &str) -> Result<usize> {
    columns
        .iter()
        .position(|c| c == name)
        .ok_or_else(|| Error::malformed(None, format!("no {name:?} column in {columns:?}"), b""))
}

impl MeasurementSeries {
    /// The measurements, typed by the series' columns.
    ///
    /// ```
    /// # #[cfg(feature = "monasca")] {
    /// use opsclient::monasca::types::MeasurementSeries;
    /// let series: MeasurementSeries = serde_json::from_value(serde_json::json!({
    ///     "id": "0", "name": "cpu.idle_perc", "dimensions": {},
    ///     "columns": ["timestamp", "value", "value_meta"],
    ///     "measurements": [["2026-01-01T00:00:00.000Z", 97.5, {"unit": "%"}]]
    /// })).unwrap();
    /// let points = series.points().unwrap();
    /// assert_eq!(points[0].value, 97.5);
    /// assert_eq!(points[0].value_meta["unit"], "%");
    /// # }
    /// ```
    pub fn points(&self) -> Result<Vec<Measurement>> {
        let timestamp = column(&self.columns, "timestamp")?;
        let value = column(&self.columns, "value")?;
        let meta = self.columns.iter().position(|c| c == "value_meta");
        self.measurements
            .iter()
            .map(|row| {
                let bad = || malformed("measurement", row);
                let value_meta = match meta.and_then(|i| row.get(i)) {
                    None | Some(serde_json::Value::Null) => serde_json::Map::new(),
                    Some(serde_json::Value::Object(meta)) => meta.clone(),
                    Some(_) => return Err(bad()),
                };
                Ok(Measurement {
                    timestamp: row
                        .get(timestamp)
                        .and_then(|t| t.as_str())
                        .ok_or_else(bad)?
                        .to_string(),
                    value: row.get(value).and_then(|v| v.as_f64()).ok_or_else(bad)?,
                    value_meta,
                })
            })
            .collect()
    }
}

impl StatisticsSeries {
    /// The periods, typed by the series' columns.
    ///
    /// ```
    /// # #[cfg(feature = "monasca")] {
    /// use opsclient::monasca::types::StatisticsSeries;
    /// let series: StatisticsSeries = serde_json::from_value(serde_json::json!({
    ///     "id": "0", "name": "cpu.idle_perc", "dimensions": {},
    ///     "columns": ["timestamp", "avg", "count"],
    ///     "statistics": [["2026-01-01T00:00:00Z", 97.5, 4]]
    /// })).unwrap();
    /// let rows = series.rows().unwrap();
    /// assert_eq!(rows[0].values["count"], 4.0);
    /// # }
    /// ```
    pub fn rows(&self) -> Result<Vec<StatisticsRow>> {
        let timestamp = column(&self.columns, "timestamp")?;
        self.statistics
            .iter()
            .map(|row| {
                let bad = || malformed("statistics", row);
                if row.len() != self.columns.len() {
                    return Err(bad());
                }
                let mut values = BTreeMap::new();
                for (i, name) in self
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != timestamp)
                {
                    values.insert(name.clone(), row[i].as_f64().ok_or_else(bad)?);
                }
                Ok(StatisticsRow {
                    timestamp: row[timestamp].as_str().ok_or_else(bad)?.to_string(),
                    values,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_that_does_not_fit_its_columns_is_a_typed_error() {
        let series: MeasurementSeries = serde_json::from_value(json!({
            "id": "0", "name": "m", "dimensions": {},
            "columns": ["timestamp", "value", "value_meta"],
            "measurements": [["2026-01-01T00:00:00Z", "high", {}]]
        }))
        .unwrap();
        assert!(matches!(series.points(), Err(Error::UnexpectedResponse(_))));

        let stats: StatisticsSeries = serde_json::from_value(json!({
            "id": "0", "name": "m", "dimensions": {},
            "columns": ["timestamp", "avg"],
            "statistics": [["2026-01-01T00:00:00Z"]]
        }))
        .unwrap();
        assert!(matches!(stats.rows(), Err(Error::UnexpectedResponse(_))));

        let no_value: MeasurementSeries = serde_json::from_value(json!({
            "id": "0", "name": "m", "dimensions": {},
            "columns": ["timestamp"], "measurements": []
        }))
        .unwrap();
        assert!(no_value.points().is_err());
    }
}
