//! An ordered list of named string fields with unique names: the shape of every API v2 message.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Fields in the order received, each name once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Takes ownership of `fields`, or returns the index of a field whose name an earlier field has.
    ///
    /// # Errors
    /// The index of the repeated field (the later occurrence).
    pub fn from_unique(fields: Vec<(String, String)>) -> Result<Self, usize> {
        let mut names: Vec<(&str, usize)> = fields.iter().enumerate().map(|(i, (k, _))| (k.as_str(), i)).collect();
        sort_by_key(&mut names, |n| *n);
        if let Some(w) = names.windows(2).find(|w| w.first().map(|n| n.0) == w.get(1).map(|n| n.0)) {
            return Err(w.get(1).map_or(0, |n| n.1));
        }
        Ok(Fields(fields))
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of `name` if present and not empty.
    pub fn get_non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// (name, value) pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Borrowed pairs, the input shape of [`crate::v2::sign`].
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.iter().collect()
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, owned.
    pub fn into_vec(self) -> Vec<(String, String)> {
        self.0
    }
}

/// Serialized as an object of strings, in the order received.
impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Typed { fields: self, skip: &[], is_integer: |_: &str| false }.serialize(s)
    }
}

/// Fields serialized as an object, amounts (the names `is_integer` accepts, with digits) as numbers, `skip`
/// names left out.
pub(crate) struct Typed<'a, F> {
    pub fields: &'a Fields,
    pub skip: &'a [&'a str],
    pub is_integer: F,
}

impl<F: Fn(&str) -> bool> Typed<'_, F> {
    /// Writes the fields into `map`.
    pub fn entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in self.fields.iter().filter(|(k, _)| !self.skip.contains(k)) {
            match value.parse::<u64>() {
                Ok(n) if (self.is_integer)(name) && value.bytes().all(|b| b.is_ascii_digit()) => {
                    map.serialize_entry(name, &n)?
                }
                _ => map.serialize_entry(name, value)?,
            }
        }
        Ok(())
    }
}

impl<F: Fn(&str) -> bool> Serialize for Typed<'_, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.entries(&mut map)?;
        map.end()
    }
}

/// Sorts by `key`: insertion sort for the usual dozen fields, heapsort beyond, so a hostile message of
/// [`crate::xml::MAX_FIELDS`] fields costs O(n log n) before its signature is checked. (The standard library's
/// sorts would add 11 KB of code to the wasm.)
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let less = |v: &[T], a: usize, b: usize| v.get(a).map(&key) < v.get(b).map(&key);
    if items.len() <= 16 {
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 && less(items, j, j - 1) {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let sift_down = |v: &mut [T], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(v, child, child + 1) {
            child += 1;
        }
        if !less(v, node, child) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    for node in (0..items.len() / 2).rev() {
        sift_down(items, node, items.len());
    }
    for end in (1..items.len()).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_short_and_long_lists() {
        for n in [0, 1, 2, 16, 17, 100, 513] {
            let mut v: Vec<u32> = (0..n).map(|i| (i * 7919) % 1009).collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_by_key(&mut v, |x| *x);
            assert_eq!(v, expected, "{n}");
        }
    }
}
