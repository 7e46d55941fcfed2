//! A record's untouched input properties, packed: a shared list of keys and the values as
//! one compact JSON array.
//!
//! Incident files run to millions of records; a `serde_json::Map` per record costs about
//! ten times the record's text (a string and a `Value` per key, a hash slot per entry). Here
//! the keys are shared by every record with the same columns (one CSV header, one schema)
//! and the values are one string, so a loaded file takes about its own size again. Reads
//! (a card's `place`, the export) unpack on demand.

use std::fmt;
use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The keys of a record, in input order, shared between records.
pub type Keys = Arc<[Box<str>]>;

/// Input properties of one record, in input order, packed.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Packed {
    keys: Option<Keys>,
    /// A compact JSON array with one value per key.
    values: Box<str>,
}

/// Hands out shared key lists: records with the same keys as the previous one share its list.
#[derive(Default)]
pub struct KeyCache {
    last: Option<Keys>,
}

impl KeyCache {
    /// The shared list for these keys.
    pub fn keys<'a>(&mut self, keys: impl ExactSizeIterator<Item = &'a str> + Clone) -> Keys {
        if let Some(last) = &self.last
            && last.len() == keys.len()
            && last.iter().map(|k| &**k).eq(keys.clone())
        {
            return last.clone();
        }
        let fresh: Keys = keys.map(Box::from).collect();
        self.last = Some(fresh.clone());
        fresh
    }
}

impl Packed {
    /// Packs a property map.
    pub fn pack(map: &Map<String, Value>, cache: &mut KeyCache) -> Self {
        if map.is_empty() {
            return Self::default();
        }
        let keys = cache.keys(map.keys().map(String::as_str));
        let values: Vec<&Value> = map.values().collect();
        Self::from_parts(keys, &values)
    }

    /// Packs values for shared keys (one value per key, in the keys' order).
    pub fn from_parts(keys: Keys, values: &[&Value]) -> Self {
        debug_assert_eq!(keys.len(), values.len());
        // Serialising `Value`s to a string cannot fail.
        let text = serde_json::to_string(values).unwrap_or_else(|_| "[]".into());
        Self {
            keys: Some(keys),
            values: text.into_boxed_str(),
        }
    }

    /// Whether there are no properties.
    pub fn is_empty(&self) -> bool {
        self.keys.as_ref().is_none_or(|k| k.is_empty())
    }

    /// The keys, in input order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().flat_map(|k| k.iter().map(|k| &**k))
    }

    fn raw_values(&self) -> Vec<&RawValue> {
        if self.is_empty() {
            return Vec::new();
        }
        serde_json::from_str(&self.values).unwrap_or_default()
    }

    /// One property's value.
    pub fn get(&self, key: &str) -> Option<Value> {
        let i = self.keys().position(|k| k == key)?;
        let raw = *self.raw_values().get(i)?;
        serde_json::from_str(raw.get()).ok()
    }

    /// One property as text, when it is a string.
    pub fn get_str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Every property, unpacked, in input order.
    pub fn to_map(&self) -> Map<String, Value> {
        self.keys()
            .zip(self.raw_values())
            .map(|(k, raw)| {
                (
                    k.to_string(),
                    serde_json::from_str(raw.get()).unwrap_or(Value::Null),
                )
            })
            .collect()
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_map(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn packs_and_unpacks_in_order_with_exact_numbers() {
        let Value::Object(map) = json!({"z": 1, "a": "x", "n": null, "big": 12345678901234567u64,
            "f": 0.1, "nested": {"k": [1, 2]}})
        else {
            unreachable!()
        };
        let p = Packed::pack(&map, &mut KeyCache::default());
        assert_eq!(p.to_map(), map);
        assert_eq!(
            p.keys().collect::<Vec<_>>(),
            ["z", "a", "n", "big", "f", "nested"]
        );
        assert_eq!(p.get("big"), Some(json!(12345678901234567u64)));
        assert_eq!(p.get_str("a").as_deref(), Some("x"));
        assert_eq!(p.get("n"), Some(Value::Null));
        assert_eq!(p.get("missing"), None);
        assert!(Packed::default().is_empty());
        assert_eq!(Packed::default().to_map(), Map::new());
    }

    #[test]
    fn records_with_the_same_keys_share_one_list() {
        let mut cache = KeyCache::default();
        let Value::Object(a) = json!({"id": 1, "kind": "clash"}) else {
            unreachable!()
        };
        let Value::Object(b) = json!({"id": 2, "kind": "airstrike"}) else {
            unreachable!()
        };
        let (pa, pb) = (Packed::pack(&a, &mut cache), Packed::pack(&b, &mut cache));
        assert!(Arc::ptr_eq(
            pa.keys.as_ref().unwrap(),
            pb.keys.as_ref().unwrap()
        ));
        assert_eq!(pb.get("id"), Some(json!(2)));
    }
}
