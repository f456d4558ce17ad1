//! The options of a select, for compiled templates and handlebars alike.

use serde::Serialize;

/// One option: what the form sends, what the reader sees, and whether it is chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The options in the given order, the one whose value is `selected` chosen.
    pub fn list<V: Into<String>, L: Into<String>>(
        all: impl IntoIterator<Item = (V, L)>,
        selected: &str,
    ) -> Vec<Choice> {
        all.into_iter()
            .map(|(value, label)| {
                let value = value.into();
                Choice {
                    selected: value == selected,
                    label: label.into(),
                    value,
                }
            })
            .collect()
    }
}
