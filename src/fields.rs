//! An ordered list of named string fields with unique names: the shape of every API v2 message.

/// Fields in the order received, each name once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Takes ownership of `fields`, or returns the first name that appears twice.
    ///
    /// # Errors
    /// The duplicated name.
    pub fn from_unique(fields: Vec<(String, String)>) -> Result<Self, String> {
        let mut names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        sort_small(&mut names, |n| *n);
        if let Some(w) = names.windows(2).find(|w| w.first() == w.get(1)) {
            return Err(w.first().copied().unwrap_or_default().to_owned());
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

    /// The fields as a JSON object of strings, or of numbers for the names `is_integer` accepts; `skip` names
    /// are left out.
    pub fn to_json(&self, skip: &[&str], is_integer: impl Fn(&str) -> bool) -> String {
        let mut out = String::from("{");
        for (name, value) in self.iter().filter(|(k, _)| !skip.contains(k)) {
            if out.len() > 1 {
                out.push(',');
            }
            crate::json::write_str(&mut out, name);
            out.push(':');
            if is_integer(name) && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str(value);
            } else {
                crate::json::write_str(&mut out, value);
            }
        }
        out.push('}');
        out
    }

    /// The pairs, owned.
    pub fn into_vec(self) -> Vec<(String, String)> {
        self.0
    }
}

/// Insertion sort: field lists are short (a parsed message has at most 512 fields), and the standard library's
/// sorts would add 11 KB of code to the wasm.
pub(crate) fn sort_small<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && items.get(j - 1).map(&key) > items.get(j).map(&key) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}
